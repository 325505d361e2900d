"""Chart export: Windows-safe names, the stand-alone frame, ZIP and PDF bundles (real Chromium)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from dashboard.__main__ import main as dashboard_main
from dashboard.chart_frame import FOOTER_LINE_EM, cited_footer
from dashboard.export import (
    REPORT_SIZES,
    ReportSize,
    dashboard_charts,
    export_zip,
    merge_pdfs,
    sources_footer,
    standalone,
)
from dashboard.filenames import chart_filename, safe_filename, unique_names
from dashboard.render import CJK_FONT_FAMILY, ChartRenderer
from dashboard.view import load_state
from tests.test_render import png_pixel_size, write_fontless_fontconfig

SMALL = ReportSize(width=300, height=200, scale=1)
WINDOWS_ILLEGAL = '<>:"/\\|?*'


@pytest.fixture(scope="module")
def renderer() -> ChartRenderer:
    return ChartRenderer()


def bar_chart(title: str) -> go.Figure:
    return go.Figure(go.Bar(x=["深圳", "漯河"], y=[98.8, 91.2]), layout_title_text=title)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Chinese and ordinary punctuation are kept
        ("隐患排查整治-隐患整改率_深圳、漯河_2022.png", "隐患排查整治-隐患整改率_深圳、漯河_2022.png"),
        ("rescue-rescue_teams_Shenzhen_2021-2023.svg", "rescue-rescue_teams_Shenzhen_2021-2023.svg"),
        # characters Windows refuses, and control characters
        ('a<b>c:d"e/f\\g|h?i*j.png', "a_b_c_d_e_f_g_h_i_j.png"),
        ("tab\there\nnewline.png", "tab here newline.png"),
        ("bell\x07.svg", "bell_.svg"),
        # no trailing dot or space
        ("report. ", "report"),
        ("report...", "report"),
        ("  spaced   out  .pdf", "spaced out.pdf"),
        # device names, with or without an extension, in any case
        ("CON", "_CON"),
        ("con.png", "_con.png"),
        ("Nul.tar.gz", "_Nul.tar.gz"),
        ("COM1.svg", "_COM1.svg"),
        ("lpt9", "_lpt9"),
        ("CONSOLE.png", "CONSOLE.png"),
        # nothing left
        ("", "_"),
        ("...", "_"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


@pytest.mark.parametrize("length", [121, 300, 1000])
def test_long_names_are_cut_keeping_the_extension(length):
    name = safe_filename("应" * length + ".png")
    assert len(name) == 120
    assert name.endswith("应.png")


def test_chart_filename_says_what_is_inside():
    assert chart_filename("隐患排查整治", "隐患整改率", ["深圳", "漯河"], "2022", "png") == (
        "隐患排查整治-隐患整改率_深圳、漯河_2022.png"
    )
    many = chart_filename("Drills", "Drills held", ["A", "B", "C", "D", "E", "F"], "latest", "svg")
    assert many == "Drills-Drills held_A、B、C、D+2_latest.svg"
    hostile = chart_filename("a/b", 'c:"d"', ["x|y"], "2021-2023", "pdf")
    assert not set(hostile) & set(WINDOWS_ILLEGAL)


def test_repeated_names_get_a_counter():
    assert unique_names(["a.png", "b.png", "a.png", "a.png"]) == ["a.png", "b.png", "a (2).png", "a (3).png"]


@pytest.mark.parametrize(
    ("names", "lang", "expected"),
    [
        (["深圳报告"], "zh", "数据来源：深圳报告"),
        (["a", "b", "a"], "en", "Source: a; b"),
        (["一", "二", "三", "四", "五"], "zh", "数据来源：一；二等5份报告"),
        (["a", "b", "c"], "en", "Source: a; b and 1 more (3 reports)"),
        (
            ["关于贯彻落实《漯河市人民代表大会常务委员会关于对市教育局等12个部门工作评议的建议》情况的报告"],
            "zh",
            "数据来源：关于贯彻落实《漯河市人民代表大会常务委员会关于对市教育…",
        ),
    ],
)
def test_sources_footer(names, lang, expected):
    assert sources_footer(names, lang) == expected


LUOHE_CITED = "《关于贯彻落实《漯河市人民代表大会常务委员会关于对市教育局等12个部门工作评议的建议》情况的报告》，2022-10-20"
SHANWEI_CITED = "汕尾市应急管理局《汕尾市应急管理局2022年法治政府建设年度报告》，2023-01-03"


@pytest.mark.parametrize(
    ("citations", "lang", "expected"),
    [
        ([SHANWEI_CITED], "zh", f"数据来源：{SHANWEI_CITED}"),
        ([SHANWEI_CITED, "x", "y"], "zh", f"数据来源：{SHANWEI_CITED}；x等3份报告"),
        (["a <b>", "a <b>"], "en", "Source: a &lt;b&gt;"),  # annotation text: a tag in a title stays text
        # never cut: broken into lines of the chart's width
        ([LUOHE_CITED, SHANWEI_CITED], "zh", f"数据来源：{LUOHE_CITED}；{SHANWEI_CITED}"),
    ],
)
def test_cited_footer(citations, lang, expected):
    footer = cited_footer(citations, lang)
    lines = footer.split("<br>")
    assert "".join(lines) == expected
    assert all(sum(1 if ord(c) > 0x2E80 else 0.55 for c in line) <= FOOTER_LINE_EM for line in lines)
    assert len(lines) == (2 if LUOHE_CITED in citations else 1)


def test_seed_charts_cite_their_reports_in_the_footer(seed_db):
    state, _, _, areas = load_state(seed_db, "area=深圳,漯河,汕尾&cat=hazards&year=latest")
    rate = next(c for c in dashboard_charts(seed_db, state, areas) if c.title.startswith("隐患整改率"))
    assert set(rate.citations) == {LUOHE_CITED, SHANWEI_CITED}
    assert rate.footer == cited_footer(rate.citations, "zh")


def test_standalone_adds_title_and_footer_and_leaves_the_original():
    original = bar_chart("隐患整改率")
    framed = standalone(original, "隐患整改率 · 深圳、漯河 · 2022", "数据来源：深圳市应急管理局2022年报告")
    assert framed.layout.title.text == "隐患整改率 · 深圳、漯河 · 2022"
    assert [a.text for a in framed.layout.annotations] == ["数据来源：深圳市应急管理局2022年报告"]
    assert framed.layout.font.family == CJK_FONT_FAMILY
    assert original.layout.title.text == "隐患整改率"
    assert not original.layout.annotations


def test_standalone_image_shows_title_and_footer(renderer):
    framed = standalone(bar_chart("x"), "救援队伍 · 深圳", "数据来源：深圳市2022年工作总结")
    svg = renderer.to_image(framed, "svg", 600, 400, 1).decode("utf-8")
    assert "救援队伍 · 深圳" in svg
    assert "数据来源：深圳市2022年工作总结" in svg


@pytest.mark.parametrize("size_name", sorted(REPORT_SIZES))
def test_report_sizes_give_the_promised_pixels(renderer, size_name):
    size = REPORT_SIZES[size_name]
    image = renderer.to_image(bar_chart(size_name), "png", size.width, size.height, size.scale)
    assert png_pixel_size(image) == (round(size.width * size.scale), round(size.height * size.scale))


def test_slides_are_16_by_9_full_hd():
    slide = REPORT_SIZES["slide"]
    assert (slide.width * slide.scale, slide.height * slide.scale) == (1920, 1080)


def test_export_zip_holds_one_image_per_chart(renderer):
    figs = {
        "救援-队伍数_深圳_2022": bar_chart("一"),
        "CON": bar_chart("二"),
        "救援-队伍数_深圳_2022 ": bar_chart("三"),
    }
    archive = zipfile.ZipFile(io.BytesIO(export_zip(figs, renderer, "png", SMALL)))
    names = archive.namelist()
    assert names == ["救援-队伍数_深圳_2022.png", "_CON.png", "救援-队伍数_深圳_2022 (2).png"]
    for name in names:
        assert png_pixel_size(archive.read(name)) == (300, 200)


def test_merged_pdf_has_a_page_per_chart(renderer):
    pages = [renderer.to_image(bar_chart(f"第{n}页"), "pdf", 300, 200, 1) for n in range(3)]
    merged = PdfReader(io.BytesIO(merge_pdfs(pages)))
    assert len(merged.pages) == 3


# --- the `python -m dashboard export` command on a database built by the real ETL -------------------
REPO = Path(__file__).resolve().parents[1]
VIEW = ["--area", "深圳,漯河,汕尾", "--cat", "hazards"]


def export_cli(*args: str | Path) -> int:
    """The command's exit status, run in-process through the dashboard's own entry point."""
    try:
        return dashboard_main(["export", *map(str, args)])
    except SystemExit as exit_:  # argparse's own usage errors
        return int(exit_.code)


@pytest.fixture(scope="module")
def png_export(seed_db, tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The command exactly as a user types it, in its own process."""
    out = tmp_path_factory.mktemp("png") / "made" / "here"
    command = [sys.executable, "-m", "dashboard", "export", "--db", str(seed_db), *VIEW]
    command += ["--year", "latest", "--home", "深圳", "--target", "95", "--format", "png", "--out", str(out)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120), out


def test_png_export_writes_one_named_file_per_chart(png_export):
    ran, out = png_export
    assert ran.returncode == 0, ran.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(Path(line).name for line in ran.stdout.splitlines())
    assert "隐患排查整治-隐患整改率_深圳、漯河、汕尾_最新.png" in names
    assert all(n.startswith("隐患排查整治-") and n.endswith("_深圳、漯河、汕尾_最新.png") for n in names)
    word = REPORT_SIZES["word"]
    for name in names:
        assert png_pixel_size((out / name).read_bytes()) == (
            word.width * word.scale,
            word.height * word.scale,
        )


def test_svg_export_titles_name_the_filter(seed_db, tmp_path):
    assert export_cli("--db", seed_db, *VIEW, "--year", "latest", "--lang", "en", "--format", "svg",
                      "--size", "slide", "--out", tmp_path) == 0  # fmt: skip
    images = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert images
    assert all(name.startswith("Hazard inspection and rectification-") for name in images)
    for svg in images.values():
        assert "深圳、漯河、汕尾 · Latest" in svg
        assert "Source: " in svg
    # the reports cited in the footer (publisher, title, date), broken into lines, not cut
    (rate,) = [svg for name, svg in images.items() if "Hazard closure rate_" in name]
    assert all(part in rate for part in ("Source: “关于贯彻落实", "2022-10-20", "汕尾市应急", "2023-01-03"))
    # the unit stays in the title outside the dashboard, as on the page
    assert any("Hazard closure rate (%) · 深圳" in svg for svg in images.values())
    assert any("Hazards found vs Hazards rectified (hazards) · " in svg for svg in images.values())


def test_pdf_export_is_one_file_with_a_page_per_chart(seed_db, png_export, tmp_path):
    assert export_cli("--db", seed_db, *VIEW, "--year", "latest", "--format", "pdf", "--out", tmp_path) == 0
    (pdf,) = tmp_path.iterdir()
    assert pdf.suffix == ".pdf"
    _, png_out = png_export
    assert len(PdfReader(pdf).pages) == len(list(png_out.iterdir()))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--year", "20x2"], "year"),
        (["--year", "latest", "--area", "火星"], "火星"),
        (["--year", "latest", "--cat", "weather"], "cat"),
        (["--year", "latest", "--per", "1k"], "per"),
        (["--year", "latest", "--chromium", "/nonexistent/chromium"], "--chromium"),
        (["--year", "latest", "--format", "gif"], "invalid choice"),
        (["--format", "png"], "--year"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(seed_db, tmp_path, capsys, change, message):
    args = ["--db", seed_db, *VIEW, "--format", "png", "--out", tmp_path / "out", *change]
    assert export_cli(*args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_missing_database_is_a_usage_error(tmp_path, capsys):
    assert export_cli("--db", tmp_path / "none.duckdb", *VIEW, "--year", "2022", "--format", "png",
                      "--out", tmp_path / "out") == 2  # fmt: skip
    assert "python -m etl run" in capsys.readouterr().err


def test_nothing_matched_exits_3(seed_db, tmp_path, capsys):
    assert (
        export_cli("--db", seed_db, *VIEW, "--year", "1999", "--format", "png", "--out", tmp_path / "o") == 3
    )
    assert "no reported values" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_no_cjk_font_exits_4(seed_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FONTCONFIG_FILE", str(write_fontless_fontconfig(tmp_path)))
    assert (
        export_cli("--db", seed_db, *VIEW, "--year", "latest", "--format", "png", "--out", tmp_path / "o")
        == 4
    )
    assert "fonts-noto-cjk" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
