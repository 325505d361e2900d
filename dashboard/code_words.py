"""Codes the ETL stores, said in words in the page's language: value flags, population sources and the
notes that set a part-year period (the ETL keeps the report's own Chinese words, 截至2023年8月). Nothing
stored as a code is shown as one; a code no entry knows is shown as stored rather than dropped.
"""

from __future__ import annotations

import re

from dashboard.i18n import DEFAULT_LANG, t

FLAG_WORDS: dict[str, dict[str, str]] = {
    "unit_inferred": {"zh": "单位为推断", "en": "unit inferred"},
    "loose_unit": {"zh": "单位不够确切", "en": "loose unit"},
    "rate_mismatch": {"zh": "比率与计数不符", "en": "rate does not match its counts"},
    "rate_over_100": {"zh": "比率超过100%", "en": "rate over 100%"},
}
# `rectified_gt_found` (etl/resolve.py Ratio.over_flag): a part reported larger than its whole
GREATER_THAN_FLAG = re.compile(r"(?P<part>[a-z]+)_gt_(?P<whole>[a-z]+)")
GREATER_THAN_WORDS = {"zh": "分项大于总数（{part} > {whole}）", "en": "{part} greater than {whole}"}

LIST_SEPARATORS = {"zh": "、", "en": ", "}

POPULATION_SOURCES: dict[str, dict[str, str]] = {
    "census2020_gazette": {"zh": "普查公报", "en": "census gazette"},
    "census2020_tabulation": {"zh": "普查资料汇编", "en": "census tabulation"},
}

MONTH = r"(?:1[0-2]|0?[1-9])"
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Part-year notes as reports write them, in English: (pattern, template over its groups)
PERIOD_NOTES_EN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"截至(?:(?P<year>\d{{4}})年)?(?P<month>{MONTH})月(?:底|末)?"), "to end of {month}{year}"),
    (
        re.compile(rf"(?:(?P<year>\d{{4}})年)?(?P<first>{MONTH})\s*[-—–至~]\s*(?P<month>{MONTH})月"),
        "{first}–{month}{year}",
    ),
    (re.compile(r"上半年"), "first half"),
    (re.compile(r"前三季度"), "first three quarters"),
)


def flag_words(flag: str, lang: str) -> str:
    """A value's flag in words."""
    if flag in FLAG_WORDS:
        return FLAG_WORDS[flag].get(lang, FLAG_WORDS[flag][DEFAULT_LANG])
    match = GREATER_THAN_FLAG.fullmatch(flag)
    if match:
        return GREATER_THAN_WORDS.get(lang, GREATER_THAN_WORDS[DEFAULT_LANG]).format(**match.groupdict())
    return flag


def flags_words(flags: object, lang: str) -> str:
    """A value's flags in words, joined as a list is in the language."""
    return LIST_SEPARATORS.get(lang, "、").join(flag_words(flag, lang) for flag in flags)


def population_source_words(source: str, lang: str) -> str:
    entry = POPULATION_SOURCES.get(source)
    return entry.get(lang, entry[DEFAULT_LANG]) if entry else source


def period_note_words(note: str | None, period: str, lang: str) -> str:
    """The words that set a part-year or cumulative period: the report's own in Chinese; in English, the
    same read from its Chinese where the form is known, else the period's kind (partial year)."""
    if lang == DEFAULT_LANG:
        return note or t(period, lang)
    for pattern, template in PERIOD_NOTES_EN:
        match = pattern.fullmatch((note or "").strip())
        if match:
            found = match.groupdict()
            return template.format(
                first=MONTHS_EN[int(found["first"]) - 1] if found.get("first") else "",
                month=MONTHS_EN[int(found["month"]) - 1] if found.get("month") else "",
                year=f" {found['year']}" if found.get("year") else "",
            )
    return t(period, lang)
