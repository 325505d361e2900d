"""Image sizes for charts taken into reports: Word (A4 text width), slides (16:9), report-pack PDF pages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSize:
    """An image size in layout pixels; the file has width × scale by height × scale pixels. `font_px`, if
    set, is the label size in layout pixels (the dashboard's own is 13)."""

    width: int
    height: int
    scale: float
    font_px: int | None = None


# At 800 layout px across a 16 cm A4 text column, the charts' 13 px labels print at ≈7 pt (at 1600 px
# they would shrink below 4 pt); scale 3 gives 2400 px, ≈380 dpi. Slides: 16:9, 1920×1080 pixels, labels
# 18 layout px (27 px of the 1920: 13 px labels cannot be read on a projected slide).
REPORT_SIZES: dict[str, ReportSize] = {
    "word": ReportSize(width=800, height=500, scale=3),
    "slide": ReportSize(width=1280, height=720, scale=1.5, font_px=18),
}
DEFAULT_REPORT_SIZE = "word"
PACK_FORMATS = ("pdf", "pptx", "docx")  # one file of the whole view (dashboard/report_pack.py)
# A report-pack PDF page: A4 landscape proportions; 900 px across 29.7 cm prints 13 px labels at ≈12 pt.
PDF_PAGE = ReportSize(width=900, height=636, scale=1)
