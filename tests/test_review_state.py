"""The `reviewed=1` URL parameter (only reviewed values): validated like every parameter and kept in links."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.state import AreaIndex, ViewState, parse_query, to_query

AREAS = pd.DataFrame(
    {
        "code": ["441500"],
        "name": ["汕尾市"],
        "short_name": ["汕尾"],
        "level": ["city"],
        "province_code": ["440000"],
        "province": ["广东省"],
        "population": [2672819],
        "has_reports": [True],
    }
)


def test_reviewed_is_parsed_and_written_back():
    index = AreaIndex(AREAS)
    state, notices = parse_query("?area=汕尾&reviewed=1", index, [])
    assert (state.reviewed, notices) == ("1", [])
    assert "reviewed=1" in to_query(state, index)
    assert "reviewed" not in to_query(ViewState(), index)


@pytest.mark.parametrize("value", ["0", "yes", "true", "11", "<b>1</b>"])
def test_any_other_value_is_dropped_with_a_notice(value):
    state, notices = parse_query(f"?reviewed={value}", AreaIndex(AREAS), [])
    assert state.reviewed is None
    assert [key for key, _ in notices] == ["notice_bad_param"]
