"""The fast searches of etl/text_search.py, etl/char_classes.py and the guarded regexes of
etl/quantity_tables.py find exactly what the plain forms they replace find: the same word, the same match,
the same count. Checked against those plain forms (a loop of `rfind`, `re.search` over the whole text,
a count per character) on the seed reports, on texts the tests use, and on random texts over small
alphabets (where words overlap and collide far more often than in prose)."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from etl import metadata_patterns
from etl.catalog import load_catalog
from etl.extract import _compiled_rules, _mask
from etl.ingest import GARBLED, _is_garbled
from etl.normalise import CONTROLS, NARROW, _is_narrow, display_width
from etl.quantities import Quantity
from etl.quantity_tables import BLOCKED_FAMILIES, BLOCKED_RE
from etl.text_search import BodyPattern, EndAnchored, WordFinder, _reach

REPORTS = sorted((Path(__file__).resolve().parent.parent / "data" / "reports").glob("*.txt"))
SEEDS = [path.read_text(encoding="utf-8") for path in REPORTS]
EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


def random_texts(alphabet: str, count: int, longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


# --- counting characters ------------------------------------------------------------------------------
@pytest.mark.parametrize(("counter", "test"), [(NARROW, _is_narrow), (GARBLED, _is_garbled)])
def test_a_char_class_counts_every_character_its_test_accepts(counter, test):
    assert counter.count(EVERY_CHARACTER) == sum(map(test, EVERY_CHARACTER))
    for text in random_texts("a1，漯\x00\ufffd\ue000\U00020000\U0001f600\U000e0001\udc80", 300, 12, seed=1):
        assert counter.count(text) == sum(map(test, text)), repr(text)


@pytest.mark.parametrize(
    ("line", "columns"),
    [
        ("", 0),
        ("abc 12", 6),
        ("漯河市应急管理局", 16),
        ("“安全生产月”", 14),  # curly quotes are ambiguous: two columns in a CJK font
        ("ｱ", 1),  # half-width katakana
        ("\U00020000\U0001f600", 4),  # above the plane: a CJK extension B ideograph, an emoji
        ("\U000e0001a", 2),  # a language tag: narrow
    ],
)
def test_display_width(line, columns):
    assert display_width(line) == columns
    assert display_width(line) == sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in line)


def test_controls_are_category_cc_but_newline_and_form_feed():
    found = set(CONTROLS.findall(EVERY_CHARACTER))
    assert found == {ch for ch in EVERY_CHARACTER if unicodedata.category(ch) == "Cc"} - {"\n", "\f"}


# --- the nearest word ---------------------------------------------------------------------------------
WORDS = [("队伍", "team"), ("救援队伍", "rescue"), ("队", "squad"), ("伍", "five"), ("队伍", "again")]


def nearest_by_loop(text: str, from_end: bool) -> str | None:
    """The definition: rfind (find) of every word, the nearest end (start), longest on a tie, first listed."""
    best, best_key = None, None
    for word, value in WORDS:
        pos = text.rfind(word) if from_end else text.find(word)
        key = (pos + len(word), len(word)) if from_end else (-pos, len(word))
        if pos >= 0 and (best_key is None or key > best_key):
            best, best_key = value, key
    return best


def named_by_loop(text: str) -> set[str]:
    """The definition: every occurrence of every word, a longer one hiding those inside it."""
    spans = sorted(
        ((m.start(), m.start() + len(w), v) for w, v in WORDS for m in re.finditer(f"(?={w})", text)),
        key=lambda s: (s[0], -(s[1] - s[0])),
    )
    values, reach = set(), -1
    for _, end, value in spans:
        if end > reach:
            values.add(value)
            reach = end
    return values


def test_word_finder_finds_what_a_loop_over_the_words_finds():
    finder = WordFinder(WORDS)
    for text in ["", "救援队伍12支", "队伍#救援队", "伍队伍", *random_texts("救援队伍#，", 2000, 14, 2)]:
        last, first = finder.last(text), finder.first(text)
        assert (last[0] if last else None) == nearest_by_loop(text, from_end=True), text
        assert (first[0] if first else None) == nearest_by_loop(text, from_end=False), text
        if last:
            assert text[last[1] : last[2]] in dict(WORDS)
        assert finder.named(text) == named_by_loop(text), text


def test_a_word_finder_refuses_an_empty_word():
    with pytest.raises(ValueError, match="empty word"):
        WordFinder([("", "nothing")])


# --- a pattern anchored at the end ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "reach"),
    [
        (r"(?:共计|合计)?达到$", 5),
        (r"[^，]{0,8}人员$", 11),
        (r"队伍#+$", None),  # unbounded
        (r"队伍$|人员", None),  # `$` in one branch only
        (r"队伍\Z", None),
    ],
)
def test_reach_of_an_end_anchored_pattern(pattern, reach):
    assert _reach(re.compile(pattern)) == reach
    assert _reach(re.compile(pattern, re.MULTILINE)) is None  # every line's end: no bound


def test_end_anchored_rules_find_what_a_whole_search_finds():
    cc = _compiled_rules(load_catalog())
    patterns = [rule.before for ir in cc.indicators for rule in ir.rules if rule.before]
    patterns += list(cc.comparisons.values())
    assert any(p.reach for p in patterns)
    lefts = [text[max(0, end - 120) : end] for text in SEEDS for end in range(0, len(text), 7)]
    for pattern in patterns:
        for left in lefts:
            ours, whole = pattern.search(left), pattern.regex.search(left)
            assert (ours and (ours.span(), ours.groupdict())) == (whole and (whole.span(), whole.groupdict()))


def test_a_lookbehind_still_sees_before_where_the_search_starts():
    pattern = EndAnchored(re.compile(r"(?<!较)增加\d$"))
    assert pattern.reach == 4  # three characters, and the newline `$` may stand before
    # the search starts at 增 (one before the end's reach); the lookbehind reads 较 before it
    assert pattern.search("较增加3\n") is None
    assert pattern.search("今增加3\n").span() == (1, 4)


# --- a body's name before its tail ----------------------------------------------------------------------
BODY_PATTERNS = [
    metadata_patterns.ASSEMBLY,
    metadata_patterns.NAMED_BODY,
    *(p for p in (*metadata_patterns.FOOTERS, *metadata_patterns.NEWS_SOURCES) if isinstance(p, BodyPattern)),
]
BODY_ALPHABET = "漯河市第七届人民代表大会人大常委会政协应急管理局版权所有门户网站通讯员消息，。 \n12"


@pytest.mark.parametrize("pattern", BODY_PATTERNS, ids=lambda p: p.pattern.pattern[-16:])
def test_a_body_pattern_finds_what_the_whole_pattern_finds(pattern):
    for text in [*SEEDS, *random_texts(BODY_ALPHABET, 3000, 60, 3)]:
        ours = [(m.span(), m.group("body")) for m in pattern.finditer(text)]
        assert ours == [(m.span(), m.group("body")) for m in pattern.pattern.finditer(text)]
        found, whole = pattern.search(text), pattern.pattern.search(text)
        assert (found and found.span()) == (whole and whole.span())


def test_a_tail_starts_where_its_pattern_says():
    assert metadata_patterns.ASSEMBLY._tail.pattern.startswith("(?=[第人政])")
    tail = metadata_patterns.ASSEMBLY._tail.pattern.removeprefix("(?=[第人政])")
    for text in [*SEEDS, *random_texts(BODY_ALPHABET + "十三", 3000, 40, 5)]:
        assert all(text[m.start()] in "第人政" for m in re.finditer(f"(?=(?:{tail}))", text))  # overlaps too


# --- never-figures -------------------------------------------------------------------------------------
# as find_quantities reads them: full-width forms (：, （）) already plain
NEVER_FIGURES = [
    "2023-12-11", "2023.1.3", "16:44", "8时30分", "0755-83071111", "(0755)83071111", "400-123-4567",
    "13812345678", "电话:67510195", "邮政编码 518000", "12345热线", "拨打 12350", "7·20", "1+9+N",
    "两委+4+11办", "〔2023〕", "(2023)", "三位一体", "一户一策", "最后一公里",
]  # fmt: skip


def test_each_never_figure_family_starts_where_its_guard_says():
    texts = [*SEEDS, *NEVER_FIGURES, *random_texts("0123:-+·(〔电话：热线拨打一户策" + "年月", 2000, 20, 4)]
    for first, family in BLOCKED_FAMILIES:
        starts = re.compile(f"[{first}]")
        for text in texts:
            for m in re.finditer(family, text):
                assert starts.match(m.group()), (family, m.group())
    unguarded = re.compile("|".join(family for _, family in BLOCKED_FAMILIES))
    for text in texts:
        assert [m.span() for m in BLOCKED_RE.finditer(text)] == [m.span() for m in unguarded.finditer(text)]
    assert all(BLOCKED_RE.search(text) for text in NEVER_FIGURES)


# --- the masked text -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spans", "masked"),
    [
        ([], "队伍51支2744人"),
        ([(2, 5), (5, 10)], "队伍########"),
        ([(5, 10), (2, 5)], "队伍########"),  # any order
        ([(2, 6), (3, 5)], "队伍####744人"),  # one inside another
        ([(2, 6), (4, 8)], "队伍######4人"),  # overlapping
    ],
)
def test_mask_puts_a_hash_for_every_character_of_every_figure(spans, masked):
    figures = [Quantity(1.0, None, None, start, end, start, end) for start, end in spans]
    assert _mask("队伍51支2744人", figures) == masked
