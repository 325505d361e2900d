"""The view a URL asks for, read against the database: what the page, the export menu and
`python -m dashboard export` all start from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import queries
from dashboard.state import MAX_AREAS, AreaIndex, Notice, ViewState, parse_query


def load_state(db_path: Path, search: str | None) -> tuple[ViewState, list[Notice], AreaIndex, pd.DataFrame]:
    """The view the query string asks for, the notices about what it ignored, and the area table."""
    areas = queries.areas(db_path)
    index = AreaIndex(areas)
    state, notices = parse_query(search or "", index, queries.categories(db_path)["id"].tolist())
    return state, notices + default_notices(areas, state), index, areas


def default_areas(areas: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """Every area with reports (of the chosen level): what an empty selection shows, before the cap."""
    chosen = areas[areas["has_reports"]]
    return chosen[chosen["level"] == state.level] if state.level else chosen


def default_notices(areas: pd.DataFrame, state: ViewState) -> list[Notice]:
    """A notice when the default selection is more than one view shows."""
    if state.areas:
        return []
    n = len(default_areas(areas, state))
    return [("notice_too_many_default", {"cap": str(MAX_AREAS), "n": str(n)})] if n > MAX_AREAS else []


def selected_areas(areas: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """The explicit selection in its order, or the first MAX_AREAS areas with reports (of the chosen
    level)."""
    if state.areas:
        by_code = areas.set_index("code")
        known = [code for code in state.areas[:MAX_AREAS] if code in by_code.index]
        return by_code.loc[known].reset_index()
    return default_areas(areas, state).head(MAX_AREAS)
