"""Shortcuts ingest and describe take for speed, each pinned to the slower path it stands for, on the seed
and development reports and on variants written for these tests: the shortcut gives exactly what the
general path gives."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from etl.authors import BUREAU_WORD, _Page
from etl.ingest import ingest
from etl.metadata_patterns import (
    BUREAU,
    BUREAU_NAME_LINE,
    CJK,
    DOC_NUMBER_LINE,
    RANK,
    RELATIVE_BODIES,
    SIGNATURE_LINE,
)
from etl.normalise import (
    WRAP_FULL_SHARE,
    WRAP_MARGIN,
    WRAP_MAX_WIDTH,
    WRAP_MIN_LINE_WIDTH,
    WRAP_MIN_LINES,
    WRAP_PERCENTILE,
    _wrap_width,
    display_width,
)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "data" / "reports").glob("*")) + sorted((ROOT / "tests" / "corpus-dev").glob("*"))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [ingest(path).text for path in REPORTS]


def general_wrap_width(lines: list[str]) -> int | None:
    """_wrap_width measuring every line, without the early answer for paragraphs of typed text."""
    widths = sorted(w for w in map(display_width, lines) if w >= WRAP_MIN_LINE_WIDTH)
    if len(widths) < WRAP_MIN_LINES:
        return None
    width = widths[int(len(widths) * WRAP_PERCENTILE)]
    at_margin = sum(width - WRAP_MARGIN <= w <= width + WRAP_MARGIN for w in widths)
    body = sum(w >= width / 2 for w in widths)
    if width > WRAP_MAX_WIDTH or at_margin < max(WRAP_MIN_LINES, body * WRAP_FULL_SHARE):
        return None
    return width


# lines around every bound: blank, short, wrapped at a page width, just over and far over the widest page
LINE_KINDS = [
    "",
    "短行",
    "应" * 9,
    "a" * 19,
    "应急" * 19,
    "应急" * 19 + "。",
    "1" * 150,
    "应" * 81,
    "a" * 161,
    "应" * 400,
]
WRAPPED, PARAGRAPHS = ("应急" * 19, "应急" * 18 + "工作"), ("a" * 161, "应" * 400)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_wrap_width_answers_as_the_measurement_does(count):
    for lines in itertools.product(LINE_KINDS, repeat=count):
        assert _wrap_width(list(lines)) == general_wrap_width(list(lines)), lines


@pytest.mark.parametrize("paragraphs", range(6))
def test_wrap_width_of_wrapped_pages_with_some_paragraphs_is_the_measured_one(paragraphs):
    """Around the share of paragraphs at which the measured width passes the widest page."""
    for wrapped in range(40):
        for shape in (WRAPPED, PARAGRAPHS), (PARAGRAPHS, WRAPPED):
            lines = [shape[0][i % 2] for i in range(wrapped)] + [shape[1][i % 2] for i in range(paragraphs)]
            lines = lines if shape[0] is WRAPPED else lines[::-1]
            assert _wrap_width(lines) == general_wrap_width(lines), (wrapped, paragraphs)
            assert _wrap_width(lines[::2] + lines[1::2]) == general_wrap_width(lines[::2] + lines[1::2])


def test_wrap_width_of_real_reports_is_the_measured_one(texts):
    wrapped = "\n".join(
        ["应急管理局" * 8] * 20 + ["应急管理" * 50] * 2
    )  # a page 80 columns wide, two paragraphs
    for text in [*texts, wrapped]:
        lines = text.split("\n")
        assert _wrap_width(lines) == general_wrap_width(lines)
    assert _wrap_width(wrapped.split("\n")) == 80


PLAIN_RELATIVE_BODY = re.compile(rf"(?<!{CJK}){RANK}{BUREAU}(?:党委书记|党组书记|局长|副局长)")


def test_relative_body_pattern_finds_what_the_plain_lookbehind_finds(texts):
    variants = [
        f"{before}{rank}{bureau}{post}"
        for before in ("", "深", "a", "。", "\n", "我代表")
        for rank in "市区县州旗省"
        for bureau in ("应急管理局", "应急局", "应急管理")
        for post in ("局长", "副局长", "党组书记", "干部")
    ]
    for text in [*texts, *variants, "".join(variants)]:
        plain = [(m.span(), m.group("rank")) for m in PLAIN_RELATIVE_BODY.finditer(text)]
        assert [(m.span(), m.group("rank")) for m in RELATIVE_BODIES[1].finditer(text)] == plain


def test_signature_and_document_number_lines_all_say_the_bureau_word(texts):
    extra = [
        "深应急〔2023〕5号",
        "深圳市应急管理局",
        "（深圳市应急局）",
        "深圳市人民政府",
        "文号：汕尾应急管理函〔2022〕12号",
    ]
    for text in [*texts, "\n".join(extra)]:
        page = _Page(text, "", "", None)  # the lines alone: no area is looked up
        for pattern in (SIGNATURE_LINE, DOC_NUMBER_LINE):
            matching = [line for line in page.lines if pattern.fullmatch(line)]
            assert all(BUREAU_WORD in line for line in matching)
            assert [line for line in page.bureau_lines if pattern.fullmatch(line)] == matching
    assert [line for line in extra if SIGNATURE_LINE.fullmatch(line)] == extra[1:3]


def test_bureau_name_lines_are_those_the_plain_pattern_finds(texts):
    plain = BUREAU_NAME_LINE.regex
    for text in [*texts, "深圳市应急管理局\n  宝安区应急局 \n我市应急管理局，\n\n坪山区应急管理局"]:
        assert [m.span() for m in BUREAU_NAME_LINE.finditer(text)] == [m.span() for m in plain.finditer(text)]
