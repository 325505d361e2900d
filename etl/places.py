"""Places a clause names by their full name: a figure given for another place is not the report's area's.

`翠屏区检查企业3,200家次` in 宜宾's report, `宜昌市承诺…物资8.5万件` in 恩施's: the nearest full place name on
the figure's left, within its clause, decides. Only names that end in their rank (翠屏区, 宜昌市, 恩施州,
四川省) and have at least three characters count: two-character short names (宜宾, 城区) are too common
as words to be read as places.
"""

from __future__ import annotations

from etl.areas import AreaTable, common_forms

RANKS = "省市州县区旗盟"  # the last character of a full name
MIN_NAME = 3
MAX_NAME = 12  # 克孜勒苏柯尔克孜自治州


class Places:
    """Full names (and everyday forms such as 恩施州) of every division, with their codes."""

    def __init__(self, areas: AreaTable):
        self._codes: dict[str, set[str]] = {}
        self._names = {area.code: area.name for area in areas.areas}
        for area in areas.areas:
            for name in (area.name, *common_forms(area.name)):
                if len(name) >= MIN_NAME and name[-1] in RANKS:
                    self._codes.setdefault(name, set()).add(area.code)

    def nearest(self, text: str) -> set[str]:
        """The codes of the full name that ends nearest the end of `text` (longest name on a tie)."""
        for end in range(len(text), 0, -1):
            if text[end - 1] not in RANKS:
                continue
            for start in range(max(0, end - MAX_NAME), end - MIN_NAME + 1):
                codes = self._codes.get(text[start:end])
                if codes:
                    return codes
        return set()

    def rank(self, code: str) -> str:
        """The last character of an area's full name (县, 区, 市, 旗…): what 全市 in its report means."""
        return self._names.get(code, " ")[-1]

    def names_another(self, text: str, own_code: str) -> bool:
        """Whether the nearest full place name in `text` is not the report's own area."""
        codes = self.nearest(text)
        return bool(codes) and bool(own_code) and own_code not in codes
