"""The quantity engine's lookups made for speed, each pinned to the plain rule it stands for: the unit read
after a number (the longest unit there that the next character does not refuse), and the first-character
tests that spare a call where nothing can follow (no date word, no qualifier or multiplier)."""

from __future__ import annotations

import pytest

from etl.quantities import _date_or_ordinal_after, _number_tail, _unit_at, find_quantities
from etl.quantity_tables import (
    ARABIC_ONLY_UNITS,
    NOT_A_UNIT_AFTER_RE,
    NUMBER_TAIL_FIRSTS,
    UNIT_ALIASES,
    UNIT_NOT_BEFORE,
    UNITS,
)

# every character that stops or refuses some unit, and a few that stop none
NEXT = sorted({ch for refused in UNIT_NOT_BEFORE.values() for ch in refused} | set("，。 人个次0a")) + [""]


def plain_unit_at(t: str, pos: int, kind: str) -> tuple[str, int] | None:
    """The rule as written: skip up to two spaces; of the units the text there starts with, longest first,
    the first that takes this kind of number and that the next character does not refuse."""
    at = pos
    while at < len(t) and at - pos < 2 and t[at] == " ":
        at += 1
    for unit in sorted((u for u in UNITS if t.startswith(u, at)), key=len, reverse=True):
        nxt = t[at + len(unit) : at + len(unit) + 1]
        if kind == "cn" and unit in ARABIC_ONLY_UNITS or (nxt and nxt in UNIT_NOT_BEFORE.get(unit, "")):
            continue
        return UNIT_ALIASES.get(unit, unit), at + len(unit)
    return None


@pytest.mark.parametrize("kind", ["ar", "cn"])
@pytest.mark.parametrize("spaces", ["", " ", "  ", "   "])
def test_the_unit_read_is_the_longest_unit_there_the_next_character_allows(kind, spaces):
    for unit in UNITS:
        for nxt in NEXT:
            t = f"3{spaces}{unit}{nxt}"
            assert _unit_at(t, 1, kind) == plain_unit_at(t, 1, kind), t


def test_refused_units_fall_back_to_shorter_ones():
    assert _unit_at("3个队伍", 1, "ar") == ("个", 2)  # 个队 begins 队伍
    assert _unit_at("3个百分点", 1, "ar") == ("百分点", 5)
    assert _unit_at("十分重视", 1, "cn") is None  # 分 takes Arabic numbers only
    assert _unit_at("12部门", 2, "ar") is None


def test_no_date_or_ordinal_word_can_start_where_the_first_characters_rule_it_out():
    """The first-character test before the regex refuses nothing the regex would accept."""
    for code in range(0x3000, 0xA000):  # CJK symbols and ideographs, where every date word lies
        t = chr(code) + "年"
        if NOT_A_UNIT_AFTER_RE.match(t) is not None:
            assert _date_or_ordinal_after(t, 0), t
    for t in ["年", " 年", "  月", "世纪", "届", "   年", "", "人"]:
        assert _date_or_ordinal_after(t, 0) == (NOT_A_UNIT_AFTER_RE.match(t) is not None), t


def test_only_the_tail_first_characters_start_a_qualifier_or_multiplier():
    for code in [*range(0x20, 0x7F), *range(0x4E00, 0x9FA6)]:
        ch = chr(code)
        if ch not in NUMBER_TAIL_FIRSTS:
            for kind in ("ar", "cn"):
                assert _number_tail(f"5{ch}人", 1, kind) == (1, None, 1), ch


@pytest.mark.parametrize(
    ("text", "value", "unit", "approx"),
    [
        ("约3万余人", 30000.0, "人", "about"),
        ("10万多件", 100000.0, "件", "more_than"),
        ("810多万元", 8100000.0, "元", "more_than"),
        ("十余万元", 100000.0, "元", "more_than"),
        ("二点五万元", 25000.0, "元", None),
        ("5千人", 5000.0, "人", None),
        ("5千米", 5.0, "千米", None),
        ("1,280人", 1280.0, "人", None),
    ],
)
def test_figures_with_and_without_a_tail_read_whole(text, value, unit, approx):
    [q] = find_quantities(text)
    assert (q.value, q.unit, q.approx, q.start, q.end) == (value, unit, approx, 0, len(text))
