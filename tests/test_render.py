"""Chart images through kaleido and the real system Chromium: formats, sizes, Chinese text, threads."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import plotly.graph_objects as go
import pytest
from kaleido import PageGenerator

from dashboard.render import (
    CJK_FONT_FAMILY,
    KALEIDO_PAGE_OPTIONS,
    ChartRenderer,
    NoCjkFontError,
    RenderError,
    cjk_font_available,
    find_chromium,
    require_cjk_font,
    with_cjk_font,
)

REPO = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A fontconfig configuration that names no font directory: fc-list (and Chromium) find no font at all.
FONTLESS_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def png_pixel_size(image: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which the PNG format puts right after the signature."""
    assert image[:8] == PNG_SIGNATURE, "not a PNG"
    assert image[12:16] == b"IHDR"
    width, height = struct.unpack(">II", image[16:24])
    return width, height


def write_fontless_fontconfig(folder: Path) -> Path:
    config = folder / "fonts.conf"
    config.write_text(FONTLESS_FONTCONFIG.format(cache=folder / "cache"), encoding="utf-8")
    return config


def bar_chart(title: str) -> go.Figure:
    return go.Figure(go.Bar(x=["深圳", "漯河"], y=[12, 7]), layout_title_text=title)


@pytest.fixture(scope="module")
def renderer() -> ChartRenderer:
    return ChartRenderer()


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [(400, 300, 1), (400, 300, 2), (640, 360, 1.5), (800, 500, 3)],
)
def test_png_pixel_size_is_layout_size_times_scale(renderer, width, height, scale):
    image = renderer.to_image(bar_chart("隐患整改率"), "png", width, height, scale)
    assert png_pixel_size(image) == (round(width * scale), round(height * scale))


@pytest.mark.parametrize(
    ("fmt", "starts_with"),
    [("png", PNG_SIGNATURE), ("svg", b"<svg"), ("pdf", b"%PDF-")],
)
def test_each_format_gives_its_own_file_type(renderer, fmt, starts_with):
    assert renderer.to_image(bar_chart("演练"), fmt, 400, 300, 1).startswith(starts_with)


def test_svg_keeps_chinese_text_as_text(renderer):
    svg = renderer.to_image(bar_chart("应急救援队伍数"), "svg", 400, 300, 1).decode("utf-8")
    assert "应急救援队伍数" in svg
    assert "漯河" in svg
    assert "Noto Sans CJK SC" in svg


def test_concurrent_calls_each_get_their_own_image(renderer):
    """Six threads at once: each image must carry its own title and width, never another call's."""
    titles = [f"图表{n}号" for n in range(6)]

    def render(n: int) -> str:
        return renderer.to_image(bar_chart(titles[n]), "svg", 300 + 10 * n, 200, 1).decode("utf-8")

    with ThreadPoolExecutor(max_workers=6) as pool:
        images = list(pool.map(render, range(6)))
    for n, svg in enumerate(images):
        assert titles[n] in svg
        assert f'width="{300 + 10 * n}"' in svg
        assert all(other not in svg for other in titles if other != titles[n])


def test_renderer_leaves_the_callers_figure_alone(renderer):
    fig = bar_chart("罚款金额")
    fig.update_layout(font_family="Arial")
    renderer.to_image(fig, "svg", 300, 200, 1)
    assert fig.layout.font.family == "Arial"
    assert with_cjk_font(fig).layout.font.family == CJK_FONT_FAMILY


def test_unknown_format_is_refused(renderer):
    with pytest.raises(RenderError, match="unsupported image format 'gif'"):
        renderer.to_image(bar_chart("x"), "gif")


@pytest.mark.parametrize("chromium", ["/nonexistent/chromium", "{tmp}", "{tmp}/not-executable"])
def test_missing_chromium_is_a_clear_error(chromium, tmp_path):
    (tmp_path / "not-executable").write_text("#!/bin/sh\n", encoding="utf-8")
    chromium = chromium.format(tmp=tmp_path)
    assert find_chromium(chromium) is None
    with pytest.raises(RenderError, match="no Chromium executable"):
        ChartRenderer(chromium)


def test_a_browser_that_will_not_start_fails_instead_of_hanging(renderer):
    """kaleido's server waits forever when its browser dies; the renderer must notice and say so."""
    with pytest.raises(RenderError, match="did not start"):
        ChartRenderer("/bin/false").to_image(bar_chart("x"), "png", 100, 100, 1)
    # The real Chromium takes over again afterwards.
    assert renderer.to_image(bar_chart("恢复"), "png", 100, 100, 1).startswith(PNG_SIGNATURE)


def test_cjk_font_is_found_on_this_machine():
    assert cjk_font_available()
    require_cjk_font()


def test_cjk_check_refuses_when_fontconfig_offers_no_font(tmp_path, monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", str(write_fontless_fontconfig(tmp_path)))
    assert not cjk_font_available()
    with pytest.raises(NoCjkFontError, match="apt-get install fonts-noto-cjk"):
        require_cjk_font()


def test_system_check_names_the_package_to_install(tmp_path):
    """`make test` runs this first: it must fail and name the package when no CJK font is offered."""
    env = {**os.environ, "FONTCONFIG_FILE": str(write_fontless_fontconfig(tmp_path))}
    command = [sys.executable, "-m", "tests.system_check"]
    checked = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
    assert checked.returncode == 1
    assert "apt-get install -y --no-install-recommends fonts-noto-cjk" in checked.stderr
    assert "chromium" not in checked.stderr.lower()
    assert subprocess.run(command, cwd=REPO, capture_output=True, timeout=60).returncode == 0


def test_kaleido_page_loads_only_local_scripts():
    """The page kaleido renders in must fetch nothing: no MathJax or plotly.js from a CDN."""
    page = PageGenerator(plotly=KALEIDO_PAGE_OPTIONS["plotlyjs"], mathjax=KALEIDO_PAGE_OPTIONS["mathjax"])
    scripts = re.findall(r'<script src="([^"]+)"', page.generate_index())
    assert len(scripts) == 2
    assert all(src.startswith(("file://", "/")) for src in scripts), scripts
