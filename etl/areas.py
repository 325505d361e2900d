"""The area table: every city and county with its code, short name, parent, province and 2020 population.

Built from data/reference (divisions.csv + population_2020.csv). The code is an area's identity: short
names collide (长沙市/长沙县, four 朝阳), so lookups by name return every match and the caller decides.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from etl.area_pinyin import pinyin_key, read_pinyin
from etl.catalog import YAML_LOADER

DEFAULT_REF_DIR = Path(__file__).parent.parent / "data" / "reference"
ABBREVIATIONS_PATH = Path(__file__).with_name("area_abbreviations.yaml")

MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
PRODUCT_LEVELS = ("city", "county")  # the levels that report; provinces only hold the tree together
SOURCE_LEVEL_TO_LEVEL = {"prefecture": "city", "county": "county", "province": "province"}

# Suffixes dropped from a full name, tried in this order. A suffix is dropped only when the stem left is
# at least `min_stem` characters long: 碑林区 and 清新区 are ordinary 区 whose stem ends in 林 / 新, while
# 神农架林区 and 浦东新区 are a forest district and a new district.
SUFFIXES: tuple[tuple[str, int], ...] = (
    ("自治州", 1),
    ("自治县", 1),
    ("自治区", 1),
    ("地区", 2),
    ("特区", 2),
    ("林区", 3),
    ("新区", 2),
    ("矿区", 2),
    ("盟", 2),
    ("省", 2),
    ("市", 2),
    ("区", 2),
    ("县", 2),
)
# 旗 is part of the name (科尔沁右翼前旗); an autonomous banner keeps it after losing its ethnic name.
BANNER_SUFFIXES = (("自治旗", "旗"),)
AUTONOMOUS_SUFFIXES = ("自治州", "自治县", "自治区", "自治旗")
# The everyday form of an autonomous unit's name: its short name + 州/县 (昌吉州, 恩施州, 长阳县). Reports
# and headlines use it far more than the full name; 昌吉州 must not fall through to 吉州区.
COMMON_FORM_SUFFIXES = (("自治州", "州"), ("自治县", "县"))
# Document numbers abbreviate an autonomous prefecture to its first character + 州 (昌州应急函, 延州应急发).
PREFECTURE_ABBREVIATION_SUFFIX = "州"

# Ethnic names that stand before 自治 in a division name. One-character names are dropped only with 族
# (长白朝鲜族自治县 -> 长白, not 长); 各族 covers 龙胜各族自治县.
ETHNIC_NAMES_TEXT = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 "
    "傈僳 佤 畲 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 "
    "毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
)
ETHNIC_NAMES = tuple(ETHNIC_NAMES_TEXT.split())
_ETHNIC_LONGEST_FIRST = sorted(ETHNIC_NAMES, key=len, reverse=True)


@dataclass(frozen=True)
class Area:
    """One row of the `areas` table (field order, then `pinyin`, = schema.sql column order)."""

    code: str
    name: str
    short_name: str
    level: str  # city | county | province
    parent_code: str | None
    province_code: str
    province: str
    population: int | None
    population_source: str | None

    @property
    def pinyin(self) -> str:
        """Worked out with pypinyin when asked (~0.6 s to import it and read 3,000 names): the areas table
        takes the stored key instead (AreaTable.pinyin)."""
        return pinyin_key(self.short_name)


def _strip_ethnic(stem: str) -> str:
    """Drop the ethnic names before 自治 (恩施土家族苗族 -> 恩施), keeping a stem of two characters."""
    while True:
        for ethnic in _ETHNIC_LONGEST_FIRST:
            for ending in (ethnic + "族", ethnic if len(ethnic) > 1 else None):
                if ending and stem.endswith(ending) and len(stem) - len(ending) >= 2:
                    stem = stem[: -len(ending)]
                    break
            else:
                continue
            break
        else:
            # 东乡族自治县: the stem is itself an ethnic name; drop only 族
            return stem[:-1] if stem.endswith("族") and len(stem) > 2 else stem


def short_name(full_name: str) -> str:
    """The display name by the gold README rule: 深圳市->深圳, 甘孜藏族自治州->甘孜, 渠县 stays 渠县."""
    for suffix, kept in BANNER_SUFFIXES:
        if full_name.endswith(suffix):
            return _strip_ethnic(full_name[: -len(suffix)]) + kept
    for suffix, min_stem in SUFFIXES:
        stem = full_name[: -len(suffix)]
        if full_name.endswith(suffix) and len(stem) >= min_stem:
            return _strip_ethnic(stem) if suffix in AUTONOMOUS_SUFFIXES else stem
    return full_name


def common_forms(full_name: str) -> tuple[str, ...]:
    """The other names a report gives the unit in full: 昌吉回族自治州 -> 昌吉州 (none for 深圳市)."""
    for suffix, kept in COMMON_FORM_SUFFIXES:
        if full_name.endswith(suffix):
            return (short_name(full_name) + kept,)
    return ()


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class AreaTable:
    """All divisions, indexed by code, full name and short name."""

    def __init__(
        self,
        areas: list[Area],
        abbreviations: dict[str, dict[str, str]] | None = None,
        stored_pinyin: dict[str, tuple[str, str]] | None = None,
    ):
        self.areas = areas
        self.abbreviations = abbreviations or {"provinces": {}, "cities": {}}
        self._stored_pinyin = stored_pinyin or {}  # code -> (short name, key): etl/area_pinyin.py
        self._by_code = {area.code: area for area in areas}
        self._by_name: dict[str, list[Area]] = defaultdict(list)
        self._by_full_name: dict[str, list[Area]] = defaultdict(list)
        for area in areas:
            for name in (area.name, *common_forms(area.name)):
                self._by_full_name[name].append(area)
            for name in {area.name, area.short_name, *common_forms(area.name)}:
                self._by_name[name].append(area)
        # the last characters of full names (市, 县, 州...): a scan for full names in a text looks up only
        # the places where one of them stands
        self.full_name_ends = frozenset(name[-1] for name in self._by_full_name)
        self._derived_abbreviations = self._prefecture_abbreviations()

    def _prefecture_abbreviations(self) -> dict[str, Area]:
        """昌州 -> 昌吉州: first character + 州 for each autonomous prefecture, unless the two characters
        also name a division (甘州区) or another prefecture (海北, 海南, 海西 -> 海州): then no guess."""
        owners: dict[str, list[Area]] = defaultdict(list)
        for area in self.areas:
            if area.name.endswith("自治州"):
                owners[area.short_name[0] + PREFECTURE_ABBREVIATION_SUFFIX].append(area)
        return {
            abbr: found[0] for abbr, found in owners.items() if len(found) == 1 and abbr not in self._by_name
        }

    @classmethod
    def load(cls, ref_dir: Path | None = None) -> AreaTable:
        """Read divisions.csv and population_2020.csv from `ref_dir` (default: the repo's data/reference)."""
        ref_dir = ref_dir or DEFAULT_REF_DIR
        divisions = _read_csv(ref_dir / "divisions.csv")
        population = {row["code"]: row for row in _read_csv(ref_dir / "population_2020.csv")}
        province_names = {row["code"]: row["name"] for row in divisions if row["level"] == "province"}
        areas = []
        for row in divisions:
            code = row["code"]
            level = "city" if code in MUNICIPALITIES else SOURCE_LEVEL_TO_LEVEL[row["level"]]
            census = population.get(code)
            short = short_name(row["name"])
            areas.append(
                Area(
                    code=code,
                    name=row["name"],
                    short_name=short,
                    level=level,
                    parent_code=row["parent_code"] or None,
                    province_code=row["province_code"],
                    province=province_names[row["province_code"]],
                    population=int(census["population"]) if census else None,
                    population_source=census["source"] if census else None,
                )
            )
        abbreviations = yaml.load(ABBREVIATIONS_PATH.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        return cls(areas, abbreviations, read_pinyin(ref_dir))

    def by_code(self, code: str) -> Area | None:
        return self._by_code.get(code)

    def named(self, name: str, levels: tuple[str, ...] = PRODUCT_LEVELS) -> list[Area]:
        """Areas whose full, short or common name (昌吉州) is exactly `name`."""
        return [area for area in self._by_name.get(name, []) if area.level in levels]

    def fully_named(self, name: str, levels: tuple[str, ...] = PRODUCT_LEVELS) -> list[Area]:
        """Areas whose full name or common form (恩施州, not 恩施) is exactly `name`: names that end
        in their rank and so can open a headline."""
        return [area for area in self._by_full_name.get(name, []) if area.level in levels]

    def by_abbreviation(self, abbreviation: str) -> list[Area]:
        """The area a document-number abbreviation stands for (深 -> 深圳, 沪 -> 上海; 粤 -> none)."""
        code = self.abbreviations["cities"].get(abbreviation)
        code = code or self.abbreviations["provinces"].get(abbreviation)
        if code:
            area = self._by_code.get(code)
            return [area] if area and area.level in PRODUCT_LEVELS else []
        if derived := self._derived_abbreviations.get(abbreviation):
            return [derived]
        return self.named(abbreviation) if len(abbreviation) > 1 else []

    def in_abbreviation_table(self, abbreviation: str) -> bool:
        """Whether the table gives the abbreviation a meaning (a province's counts: 赣 is not 赣县区)."""
        return any(abbreviation in self.abbreviations[section] for section in ("provinces", "cities"))

    def abbreviated_province(self, abbreviation: str) -> Area | None:
        """The province a document-number abbreviation stands for (粤 -> 广东省), if it is one's."""
        area = self._by_code.get(self.abbreviations["provinces"].get(abbreviation, ""))
        return area if area and area.level == "province" else None

    def starting_with(self, char: str, levels: tuple[str, ...] = PRODUCT_LEVELS) -> list[Area]:
        """Areas whose full name begins with `char` (章 -> 章贡区, 章丘区): what a one-character
        document-number prefix outside the table may stand for."""
        return [area for area in self.areas if area.name.startswith(char) and area.level in levels]

    def containing(self, char: str) -> list[Area]:
        """Areas of every level with `char` anywhere in their full name (鄞 -> 鄞州区 only)."""
        return [area for area in self.areas if char in area.name]

    def find(self, name_or_code: str, levels: tuple[str, ...] = PRODUCT_LEVELS) -> list[Area]:
        """Every area a code, full name, short name or qualified name (广州市增城区) may mean."""
        key = name_or_code.strip()
        if key.isdigit():
            area = self._by_code.get(key)
            return [area] if area and area.level in levels else []
        return self.named(key, levels) or self.resolve_qualified(key, levels)

    def resolve_qualified(self, text: str, levels: tuple[str, ...] = PRODUCT_LEVELS) -> list[Area]:
        """Resolve a chain of names (广东省广州市增城区): the last unit, narrowed by the units before it."""
        for start in range(1, len(text) - 1):
            candidates = self.named(text[start:], levels)
            if narrowed := self.narrow_by_ancestors(candidates, text[:start]):
                return narrowed
        return []

    def narrow_by_ancestors(
        self, candidates: list[Area], context: str, full_names_only: bool = False
    ) -> list[Area]:
        """The candidates whose city or province is named in `context` (full names first, then short)."""
        for attribute in ("name",) if full_names_only else ("name", "short_name"):
            named = [
                area
                for area in candidates
                if any(getattr(a, attribute) in context for a in self.ancestors(area))
            ]
            if named:
                return named
        return []

    def ancestors(self, area: Area) -> list[Area]:
        """The parent chain of an area, nearest first."""
        chain = []
        while area.parent_code and (parent := self._by_code.get(area.parent_code)):
            chain.append(parent)
            area = parent
        return chain

    def is_within(self, area: Area, container: Area) -> bool:
        return any(a.code == container.code for a in self.ancestors(area))

    def pinyin(self, area: Area) -> str:
        """The area's search key: the stored one (data/reference/pinyin.csv) when it was made from the
        area's short name as it is now, else worked out (Area.pinyin)."""
        short_name, key = self._stored_pinyin.get(area.code, (None, ""))
        return key if short_name == area.short_name else area.pinyin

    def as_dataframe(self) -> pd.DataFrame:
        """The `areas` table of schema.sql: city and county rows, columns in schema order."""
        fields = list(Area.__dataclass_fields__)
        rows = [
            [*(getattr(area, c) for c in fields), self.pinyin(area)]
            for area in self.areas
            if area.level in PRODUCT_LEVELS
        ]
        columns = [*fields, "pinyin"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["population"] = frame["population"].astype("Int64")
        return frame
