"""The scale corpus: the seed reports rewritten for N prefecture-level cities × a span of years.

`python -m tests.make_corpus --areas 300 --years 2015-2024 --out DIR [--seed S]` writes one report per
city, year and template (`<code>-<year>-<template>.txt`, ~100 MB at 300 × 10) and `DIR/.gold.jsonl`, the
facts each report gives, so `python -m etl.score DIR/.gold.jsonl --extract DIR` measures the ETL at scale.
Each report names its own city, province, districts and years, and its figures are scaled by factors
drawn from the seed: the same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.areas import MUNICIPALITIES, Area, AreaTable
from tests.corpus_templates import CN_DIGITS, RANK_WORDS, Figure, Slot, Template, load_templates

FACTOR = (0.6, 1.6)  # a count is scaled by a factor in this range; a rate's distance to 100% too
CITY_SUFFIXES = ("市", "自治州")  # cities first; autonomous prefectures only past the 293 cities
GOLD_NAME = ".gold.jsonl"  # hidden: the ETL walk skips dot files, so the gold is no refused input
CORPUS_FILE = re.compile(r"\d{6}-\d{4}-[a-z-]+\.txt")


@dataclass(frozen=True)
class CorpusInfo:
    out: Path
    files: int
    bytes: int
    areas: list[str]  # area codes, in the order they were picked
    years: list[int]
    gold: Path


def pick_areas(table: AreaTable, count: int) -> list[Area]:
    """`count` prefecture-level cities, one province after another in turn (code order), so any N is
    spread across provinces; autonomous prefectures follow all 市. Municipalities are not used: the
    templates name a province beside the city."""
    order: list[Area] = []
    for suffix in CITY_SUFFIXES:
        by_province: dict[str, list[Area]] = defaultdict(list)
        for area in sorted(table.areas, key=lambda a: a.code):
            if area.level == "city" and area.code not in MUNICIPALITIES and area.name.endswith(suffix):
                by_province[area.province_code].append(area)
        rounds = max(map(len, by_province.values()))
        order += [
            cities[i] for i in range(rounds) for _, cities in sorted(by_province.items()) if i < len(cities)
        ]
    if not 0 < count <= len(order):
        raise ValueError(f"--areas must be 1 to {len(order)} (the prefecture-level cities of the area table)")
    return order[:count]


def make_corpus(
    out: Path, areas: int = 300, years: tuple[int, int] = (2015, 2024), seed: int = 0
) -> CorpusInfo:
    """Write the corpus and its gold into `out` (created; earlier corpus files not written now are removed)."""
    first, last = years
    if first > last:
        raise ValueError(f"--years {first}-{last}: the first year is after the last")
    table, templates = _inputs()
    targets = pick_areas(table, areas)
    out.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    size = 0
    with (out / GOLD_NAME).open("w", encoding="utf-8") as gold:
        for target in targets:
            district = _first_district(table, target)
            for year in range(first, last + 1):
                for template in templates:
                    name = f"{target.code}-{year}-{template.spec.name}.txt"
                    text, lines = _rewrite(template, target, table, district, year, seed, name)
                    data = text.encode("utf-8")
                    (out / name).write_bytes(data)
                    gold.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
                    written.add(name)
                    size += len(data)
    _remove_stale(out, written)
    return CorpusInfo(
        out, len(written), size, [a.code for a in targets], list(range(first, last + 1)), out / GOLD_NAME
    )


@cache
def _inputs() -> tuple[AreaTable, list[Template]]:
    """The area table and the cut templates: read once per process (the ETL runs on the seeds once)."""
    table = AreaTable.load()
    return table, load_templates(table)


def _first_district(table: AreaTable, city: Area) -> str:
    """The name a local place of the template becomes: the city's first district (市区 where it has none)."""
    districts = sorted((a.code, a.name) for a in table.areas if a.parent_code == city.code)
    return districts[0][1] if districts else "市区"


def _rewrite(
    template: Template, target: Area, table: AreaTable, district: str, year: int, seed: int, name: str
) -> tuple[str, list[dict]]:
    """One generated report and its gold lines."""
    rng = random.Random(f"{seed}:{target.code}:{year}:{template.spec.name}")
    factors = [rng.uniform(*FACTOR) for _ in range(template.groups)]
    numbers = [_varied(figure, factors[figure.group], rng.uniform(*FACTOR)) for figure in template.figures]
    names = _names(template, target, table.by_code(target.province_code), district)
    shift = year - template.year

    def fill(pieces: list[str | Slot]) -> str:
        return "".join(p if isinstance(p, str) else _filled(p, names, shift, numbers) for p in pieces)

    lines = []
    for gold in template.gold:
        figure = template.figures[gold.figure]
        value = float(gold.line["value"]) * float(numbers[gold.figure]) / float(figure.digits)
        lines.append(
            gold.line
            | {"doc": name, "area": target.short_name, "area_code": target.code}
            | {
                "year": int(gold.line["year"]) + shift,
                "value": _number(value),
                "evidence": fill(gold.evidence),
            }
        )
    return fill(template.pieces), lines


def _number(value: float) -> int | float:
    """A gold value as the seed gold writes it: 21, not 21.0."""
    value = round(value, 6)
    return int(value) if value.is_integer() else value


def _varied(figure: Figure, factor: float, spread: float) -> str:
    """A count times `factor`, or a rate whose distance to 100% is times `spread`; written with the
    template's decimals, never 0."""
    value = float(figure.digits)
    value = 100 - (100 - value) * spread if figure.rate else value * factor
    smallest = 10.0**-figure.decimals
    value = min(max(round(value, figure.decimals), smallest), 100.0 if figure.rate else float("inf"))
    return f"{value:.{figure.decimals}f}"


def _names(template: Template, target: Area, province: Area, district: str) -> dict[str, str]:
    """What each name slot of the template says for `target`."""
    home, home_province = template.home, template.province
    rank = "州" if target.name.endswith("自治州") else "市"
    names = {word: word.replace("市", rank) for word in RANK_WORDS}
    names |= {phrase: wording.format(district=district) for phrase, wording in template.spec.local}
    names |= {home_province.name: province.name, home_province.short_name: province.short_name}
    return names | {home.name: target.name, home.short_name: target.short_name}


def _filled(slot: Slot, names: dict[str, str], shift: int, numbers: list[str]) -> str:
    if slot.kind == "name":
        return names[slot.key]
    if slot.kind == "figure":
        return numbers[slot.key]
    year = str(slot.key + shift)
    return year if slot.kind == "year" else "".join(CN_DIGITS[int(d)] for d in year)


def _remove_stale(out: Path, written: set[str]) -> None:
    """Reports of an earlier, larger corpus in the same folder would be read with this one."""
    for path in out.iterdir():
        if CORPUS_FILE.fullmatch(path.name) and path.name not in written:
            path.unlink()


def _year_range(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: give a year or a range like 2015-2024")
    return int(match.group(1)), int(match.group(2) or match.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.make_corpus", description=__doc__.splitlines()[0])
    ap.add_argument("--areas", type=int, default=300, help="prefecture-level cities (default 300)")
    ap.add_argument(
        "--years", type=_year_range, default=(2015, 2024), help="A-B, inclusive (default 2015-2024)"
    )
    ap.add_argument(
        "--out", type=Path, required=True, help="folder to write the reports and .gold.jsonl into"
    )
    ap.add_argument("--seed", type=int, default=0, help="seed of the figures' factors (default 0)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    try:
        info = make_corpus(args.out, args.areas, args.years, args.seed)
    except (ValueError, OSError) as error:
        print(f"make_corpus: {args.out}: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(f"{info.files} files, {info.bytes / 1e6:.1f} MB, {seconds:.1f} s -> {info.out} (gold: {info.gold})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
