"""The report pack's slides keep their parts apart whatever the view's words (issue 9, what the screenshots of
the packs showed): a slide title naming many areas, per 10k and a year range reached a third line at 24 pt,
which runs over the picture, and the text column beside the picture was cut at the picture's height though
the slide has room below. On the seed database, rendered by the real Chromium."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from dashboard.chart_frame import wrap
from dashboard.export import dashboard_charts
from dashboard.render import ChartRenderer
from dashboard.report_pack import (
    BOX_INSET,
    EDGE,
    SLIDE_W,
    TITLE_LINES,
    TITLE_PTS,
    report_pack,
    title_pt,
)
from dashboard.view import load_state

SEARCH = "area=深圳,漯河,汕尾&cat=hazards&year=latest"
# Titles as long as a view makes them: five named areas (toolbar_image.MAX_AREAS_IN_TITLE) of the longest
# names, the latest year or a range, per 10k
LONGEST_AREAS = "、".join(["克孜勒苏柯尔克孜", "博尔塔拉蒙古", "巴音郭楞蒙古", "伊犁哈萨克", "昌吉回族"])
LONG_TITLES = {
    "zh": f"承办人大建议、政协提案（件/万人） · {LONGEST_AREAS} · 最新（各地最近报告年份） · 按每万常住人口",
    "en": f"Suggestions and proposals handled (items per 10k residents) · {LONGEST_AREAS} · "
    "Latest (each area's latest year) · Per 10,000 residents",
}


def lines_at(title: str, width: int, pt: int) -> int:
    return len(wrap(title, (width - 2 * BOX_INSET) / 12700 / pt))  # EMU per point: 12,700


TITLE_W = SLIDE_W - 2 * EDGE  # the title box spans the slide


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_title_takes_at_most_two_lines_at_the_size_it_is_set(lang):
    title = LONG_TITLES[lang]
    assert lines_at(title, TITLE_W, title_pt(title, TITLE_W)) <= TITLE_LINES
    assert title_pt("隐患整改率（%） · 深圳 · 2023", TITLE_W) == TITLE_PTS[0]


def test_a_title_too_long_for_two_lines_at_24_pt_is_set_smaller():
    title = LONG_TITLES["en"]
    assert lines_at(title, TITLE_W, TITLE_PTS[0]) > TITLE_LINES
    assert title_pt(title, TITLE_W) < TITLE_PTS[0]


def boxes_overlap(a, b) -> bool:
    return (
        a.left < b.left + b.width
        and b.left < a.left + a.width
        and a.top < b.top + b.height
        and b.top < a.top + a.height
    )


def test_slide_parts_stay_apart_and_on_the_slide(seed_db):
    state, _, _, areas = load_state(seed_db, SEARCH)
    chart = dashboard_charts(seed_db, state, areas)[0]
    long = replace(chart, title=LONG_TITLES["en"])
    with ChartRenderer() as renderer:
        deck = Presentation(io.BytesIO(report_pack([long], renderer, "pptx")))
    slide = deck.slides[1]
    title, picture, text = sorted(slide.shapes, key=lambda s: (s.top, s.left))
    assert picture.shape_type == MSO_SHAPE_TYPE.PICTURE
    size = title.text_frame.paragraphs[0].runs[0].font.size.pt
    assert lines_at(title.text_frame.text, title.width, size) <= TITLE_LINES
    assert title.top + title.height <= picture.top and not boxes_overlap(picture, text)
    for shape in (title, picture, text):
        assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
    assert text.top + text.height > picture.top + picture.height  # the column may run below the picture
