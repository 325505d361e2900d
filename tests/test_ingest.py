"""ingest: real files in every supported format and encoding -> the stored text; bad files -> a reason."""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from etl.ingest import ingest
from etl.model import Quarantined
from tests.fixtures_build import html_page, write_docx, write_image_pdf, write_pdf

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
GOLD = Path(__file__).resolve().parent / "gold" / "seeds.jsonl"
GOLD_LINES = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
SEED_NAMES = sorted(path.name for path in REPORTS.glob("*.txt"))

TITLE = "汕尾市应急管理局2022年法治政府建设年度报告"
BODY = [
    "2022年,市应急管理局坚持以习近平新时代中国特色社会主义思想为指导,认真履行职责,严格依法行政。",
    "全年共排查发现隐患1744处,整改率为98.79%,罚款281.48万元。",
    "建设应急物资储备库面积3736㎡,镕基街道组建救援队伍3支。",  # 镕: in GBK, not in GB2312
    "汕尾市应急管理局",
    "2023年1月3日",
]


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {name: ingest(REPORTS / name).text for name in SEED_NAMES}


@pytest.mark.parametrize("gold", GOLD_LINES, ids=lambda gold: f"{gold['doc']}:{gold['evidence']}")
def test_gold_evidence_is_in_the_stored_text(gold: dict, seeds: dict[str, str]) -> None:
    assert gold["evidence"] in seeds[gold["doc"]]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("chongqing-2021-zhengxie-tian-0365.txt", "关于市政协五届四次会议第0365号提案的复函"),
        ("shanwei-2022-fazhi-zhengfu.txt", "汕尾市应急管理局2022年法治政府建设年度报告"),
        ("shenzhen-2023-renda-jianyi.txt", "深圳市应急管理局关于2023年人大代表建议办理工作的情况报告"),
        (
            "luohe-2022-pingyi-zhenggai.txt",
            "关于贯彻落实《漯河市人民代表大会常务委员会关于对市教育局等12个部门工作评议的建议》情况的报告",
        ),
        ("shanghai-2024-jianyi-tian.txt", None),  # a letter that starts with its recipient
    ],
)
def test_seed_titles(name: str, title: str | None) -> None:
    assert ingest(REPORTS / name).title == title


@pytest.mark.parametrize(
    ("name", "furniture", "kept"),
    [
        ("shanwei-2022-fazhi-zhengfu.txt", "无障碍版", "发布机构:汕尾市人民政府门户网站"),
        ("shanwei-2022-fazhi-zhengfu.txt", "扫一扫", "202313"),
        ("shanwei-2022-fazhi-zhengfu.txt", "您访问的链接即将离开", "汕尾市应急管理局\n"),
        ("chongqing-2021-zhengxie-tian-0365.txt", "您当前的位置", "2021年64"),
        ("chongqing-2021-zhengxie-tian-0365.txt", "公网安备", "重庆市应急管理局\n\n2021年64"),
        ("shenzhen-2023-renda-jianyi.txt", "版权所有", "信息提供日期 :2023-12-11"),
        ("shenzhen-2023-renda-jianyi.txt", "0755-83071111", "专此报告。"),
        ("luohe-2022-pingyi-zhenggai.txt", "\n图片\n", "时间:2022-10-20来源:"),
        ("shanghai-2024-jianyi-tian.txt", "无障碍", "上海市应急管理局\n2024年11月19日"),
    ],
)
def test_seed_furniture_dropped_signature_kept(name: str, furniture: str, kept: str, seeds) -> None:
    assert furniture not in seeds[name]
    assert kept in seeds[name]


def test_identity_is_the_content_hash(tmp_path: Path) -> None:
    source = REPORTS / SEED_NAMES[0]
    renamed = tmp_path / "renamed.txt"
    renamed.write_bytes(source.read_bytes())
    original, copy = ingest(source), ingest(renamed)
    assert original.id == copy.id == hashlib.sha256(source.read_bytes()).hexdigest()
    assert (copy.file_name, copy.path) == ("renamed.txt", str(renamed))


def _simple_page(charset: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in BODY)
    return (
        f'<html><head><meta charset="{charset}"><title>{TITLE}</title></head><body>{paragraphs}</body></html>'
    )


TEXT = "\n".join(BODY)
PAGE_TEXT = "\n\n".join(BODY)  # every <p> is its own paragraph
TRADITIONAL = "全年共排查發現隱患1744處,整改率為98.79%。"


@pytest.mark.parametrize(
    ("name", "payload", "expected"),
    [
        ("utf8.txt", TEXT.encode("utf-8"), TEXT),
        ("utf8-bom.txt", TEXT.encode("utf-8-sig"), TEXT),
        ("utf16-le.txt", TEXT.encode("utf-16"), TEXT),
        ("utf16-be.txt", b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT),
        ("gb18030.txt", TEXT.encode("gb18030"), TEXT),
        ("gbk-crlf.txt", TEXT.replace("\n", "\r\n").encode("gbk"), TEXT),
        ("noextension", TEXT.encode("utf-8"), TEXT),
        ("gbk-declared-gb2312.html", _simple_page("gb2312").encode("gbk"), PAGE_TEXT),
        ("utf8.htm", _simple_page("utf-8").encode("utf-8"), PAGE_TEXT),
        ("big5.txt", TRADITIONAL.encode("big5"), TRADITIONAL),
    ],
)
def test_encodings_give_the_same_text(tmp_path: Path, name: str, payload: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(payload)
    assert ingest(path).text == expected


def test_furnished_page_keeps_body_and_drops_furniture(tmp_path: Path) -> None:
    seed = ingest(REPORTS / "shanwei-2022-fazhi-zhengfu.txt").text
    body = [line for line in seed.split("\n") if line][3:]
    page = tmp_path / "report.html"
    page.write_bytes(html_page(TITLE, body, charset="gb2312").encode("gb18030"))
    document = ingest(page)
    for gold in GOLD_LINES:
        if gold["doc"] == "shanwei-2022-fazhi-zhengfu.txt":
            assert gold["evidence"] in document.text
    for furniture in (
        "导航",
        "首页",
        "政务公开",
        "您现在所在的位置",
        "分享到",
        "微博",
        "字体",
        "ICP",
        "公网安备",
        "返回顶部",
    ):
        assert furniture not in document.text
    assert "发布机构:汕尾市应急管理局" in document.text
    assert document.title == TITLE


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    rows = [["指标", "2023年", "2022年"], ["应急演练(场次)", "326", "298"]]
    document = ingest(write_docx(tmp_path / "report.docx", [TITLE, *BODY], rows))
    assert document.text == "\n".join([TITLE, *BODY, "指标 | 2023年 | 2022年", "应急演练(场次) | 326 | 298"])
    assert document.title == TITLE


def test_pdf_text_layer_unwrapped_without_page_furniture(tmp_path: Path) -> None:
    paragraphs = [TITLE, *(BODY[:3] * 4), "汕尾市应急管理局", "2023年1月3日"]
    document = ingest(write_pdf(tmp_path / "report.pdf", "汕尾市应急管理局文件", paragraphs))
    for sentence in BODY:
        assert sentence in document.text
    assert "- 2 -" not in document.text
    assert document.text.count("汕尾市应急管理局文件") <= 1  # the running header survives on page 1 at most
    assert document.title == TITLE


FURNITURE_ONLY_PAGE = (
    "<html><body><div>无障碍版</div><nav><a>首页</a><a>政务公开</a></nav><p>分享到:</p>"
    "<p>【字体: 大 中 小】</p><p>返回顶部</p>"
    "<div class='footer'>深圳市应急管理局 版权所有</div></body></html>"
)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PRINT_TIMEOUT_S = 60


@pytest.mark.browser
@pytest.mark.timeout(PRINT_TIMEOUT_S * 2)
def test_pdf_printed_by_chromium_keeps_gold_evidence(tmp_path: Path) -> None:
    """Chromium's PDFs name shared glyphs by their radicals (⻔ for 门) and wrap every line."""
    name = "luohe-2022-pingyi-zhenggai.txt"
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in ingest(REPORTS / name).text.split("\n"))
    page = tmp_path / "report.html"
    page.write_text(
        f'<html><head><meta charset="utf-8"></head><body>{paragraphs}</body></html>', encoding="utf-8"
    )
    printed = tmp_path / "report.pdf"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
    subprocess.run(
        [*command, f"--print-to-pdf={printed}", page.as_uri()], capture_output=True, timeout=PRINT_TIMEOUT_S
    )
    text = ingest(printed).text
    for gold in GOLD_LINES:
        if gold["doc"] == name:
            assert gold["evidence"] in text


@pytest.mark.parametrize(
    ("name", "write", "reason"),
    [
        ("empty.txt", lambda path: path.write_bytes(b""), "empty file"),
        ("blank.txt", lambda path: path.write_bytes(b"  \r\n\n "), "empty file"),
        (
            "image.txt",
            lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4),
            "binary file",
        ),
        ("garbage.txt", lambda path: path.write_bytes(b"\x80\xff\x81" * 64), "undecodable text"),
        ("controls.txt", lambda path: path.write_bytes(bytes(range(1, 32)) * 8), "undecodable text"),
        (
            "report.doc",
            lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0" + b"x" * 64),
            "unsupported type .doc",
        ),
        ("report.wps", lambda path: path.write_bytes(b"x" * 64), "unsupported type .wps"),
        ("report.ofd", lambda path: path.write_bytes(b"x" * 64), "unsupported type .ofd"),
        ("photo.png", lambda path: path.write_bytes(b"x" * 64), "unsupported type .png"),
        ("huge.txt", lambda path: _sparse(path, 21 * 1024 * 1024), "file over 20 MB"),
        ("fake.docx", lambda path: path.write_bytes("不是压缩包".encode()), "docx is not a valid zip"),
        ("fake.pdf", lambda path: path.write_bytes(b"%PDF-1.4 broken"), "not a readable PDF"),
        ("scan.pdf", write_image_pdf, "PDF has no text layer (scanned; no OCR offline)"),
        ("nav.html", lambda path: path.write_text(FURNITURE_ONLY_PAGE, encoding="utf-8"), "no body text"),
    ],
)
def test_bad_input_is_quarantined_with_its_reason(tmp_path: Path, name: str, write, reason: str) -> None:
    path = tmp_path / name
    write(path)
    with pytest.raises(Quarantined) as refused:
        ingest(path)
    assert refused.value.reason.startswith(reason)
    assert "\n" not in refused.value.reason


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as file:
        file.truncate(size)


def test_html_table_rows_and_source_line_breaks(tmp_path: Path) -> None:
    page = tmp_path / "table.html"
    page.write_text(
        "<html><body><p>全年共排查发现隐患\n      1744处。</p>"
        "<table><tr><th>指标</th><th>2023年</th></tr><tr><td>应急演练(场次)</td><td>326</td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    assert ingest(page).text == "全年共排查发现隐患1744处。\n\n指标 | 2023年\n应急演练(场次) | 326"
