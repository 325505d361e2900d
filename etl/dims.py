"""Which dim values (level, field, kind, role) the words around a figure name.

Read in order, the first that names a value wins:
1. a `分别为` list: `区、街道、社区三级队伍分别为14支、10支、201支` gives the i-th listed value to the
   i-th figure;
2. two values named together in the figure's segment (the words since the previous figure in the dim's
   window: `人大代表建议和政协委员提案45件`), a word naming the default (`建议、提案23件`), or a value
   given as an example (`村级分队等各类队伍215支`) mean the figure covers all: the dim's default;
3. the words the rule read before the figure, or after it (`31支应急救援队伍`), then the clause after it,
   then the segment;
4. inside a bracket after a figure (`提案9件(主办5件、会办4件)`): the segment of the figure it explains;
5. the rest of the window, nearest word first; when other figures stand between that word and ours and
   the window names several values (`建议14件、提案17件,其中主办20件`), the figure is their total: default.
Text here is masked: every other figure of the sentence is a run of '#'.
"""

from __future__ import annotations

import re

from etl.catalog import Dim
from etl.text_search import EndAnchored

RESPECTIVELY = EndAnchored(re.compile(r"分别(?:为|是|达到|达|有)?(?:[#、，,和及与]*)$"))
OPEN, CLOSE = "(（", ")）"
EXAMPLE_ITEM = 6  # characters from a level word to the 等 that closes its list item


def nearest(dim: Dim, text: str, from_right: bool) -> str | None:
    """The value whose word stands nearest the figure in `text`: at its end, or at its start (longest word
    on a tie)."""
    found = dim.word_finder.last(text) if from_right else dim.word_finder.first(text)
    return found[0] if found else None


def named(dim: Dim, text: str) -> set[str]:
    """Every value a word in `text` names (a longer word hides the shorter ones inside it)."""
    return dim.word_finder.named(text)


def read_dim(dim: Dim, before: str, after: str, left: str, clause_left: str) -> str | None:
    """The dim value the words around the figure name, or None where none is named."""
    window = left if dim.window == "sentence" else clause_left
    segment = window[window.rfind("#") + 1 :]
    listed = _respectively(dim, left)
    own = named(dim, segment)
    if listed or len(own) > 1 or own == {dim.default} or _only_an_example(dim, segment):
        return listed or dim.default
    before = before[before.rfind("#") + 1 :]  # a rule may read over other figures: their words are theirs
    return (
        nearest(dim, before, from_right=True)
        or nearest(dim, after, from_right=False)
        or (own.pop() if own else None)
        or _bracketed(dim, window)
        or _rest_of_window(dim, window)
    )


def _only_an_example(dim: Dim, segment: str) -> bool:
    """The level is one of a list closed by 等 (…、嘎查村应急分队等各类队伍215支): the figure is the total."""
    found = dim.word_finder.last(segment)  # the end of the word that ends last
    last = found[2] if found else -1
    closing = segment.find("等", last) if last >= 0 else -1
    # the level's own item runs up to 等 (村级应急分队等); 市本级组建危化、矿山等队伍 lists kinds, not levels
    return 0 <= last <= closing <= last + EXAMPLE_ITEM and "、" not in segment[last:closing]


def _respectively(dim: Dim, left: str) -> str | None:
    """The i-th value listed before `分别为` for the i-th figure after it."""
    m = RESPECTIVELY.search(left)
    if not m:
        return None
    index = len(re.findall("#+", m.group(0)))
    listed = _listed_values(dim, left[: m.start()])
    return listed[index] if len(listed) > index else None


def _listed_values(dim: Dim, text: str) -> list[str]:
    """The values of a `X、Y、Z` enumeration ending `text`'s clause: first item read from its end,
    last from its start (`全区区、街道、社区三级队伍` → county, township, village)."""
    clause = re.split(r"[，,。；;：:#]", text)[-1]
    items = clause.split("、")
    if len(items) < 2:
        return []
    words = {v: tuple(dim.list_words.get(v, ())) + dim.words.get(v, ()) for v in dim.values}
    values = [_item_value(words, item, i, len(items)) for i, item in enumerate(items)]
    return values if all(values) else []


def _item_value(words: dict[str, tuple[str, ...]], item: str, i: int, n: int) -> str | None:
    fits = [
        (len(w), v)
        for v, ws in words.items()
        for w in ws
        if (item.endswith(w) if i == 0 else item.startswith(w) if i == n - 1 else item == w)
    ]
    return max(fits)[1] if fits else None


def _bracketed(dim: Dim, window: str) -> str | None:
    """Inside `N件(…` the figure explains N: read the words that named N."""
    opened = max(window.rfind(c) for c in OPEN)
    if opened <= 0 or max(window.rfind(c) for c in CLOSE) > opened or window[opened - 1] != "#":
        return None
    head = window[:opened].rstrip("#")
    values = named(dim, head[head.rfind("#") + 1 :])
    return (values.pop() if len(values) == 1 else dim.default) if values else None


def _rest_of_window(dim: Dim, window: str) -> str | None:
    value = nearest(dim, window, from_right=True)
    if value is None:
        return None
    if _only_an_example(dim, window):
        return dim.default
    last_word_end = max(
        (window.rfind(w) + len(w) for w in dim.words[value] if w in window), default=len(window)
    )
    if "#" in window[last_word_end:] and len(named(dim, window)) > 1:
        return dim.default
    return value
