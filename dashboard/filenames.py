"""File names for exported charts: say what is inside (category, indicator, areas, year), safe on Windows.

The dashboard's toolbar PNG (areas, indicator, year: `view_file_stem`), the panel export menu and
`python -m dashboard export` all name files here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_FILENAME_CHARS = 120  # well inside Windows' 255, leaving room for the folder in MAX_PATH
WINDOWS_ILLEGAL_CHARS = re.compile(
    r"[<>:\"/\\|?*]"  # reserved by Windows in any file name
    r"|[\x00-\x1f\x7f]"  # control characters
)
WHITESPACE_RUN = re.compile(r"\s+")
# Device names Windows refuses as a file name, with or without an extension (CON.png is CON).
WINDOWS_RESERVED_STEMS = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{n}" for n in range(1, 10)]
    + [f"LPT{n}" for n in range(1, 10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
AREA_NAME_JOINER = "、"
MAX_AREAS_IN_NAME = 4  # past this the name says "+N"


def safe_filename(name: str, max_chars: int = MAX_FILENAME_CHARS) -> str:
    """`name` made safe as a file name on Windows, keeping Chinese and the extension where it fits."""
    cleaned = WINDOWS_ILLEGAL_CHARS.sub("_", WHITESPACE_RUN.sub(" ", name)).strip()
    stem, dot, ext = cleaned.rpartition(".")
    if not dot or not stem or len(ext) > 5:
        stem, ext = cleaned, ""
    suffix = f".{ext}" if ext else ""
    stem = stem[: max(1, max_chars - len(suffix))].rstrip(" .")
    if not stem:
        stem = "_"
    if stem.split(".")[0].rstrip().upper() in WINDOWS_RESERVED_STEMS:
        stem = f"_{stem}"
    return stem + suffix


def chart_stem(
    category: str, indicator: str, areas: Sequence[str], year: str, joiner: str = AREA_NAME_JOINER
) -> str:
    """`<category>-<indicator>_<areas>_<year>`: what a chart file holds, before the extension; `year` and
    `joiner` in the page's language (`最新`, `, ` in English: 、 is no English separator)."""
    return f"{category}-{indicator}_{areas_in_name(areas, joiner)}_{year}"


def areas_in_name(areas: Sequence[str], joiner: str = AREA_NAME_JOINER) -> str:
    """The first MAX_AREAS_IN_NAME areas joined, then "+N" for the rest."""
    named = joiner.join(areas[:MAX_AREAS_IN_NAME])
    more = len(areas) - MAX_AREAS_IN_NAME
    return named + (f"+{more}" if more > 0 else "")


def view_file_stem(areas: Sequence[str], indicator: str, year: str, joiner: str = AREA_NAME_JOINER) -> str:
    """`<areas>-<indicator>-<year>`, e.g. `深圳、漯河-隐患整改率-2023`: what the toolbar PNG shows, in the
    page's words only (no internal id)."""
    return f"{areas_in_name(areas, joiner)}-{indicator}-{year}"


def chart_filename(category: str, indicator: str, areas: Sequence[str], year: str, ext: str) -> str:
    """The Windows-safe file name for one chart, e.g. `隐患排查整治-隐患整改率_深圳、漯河_2022.png`."""
    return safe_filename(f"{chart_stem(category, indicator, areas, year)}.{ext}")


def unique_names(names: Sequence[str]) -> list[str]:
    """The names with a counter added to repeats (`a.png`, `a (2).png`), so no file overwrites another."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        stem, dot, ext = name.rpartition(".")
        unique.append(name if seen[name] == 1 else f"{stem} ({seen[name]}){dot}{ext}")
    return unique
