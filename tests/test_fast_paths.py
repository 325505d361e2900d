"""Shortcuts the reader takes for speed, each pinned to the slower path it stands for, on variants written
for these tests: the shortcut must give exactly what the general path gives."""

from __future__ import annotations

import itertools
import re

import pytest

from etl.extract import SENTENCE_END, SENTENCE_REACH, STATED_YEAR, _any_of, _next_boundary, _sentence_end
from etl.normalise import BLANK_LINES
from etl.quantities import (
    _blocked,
    _core,
    _date_or_ordinal_after,
    _expression,
    _rejection,
    _unitless_chinese,
    _with_whole_percent,
    find_quantities,
)
from etl.quantity_tables import CN_FIGURE_NEXT, CORE_RE, plain_forms
from etl.text_search import LineAnchored

BEFORE = ["", "共", "近", "约", "第", "“", "百分之", "统", "第三", "a", "\n"]
NUMERALS = ["一", "二十", "三百", "两千", "十", "五万", "六百", "一一三", "九十七点三", "十四五", "二〇二三"]
# every character a figure may need after a Chinese numeral, and others that end one
AFTER = (
    sorted(CN_FIGURE_NEXT) + list("是大步、)）。，”年月点届级万亿千百0a") + ["", "个多月", "余万元", "至五人"]
)


def general_reading(text: str) -> list:
    """find_quantities without the shortcut for Chinese numerals: every numeral is read, then judged."""
    t = plain_forms(text)
    blocked = _blocked(t)
    found, resume = [], 0
    for m in CORE_RE.finditer(t):
        if m.start() < resume or _date_or_ordinal_after(t, m.end()):
            continue
        core = _core(m)
        if core is None or blocked[core.start]:
            continue
        expr = _expression(t, core, blocked)
        resume = expr.end
        if expr.reason is None and _rejection(t, expr) is None:
            found.append(expr.quantity())
    return _with_whole_percent(t, found)


VARIANTS = ["".join(parts) for parts in itertools.product(BEFORE, NUMERALS, AFTER)]


@pytest.mark.parametrize("before", BEFORE)
def test_unitless_chinese_numerals_read_as_the_general_path_reads_them(before):
    texts = [v for v in VARIANTS if v.startswith(before)] + [
        f"{v}，{w}" for v, w in zip(VARIANTS[::7], VARIANTS[3::11], strict=False) if v.startswith(before)
    ]
    for text in texts:
        assert find_quantities(text) == general_reading(text), text


def test_the_shortcut_is_taken_and_refuses_only_what_the_reading_refuses():
    taken = 0
    for text in VARIANTS:
        t = plain_forms(text)
        blocked = _blocked(t)
        for m in CORE_RE.finditer(t):
            if m.group("cn") is None or not _unitless_chinese(t, m):
                continue
            taken += 1
            core = _core(m)
            if core is not None and not blocked[core.start]:
                expr = _expression(t, core, blocked)
                assert expr.reason or _rejection(t, expr), (text, m.group())
    assert taken > len(VARIANTS) // 10  # the variants do exercise it


@pytest.mark.parametrize(
    "text",
    [
        "全市开展演练120场次。参与群众1.5万人次；检查企业3,500家次!整改隐患?1200处\n下一行没有句末",
        "没有句末标点的一长句" * 60 + "。后面一句",
        "",
        "。。\n\n；",
    ],
)
def test_sentence_end_lookup_finds_what_the_search_finds(text):
    ends = [m.start() for m in _any_of(SENTENCE_END).finditer(text)]
    for pos in range(len(text) + 1):
        expected = _next_boundary(text, pos, SENTENCE_END, pos + SENTENCE_REACH)
        assert _sentence_end(text, ends, pos) == expected, pos


@pytest.mark.parametrize(
    "text", ["", "a", "\n", "a\n\nb", "a\n\n\nb", "\n\n\n\n\nx\n\n\n", "x\n\n\n\n\n\n\n" * 5]
)
def test_blank_lines_pattern_is_the_plain_one(text):
    assert BLANK_LINES.sub("\n\n", text) == re.sub(r"\n{3,}", "\n\n", text)


LINE_PATTERNS = [
    (r"^[一二三四五六七八九十]+、(?!.*(?:完成情况|成效)).*(?:下一步|计划)", True),
    (r"^[^\n。]{0,16}?(?:主要目标|工作计划)[^\n。，,]{0,6}?[：:]", True),
    (r"^\s*计划", True),  # \s reads over line breaks: a match may start a line and end on a later one
    (r"^$", False),  # can be empty: searched as it is
    (r"计划|^目标", False),  # not every match starts a line
]
LINE_TEXTS = [
    "一、主要成效\n二、下一步工作计划\n\n三、2024年主要目标：完成演练\n  计划开展\n\n\n计划",
    "二、下一步计划\n二、下一步计划",
    "主要目标：\n工作计划：目标\n目标",
    "",
    "\n\n计划\n",
]


@pytest.mark.parametrize("pattern, line_starts_only", LINE_PATTERNS)
def test_line_anchored_finds_what_the_pattern_finds(pattern, line_starts_only):
    regex = re.compile(pattern, re.M)
    anchored = LineAnchored(regex)
    assert anchored._line_starts_only is line_starts_only
    for text in LINE_TEXTS:
        assert [m.span() for m in anchored.finditer(text)] == [m.span() for m in regex.finditer(text)]


# STATED_YEAR as first written, with the test of the character before the year in front
PLAIN_STATED_YEAR = re.compile(
    r"(?<![较比与同\d])(20\d{2})年(?:度)?(?!以来|底|初|末|中|\d|(?:工作)?(?:计划|目标))(?P<comma>[，,])?"
)
YEAR_AROUND = ["", "较", "比", "与", "同", "1", "a", "，", "2", "年"]
YEAR_WORDS = [
    "2023年",
    "2023年度",
    "2023年以来",
    "2023年,",
    "2023年工作计划",
    "20234年",
    "2023年，全市",
    "202年",
]


def test_stated_year_finds_what_the_plain_pattern_finds():
    for before, year, after in itertools.product(YEAR_AROUND, YEAR_WORDS, YEAR_AROUND):
        text = before + year + after + year
        found = [(m.span(), m.group(1), m.group("comma")) for m in STATED_YEAR.finditer(text)]
        assert found == [(m.span(), m.group(1), m.group("comma")) for m in PLAIN_STATED_YEAR.finditer(text)]
