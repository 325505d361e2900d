"""Searches the extractor runs for every figure, made fast without changing what they find.

- `WordFinder`: which of a list of words stands nearest the end (or the start) of a text (the concept
  noun nearest on a figure's left, the dim word nearest it, the whole-area word nearest it), and which
  values a text's words name. A loop of `find` over a hundred words costs tens of microseconds a figure;
  the words compiled into one alternation, longest first (and reversed to search from the end), find the
  same words in one search.
- `EndAnchored`: a pattern anchored at the end (`…$`, as every `before` rule is) searched only where a
  match can start, the last characters of the text, not from every character of a long sentence.
- `BodyPattern`: `{BODY}tail` searched only just before the places where its tail stands.
- `LineAnchored`: a `^…` pattern (re.M) tried only at the starts of lines, not at every character.
"""

from __future__ import annotations

import itertools
import re
import re._constants as sre_constants  # the regex parser's own width of a pattern: see _reach
import re._parser as sre_parser
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

Value = TypeVar("Value")


class WordFinder(Generic[Value]):
    """Words each naming a value. Where one word is listed with several values, the first listed counts."""

    def __init__(self, pairs: Iterable[tuple[str, Value]]):
        self.values: dict[str, Value] = {}
        for word, value in pairs:
            if not word:
                raise ValueError("an empty word names nothing")
            self.values.setdefault(word, value)
        longest_first = sorted(self.values, key=len, reverse=True)
        self._from_start = any_word(longest_first)
        self._from_end = any_word([word[::-1] for word in longest_first])
        self._at_each_start = re.compile(f"(?=({self._from_start.pattern}))")  # overlapping: every start

    def last(self, text: str) -> tuple[Value, int, int] | None:
        """(value, start, end) of the word whose last occurrence ends nearest the end of `text` (the longest
        of those ending there), or None."""
        found = self._from_end.search(text[::-1])
        if found is None:
            return None
        end = len(text) - found.start()
        start = end - len(found.group())
        return self.values[text[start:end]], start, end

    def first(self, text: str) -> tuple[Value, int, int] | None:
        """(value, start, end) of the word that starts nearest the start of `text` (the longest of those
        starting there), or None."""
        found = self._from_start.search(text)
        return (self.values[found.group()], found.start(), found.end()) if found else None

    def named(self, text: str) -> set[Value]:
        """Every value a word in `text` names, a longer word hiding the shorter ones inside it (区县级: 区县,
        not 区 or 县). Of the words starting at one place only the longest can count, so that is all the
        pattern reports there."""
        values, reach = set(), -1
        for found in self._at_each_start.finditer(text):
            end = found.start() + len(found.group(1))
            if end > reach:  # not inside a longer word already read
                values.add(self.values[found.group(1)])
                reach = end
        return values


def any_word(words: list[str]) -> re.Pattern:
    """A pattern finding any of `words`, tried in the order given (one search, not a loop of `in`); the
    lookahead on the first character lets the engine pass over places where none can start."""
    if not words:
        return re.compile("(?!)")
    firsts = "".join(sorted({word[0] for word in words}))
    return re.compile(f"(?=[{re.escape(firsts)}])(?:{'|'.join(re.escape(word) for word in words)})")


class EndAnchored:
    """A compiled pattern whose `search` looks only in the last characters of a text when every match must
    end at the text's end (`$` at its top level) and is at most so wide; any other pattern is searched
    whole. Lookbehinds still see the characters before: the match is the one `re` finds."""

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.reach = _reach(regex)

    def search(self, text: str) -> re.Match | None:
        if self.reach is None or len(text) <= self.reach:  # (no `max`: this runs ~700 times a report)
            return self.regex.search(text)
        return self.regex.search(text, len(text) - self.reach)

    def match(self, text: str) -> re.Match | None:
        return self.regex.match(text)


def _reach(pattern: re.Pattern) -> int | None:
    """How far from the text's end a match can start: its widest match, plus one for the newline `$` may
    stand before; None where the pattern is not anchored at the text's end at its top level, or is
    unbounded."""
    try:
        parsed = sre_parser.parse(pattern.pattern, pattern.flags)
    except (AttributeError, re.error):  # the parser is CPython's own: without it, search the whole text
        return None
    at_end = len(parsed) > 0 and parsed[-1] == (sre_constants.AT, sre_constants.AT_END)
    anchored = at_end and not pattern.flags & re.MULTILINE  # with re.M, `$` is every line's end
    widest = parsed.getwidth()[1]
    return widest + 1 if anchored and widest < sre_constants.MAXREPEAT else None


class BodyPattern:
    """`body + tail`, where `body` is a run of `shortest` to `longest` characters (a body's name, lazily
    matched) and `tail` the words after it (应急管理局, 人民代表大会): searched only just before the places
    where the tail stands.

    Such a pattern, searched as it is, tries every length of the body at every character of a report (a
    millisecond or more); the places the tail stands are few. A match found here is the match the whole
    pattern finds there, so the results are the same.
    """

    def __init__(self, body: str, shortest: int, longest: int, tail: str, tail_starts: str = ""):
        """`tail_starts`: the characters every match of the tail starts with, where the tail does not open
        with a literal word (the engine then finds the places to try itself)."""
        self.pattern = re.compile(body + tail)
        self.shortest, self.longest = shortest, longest
        self._tail = re.compile(f"(?=[{re.escape(tail_starts)}])(?:{tail})" if tail_starts else tail)

    def finditer(self, text: str) -> Iterator[re.Match]:
        """What `pattern.finditer(text)` yields."""
        tails = self._tail_starts(text)
        starts = sorted({s for at in tails for s in range(max(0, at - self.longest), at - self.shortest + 1)})
        resume = 0  # matches do not overlap: the next starts where the last ended, at the earliest
        for start in starts:
            if start >= resume and (found := self.pattern.match(text, start)):
                yield found
                resume = found.end()

    def search(self, text: str) -> re.Match | None:
        """What `pattern.search(text)` finds."""
        return next(self.finditer(text), None)

    def _tail_starts(self, text: str) -> list[int]:
        """Every place the tail stands, overlapping ones too (each search goes on one past the last)."""
        starts, found = [], self._tail.search(text)
        while found:
            starts.append(found.start())
            found = self._tail.search(text, found.start() + 1)
        return starts


class LineAnchored:
    """A pattern compiled with re.M that starts with `^`, so every match starts a line: `finditer` tries it
    at line starts only (found by a fast search for newlines), not at every character of a report, where
    the engine has no first character to skip to. Any other pattern, and one that can match the empty
    string, is searched as it is. The matches are the ones `re` finds."""

    NEWLINE = re.compile("\n")

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self._line_starts_only = _line_anchored(regex)

    def finditer(self, text: str) -> Iterator[re.Match]:
        """What `regex.finditer(text)` yields."""
        if not self._line_starts_only:
            yield from self.regex.finditer(text)
            return
        resume = 0  # matches are never empty here: the next one starts where the last ended, at the earliest
        for start in itertools.chain((0,), (m.end() for m in self.NEWLINE.finditer(text))):
            if start >= resume and (found := self.regex.match(text, start)):
                yield found
                resume = found.end()


def _line_anchored(pattern: re.Pattern) -> bool:
    """Whether every match of `pattern` starts a line and none is empty."""
    try:
        parsed = sre_parser.parse(pattern.pattern, pattern.flags)
    except (AttributeError, re.error):
        return False
    starts_a_line = (
        len(parsed) > 0
        and parsed[0] == (sre_constants.AT, sre_constants.AT_BEGINNING)  # `^`: each line's start with re.M
        and bool(pattern.flags & re.MULTILINE)
    )
    return starts_a_line and parsed.getwidth()[0] > 0
