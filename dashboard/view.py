"""The view a URL asks for, read against the database: what the page, the export menu and
`python -m dashboard export` all start from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import queries
from dashboard.state import AreaIndex, Notice, ViewState, parse_query


def load_state(db_path: Path, search: str | None) -> tuple[ViewState, list[Notice], AreaIndex, pd.DataFrame]:
    """The view the query string asks for, the notices about what it ignored, and the area table."""
    areas = queries.areas(db_path)
    index = AreaIndex(areas)
    state, notices = parse_query(search or "", index, queries.categories(db_path)["id"].tolist())
    return state, notices, index, areas


def selected_areas(areas: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """The explicit selection in its order, or every area with reports (of the chosen level)."""
    if state.areas:
        return areas.set_index("code").loc[list(state.areas)].reset_index()
    chosen = areas[areas["has_reports"]]
    return chosen[chosen["level"] == state.level] if state.level else chosen
