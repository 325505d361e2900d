"""Image sizes for charts taken into reports: Word (A4 text width) and slides (16:9)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSize:
    """An image size in layout pixels; the file has width × scale by height × scale pixels."""

    width: int
    height: int
    scale: float


# At 800 layout px across a 16 cm A4 text column, the charts' 13 px labels print at ≈7 pt (at 1600 px
# they would shrink below 4 pt); scale 3 gives 2400 px, ≈380 dpi. Slides: 16:9, 1920×1080 pixels.
REPORT_SIZES: dict[str, ReportSize] = {
    "word": ReportSize(width=800, height=500, scale=3),
    "slide": ReportSize(width=1280, height=720, scale=1.5),
}
DEFAULT_REPORT_SIZE = "word"
