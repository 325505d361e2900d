"""The review view's pure pieces: the text cut around figures (as the browser's selection reads it back),
a reviewer's typed fields checked, a manual figure's evidence sentence, and a history line."""

from __future__ import annotations

import pytest

from dashboard.review.doc_view import marked_text
from dashboard.review.facts import checked_fields, correction, evidence_around, manual_fact
from dashboard.review.history import change_text

INDICATORS = {"drills": ("场次", False), "hazard_closure_rate": ("%", True)}
DIMS = {("level", "city"), ("level", "county")}
AREAS = {"441500"}
TEXT = "一、概况\n全年开展演练12场次，参演3000人次；隐患整改率98.79%。其他。"


def form(**changes) -> dict:
    return {"value": "12", "indicator": "drills", "year": "2022", "area_code": "441500"} | changes


def test_the_text_is_cut_at_every_span_and_keeps_its_offsets():
    pieces = marked_text(TEXT, [(11, 15, "accepted"), (13, 15, "rejected"), (30, 36, "extracted")])
    assert "".join(piece.children for piece in pieces) == TEXT
    starts = [int(piece.to_plotly_json()["props"]["data-start"]) for piece in pieces]
    assert starts == [0, 11, 13, 15, 30, 36]
    kinds = [(type(piece).__name__, getattr(piece, "className", None)) for piece in pieces]
    assert kinds[1] == ("Mark", "review-mark status-accepted")
    assert kinds[2][0] == "Mark" and kinds[0][0] == kinds[3][0] == "Span"


def test_text_is_never_markup():
    pieces = marked_text("<script>alert(1)</script>12场", [(25, 27, "extracted")])
    assert pieces[0].children == "<script>alert(1)</script>"  # a text child: React escapes it


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"value": "十二"}, "rv_bad_value"),
        ({"value": "nan"}, "rv_bad_value"),
        ({"indicator": "no_such"}, "rv_bad_indicator"),
        ({"indicator": "hazard_closure_rate", "value": "101"}, "rv_bad_rate"),
        ({"year": "0000"}, "rv_bad_year"),
        ({"year": "2022.5"}, "rv_bad_year"),
        ({"area_code": "999999"}, "rv_bad_area"),
        ({"level": "village"}, "rv_bad_dims"),
    ],
)
def test_typed_fields_are_refused_with_the_reason(changes, problem):
    assert checked_fields(form(**changes), INDICATORS, DIMS, AREAS) == ({}, problem)


def test_typed_fields_as_a_correction_and_an_addition():
    fields, problem = checked_fields(form(value="1,600", level="city"), INDICATORS, DIMS, AREAS)
    assert problem is None
    assert fields["value"] == 1600 and fields["unit"] == "场次" and fields["level"] == "city"
    shown = {"value": 12.0, "indicator": "drills", "year": 2022, "area_code": "441500", "unit": "场次"}
    assert correction(shown, fields) == {"value": 1600.0, "level": "city"}
    added = manual_fact(TEXT, 20, 24, fields)
    assert added["evidence"] == "全年开展演练12场次，参演3000人次；"
    assert added["evidence"] in TEXT and added["dims"] == {"level": "city"}


def test_the_evidence_is_the_sentence_around_the_span():
    assert evidence_around(TEXT, 30, 36) == "隐患整改率98.79%。"
    assert evidence_around("12场", 0, 2) == "12场"


def test_a_history_line_says_what_changed():
    assert change_text({"value": 1500.0, "unit": "万元"}, {"value": 1600.0}) == "value: 1500 → 1600"
    assert change_text({"value": 1500.0}, {"status": "rejected"}) == "status: rejected"
