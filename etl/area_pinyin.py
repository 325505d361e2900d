"""The areas' pinyin search keys ("shenzhen sz"), read from data/reference/pinyin.csv.

Working them out with pypinyin costs a full build ~0.7 s of CPU (its import and 3,000 readings), so they
are worked out once and stored beside the area table. Each stored key carries the short name it was made
from: a key whose short name no longer matches the table (a renamed division, a changed short-name rule)
is not used, and the area's key is worked out again. `python -m etl.area_pinyin` rewrites the file;
tests/test_areas.py checks that it equals what pypinyin gives.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

PINYIN_FILE = "pinyin.csv"  # code, short_name, pinyin; the city and county rows, sorted by code
PINYIN_COLUMNS = ("code", "short_name", "pinyin")
# Place names that pypinyin reads with the wrong heteronym (漯 tà, 朝 zhāo, 单 dān).
PINYIN_OVERRIDES = {"漯河": "luo he", "朝阳": "chao yang", "单县": "shan xian"}


def pinyin_key(name: str) -> str:
    """Search key for the dashboard: full toneless pinyin and initials, e.g. "shenzhen sz"."""
    from pypinyin import Style, lazy_pinyin  # here: a run reads the stored keys (read_pinyin)

    override = PINYIN_OVERRIDES.get(name)
    syllables = override.split() if override else lazy_pinyin(name, style=Style.NORMAL)
    return f"{''.join(syllables)} {''.join(s[0] for s in syllables if s)}".lower()


def read_pinyin(ref_dir: Path) -> dict[str, tuple[str, str]]:
    """code -> (the short name its key was made from, the key); empty when the folder has no file."""
    path = ref_dir / PINYIN_FILE
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: (row["short_name"], row["pinyin"]) for row in csv.DictReader(handle)}


def write_pinyin(path: Path, areas: Iterable[tuple[str, str]]) -> None:
    """Write the key of each (code, short name), sorted by code."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PINYIN_COLUMNS)
        writer.writerows((code, short, pinyin_key(short)) for code, short in sorted(areas))


def main() -> None:
    from etl.areas import DEFAULT_REF_DIR, PRODUCT_LEVELS, AreaTable

    table = AreaTable.load()
    rows = [(area.code, area.short_name) for area in table.areas if area.level in PRODUCT_LEVELS]
    write_pinyin(DEFAULT_REF_DIR / PINYIN_FILE, rows)
    print(f"wrote {len(rows)} keys to {DEFAULT_REF_DIR / PINYIN_FILE}")


if __name__ == "__main__":
    main()
