"""Numbers as Chinese readers expect them: 万 and 亿 where they read better, approx values as "500+"."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# Multipliers tried from the largest: (threshold, divisor, suffix)
ZH_MAGNITUDES = (
    (1e8, 1e8, "亿"),
    (1e4, 1e4, "万"),
)
EN_MAGNITUDES = (
    (1e9, 1e9, "bn"),
    (1e6, 1e6, "m"),
)
# approx kind -> (prefix, suffix) around the number
APPROX_MARKS: dict[str, tuple[str, str]] = {
    "more_than": ("", "+"),
    "about": ("~", ""),
    "nearly": ("<", ""),
}


def _trim(value: float, decimals: int) -> str:
    """`value` with at most `decimals` decimals and no trailing zeros."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


SMALL_DIGITS = 3  # significant digits of a value under 1: 0.004 penalties per 10,000 residents is not 0


def small_decimals(value: float) -> int:
    """Decimals that keep SMALL_DIGITS significant digits of 0 < |value| < 1 (0.004 -> 5: "0.00400")."""
    return SMALL_DIGITS - 1 - math.floor(math.log10(abs(value)))


def format_number(value: float | None, lang: str = "zh", exact: bool = False) -> str:
    """1744 -> "1,744"; 68949 -> "6.89万" (zh) or "68,949" (en, or `exact`: where 6.89万 found and
    6.89万 rectified would hide the 76 left); 0.004 -> "0.004" (three significant digits under 1, so a
    rate per 10,000 residents never reads 0, nor axis ticks 0.01, 0.01, 0.01); NaN -> ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    magnitudes = ZH_MAGNITUDES if lang == "zh" else EN_MAGNITUDES
    for threshold, divisor, suffix in () if exact else magnitudes:
        if abs(value) >= threshold:
            return _trim(value / divisor, 2) + suffix
    if 0 < abs(value) < 1:
        return _trim(value, max(2, small_decimals(value)))
    return _trim(value, 2 if abs(value) < 100 else 1)


def format_value(value: float | None, approx: str | None, lang: str = "zh", exact: bool = False) -> str:
    """A value with its approx mark: 500 more_than -> "500+", 30000 about -> "~3万"."""
    text = format_number(value, lang, exact)
    if not text or not approx:
        return text
    prefix, suffix = APPROX_MARKS.get(approx, ("", ""))
    return f"{prefix}{text}{suffix}"


def _trimmed(values: np.ndarray, decimals: int, suffix: str = "") -> list[str]:
    """`_trim` of each value, then `suffix`: with decimals the text always holds a point (or is "inf")."""
    spec = f",.{decimals}f"
    return [format(value, spec).rstrip("0").rstrip(".") + suffix for value in values.tolist()]


def format_numbers(values: Sequence[float | None], lang: str = "zh", exact: bool = False) -> list[str]:
    """`format_number` of a whole column: each distinct value (by its bits: -0.0 is written "-0") written
    once, and the values sorted into the magnitudes (and decimals) they are written with, each written
    with one format spec; counts repeat, so a panel of 11,000 values costs a few thousand format calls."""
    numbers = np.ascontiguousarray(values, dtype=float)
    bits, inverse = np.unique(numbers.view(np.int64), return_inverse=True)
    distinct = bits.view(float)
    texts = np.full(len(distinct), "", dtype=object)
    size = np.abs(distinct)
    left = ~np.isnan(distinct)
    for threshold, divisor, suffix in () if exact else ZH_MAGNITUDES if lang == "zh" else EN_MAGNITUDES:
        hit = left & (size >= threshold)
        texts[hit] = _trimmed(distinct[hit] / divisor, 2, suffix)
        left &= ~hit
    tiny = left & (size > 0) & (size < 1)
    texts[tiny] = [_trim(value, max(2, small_decimals(value))) for value in distinct[tiny].tolist()]
    left &= ~tiny
    small = left & (size < 100)
    texts[small] = _trimmed(distinct[small], 2)
    texts[left & ~small] = _trimmed(distinct[left & ~small], 1)
    return texts[inverse.reshape(-1)].tolist()


def format_values(
    values: Sequence[float | None], approxes: Sequence[object], lang: str = "zh", exact: bool = False
) -> list[str]:
    """`format_value` of a whole column; `approxes` holds each value's approx kind (not text: none)."""
    marks = [APPROX_MARKS.get(approx, ("", "")) if isinstance(approx, str) else None for approx in approxes]
    return [
        f"{mark[0]}{text}{mark[1]}" if text and mark else text
        for text, mark in zip(format_numbers(values, lang, exact), marks, strict=True)
    ]
