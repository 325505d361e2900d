"""Builders for the files ingest tests read: pages, .docx and .pdf made at test time, never shipped."""

from __future__ import annotations

import html
from pathlib import Path

PAGE_TEMPLATE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{page_title}</title>
<style>.nav {{ color: red; }}</style>
<script>var 导航 = "首页";</script>
</head><body>
<div class="top-bar">无障碍版</div>
<div>关怀版</div>
<nav><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/yjgl">应急管理</a></nav>
<div class="position">您现在所在的位置 : <a href="/">首页</a> &gt; 专题专栏 &gt; 年度报告</div>
<div class="bdshare_t">分享到:<a>微信</a><a>微博</a></div>
<h1>{title}</h1>
<div class="info">{info} <span class="font-size">【字体: 大 中 小】</span></div>
<div class="article">
{paragraphs}
</div>
<div>【字体: 大 中 小】</div>
<div>扫一扫在手机打开当前页</div>
<div class="footer">主办单位:{site} 粤ICP备05012345号 粤公网安备44150202000001号</div>
<p>网站标识码:4415000001</p>
<p>返回顶部</p>
</body></html>
"""


def html_page(
    title: str,
    paragraphs: list[str],
    charset: str = "utf-8",
    site: str = "汕尾市人民政府门户网站",
    info: str = "发布机构:汕尾市应急管理局",
    site_first: bool = False,
) -> str:
    """A government-site page around the paragraphs: nav, breadcrumb, share, font size, ICP footer.

    The <title> is `title_site`, or `site-title` when `site_first`; the <h1> is the title alone.
    """
    body = "\n".join(f"<p>\n    {html.escape(paragraph)}\n</p>" for paragraph in paragraphs)
    page_title = f"{site}-{title}" if site_first else f"{title}_{site}"
    return PAGE_TEMPLATE.format(
        charset=charset,
        page_title=html.escape(page_title),
        title=html.escape(title),
        paragraphs=body,
        site=html.escape(site),
        info=html.escape(info),
    )


def write_docx(path: Path, paragraphs: list[str], table_rows: list[list[str]]) -> Path:
    """A .docx with the paragraphs, then a table of the rows (python-docx, as Word would save it)."""
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
    for row, values in zip(table.rows, table_rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(path)
    return path


PDF_FONT = "STSong-Light"  # a CID font reportlab ships: real text layer, no font file needed
PDF_FONT_SIZE = 12
PDF_LINE_WIDTH = 360  # points: about 30 Chinese characters
PDF_LINES_PER_PAGE = 12


def _printed_lines(paragraph: str) -> list[str]:
    """The paragraph broken where the line is full, as a word processor prints it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = [""]
    for char in paragraph:
        if stringWidth(lines[-1] + char, PDF_FONT, PDF_FONT_SIZE) > PDF_LINE_WIDTH:
            lines.append("")
        lines[-1] += char
    return lines


def write_pdf(path: Path, header: str, paragraphs: list[str]) -> Path:
    """A PDF laid out like a printed report: hard-wrapped lines, a running header, '- N -' page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    lines = [line for paragraph in paragraphs for line in _printed_lines(paragraph)]
    pages = [lines[start : start + PDF_LINES_PER_PAGE] for start in range(0, len(lines), PDF_LINES_PER_PAGE)]
    sheet = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for number, page in enumerate(pages, start=1):
        sheet.setFont(PDF_FONT, 9)
        sheet.drawCentredString(width / 2, height - 40, header)
        sheet.drawCentredString(width / 2, 30, f"- {number} -")
        sheet.setFont(PDF_FONT, PDF_FONT_SIZE)
        for row, line in enumerate(page):
            sheet.drawString(60, height - 100 - row * 24, line)
        sheet.showPage()
    sheet.save()
    return path


def write_image_pdf(path: Path) -> Path:
    """A PDF with only drawn shapes, as a scan is to a text extractor: no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    sheet = canvas.Canvas(str(path), pagesize=A4)
    sheet.rect(60, 400, 300, 200, fill=1)
    sheet.showPage()
    sheet.save()
    return path
