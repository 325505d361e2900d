"""The review desk's words found wanting in a review by hand (issue 10; tests/test_review_hand_flow_browser.py
drives the page): a selected figure's number, a change and its time as a reader takes them in, and what an
audit entry changed named by the uploaded file and the indicator."""

from __future__ import annotations

from dashboard.review.facts import number_in
from dashboard.review.history import at_text, change_text
from dashboard.review.pages import target_text

SHA = "8a5322fa76588ec4875ae37e3129ba603fc0d941beb38815ccd6d308007d92da"
FILES = {SHA: "tiandong-2023-gongzuo-zongjie.txt"}
NAMES = {"drills": "应急演练场次", "rescue_teams": "应急救援队伍数"}


def test_a_selection_gives_its_number_not_its_words():
    assert number_in("1300余件") == "1300"
    assert number_in("8,364家次") == "8,364"
    assert number_in("１２３４人") == "1234"  # full-width digits
    assert number_in("318.6万元") == "318.6"  # never scaled: 万元 may be the indicator's unit
    assert number_in(" 一百三十二 ") == "一百三十二"  # no digits: the text, for the reviewer to type over


def test_a_change_in_the_pages_language():
    assert change_text({"value": 132.0}, {"value": 133.0}, "zh") == "数值: 132 → 133"
    assert change_text({"level": "all"}, {"level": "county"}, "en") == "Level: all → county"
    assert change_text({"value": 1.0}, {"status": "accepted"}, "zh") == ""  # the action says it
    added = {"indicator": "reserve_items", "value": 1300.0, "dims": {}, "evidence": "配发救援装备1300余件"}
    assert change_text(None, added, "zh") == "指标: reserve_items, 数值: 1300"
    assert change_text({"value": 1500.0}, {"status": "rejected"}) == "status: rejected"  # the store's words


def test_an_audit_time_reads_as_minutes_in_utc():
    assert at_text("2026-12-01T21:54:24+00:00") == "2026-12-01 21:54 UTC"
    assert at_text("2026-12-01T21:54:24+08:00") == "2026-12-01T21:54:24+08:00"  # not UTC: as stored
    assert at_text("yesterday") == "yesterday"


def test_an_audit_target_names_the_file_and_the_indicator():
    upload = f"/srv/data/uploads/{SHA}.txt"
    assert (
        target_text(f"{upload} drills @545", FILES, NAMES)
        == "tiandong-2023-gongzuo-zongjie.txt · 应急演练场次 @545"
    )
    assert (
        target_text(f"{upload} rescue_teams[level=all] @433", FILES, NAMES)
        == "tiandong-2023-gongzuo-zongjie.txt · 应急救援队伍数[level=all] @433"
    )
    assert target_text(f"{upload} ({SHA[:12]})", FILES, NAMES) == "tiandong-2023-gongzuo-zongjie.txt"
    seed = "/repo/data/reports/my report 2023.txt"  # a seed (no upload name): its base name, spaces and all
    assert target_text(f"{seed} unknown_id @7", FILES, NAMES) == "my report 2023.txt · unknown_id @7"
