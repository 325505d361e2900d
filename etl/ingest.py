"""Read a report file into a Document whose `text` is the stored text every offset refers to.

Formats: .txt (or no extension), .html/.htm, .docx, .pdf with a text layer. Anything the ETL
cannot read faithfully is refused with a one-line reason (`Quarantined`), never guessed at.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import unicodedata
import zipfile
import zlib
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

import charset_normalizer
from pdfminer.high_level import extract_text
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from etl.char_classes import CharClass
from etl.model import Document, Quarantined
from etl.normalise import normalise_chars, normalise_text, strip_site_furniture

MAX_BYTES = 20 * 1024 * 1024
# A .docx is a zip: 20 MB on disk can inflate to gigabytes (a zip bomb), so the XML gets its own caps.
# A 300-page report's word/document.xml is well under 20 MB and a million tags; ElementTree takes about
# 150 bytes an element, so the tag cap keeps a parse within a few hundred MB.
MAX_DOCX_XML_BYTES = 50 * 1024 * 1024
MAX_DOCX_XML_TAGS = 2_000_000  # '<' characters: an upper bound on elements
MAX_XML_DEPTH = 200  # Word nests tables in cells and text boxes in runs: a few dozen levels at most
INFLATE_CHUNK = 1024 * 1024  # zipfile inflates at most this much a read
DOCX_XML = "word/document.xml"
ZIP_ENCRYPTED_FLAG = 0x1  # general-purpose bit 0 of a zip entry
TEXT_SUFFIXES = {"", ".txt"}
HTML_SUFFIXES = {".html", ".htm"}
CONVERTIBLE_SUFFIXES = {".doc", ".wps", ".ofd", ".rtf", ".xls", ".xlsx", ".et", ".ppt", ".pptx"}

BYTE_ORDER_MARKS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Declared charsets that pages get wrong: gb2312/GBK pages carry GB18030 characters.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
}
CHINESE_TEXT_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1 symbols: · × ° ÷
    (0x2000, 0x206F),  # general punctuation: “ ” — …
    (0x2150, 0x21FF),  # number forms and arrows: Ⅲ →
    (0x2460, 0x25FF),  # circled numbers, box drawing, shapes: ① ■ ●
    (0x2E80, 0x2FDF),  # radicals (PDF damage, repaired later)
    (0x3000, 0x303F),  # CJK punctuation: 、 。 《 》 〔 〕
    (0x3200, 0x33FF),  # enclosed CJK and CJK compatibility: ㈠ ㎡
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms: ， ： （ ）
)
CHINESE_TEXT_SHARE = 0.9  # a legacy-codec decode must read this much like Chinese text
GARBLED_SHARE = 0.1  # above this share of control/replacement/private-use characters, text is garbage
GARBLED_CATEGORIES = {"Cc", "Co", "Cn", "Cs"}

HTML_SKIPPED_TAGS = {
    *("script", "style", "noscript", "template", "svg", "iframe", "object"),  # not text
    *("nav", "header", "footer", "aside", "form", "select", "button"),  # page furniture
}
HTML_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
HTML_BLOCK_TAGS = {
    *("p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "table", "blockquote", "pre"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main", "center", "title"),
}
HTML_HEADING_TAGS = {"h1", "h2", "h3"}
TABLE_CELL_SEPARATOR = " | "  # a flattened table row, as docx and html tables are stored
HTML_FURNITURE_ATTR = re.compile(
    r"(?:^|[-_\s])"  # the name starts a class token or a part of one
    r"(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location"  # navigation, 当前位置
    r"|share|bdshare|qrcode|toolbar|tools|fontsize|font-size|font_size|zoom"  # widgets
    r"|footer|foot|copyright)"  # footers
    r"(?:$|[-_\s\d])",
    re.IGNORECASE,
)
SOFT_BREAK = "\x01"  # a line break in the HTML source: whitespace, not a paragraph end
SITE_NAME_END = r"(?:网站|门户|官网|政府网|人民政府|政务网|信息网|应急管理局|应急管理厅)"  # site names end so
TITLE_SITE_SEPARATOR = r"(?:[_|｜]|\s[-—–]\s|--|——)"  # between a page's title and its site's name
SITE_SUFFIX = re.compile(  # 标题_汕尾市人民政府门户网站
    rf"\s*{TITLE_SITE_SEPARATOR}"
    rf"(?P<site>[^_|｜]*{SITE_NAME_END})\s*$"
)
SITE_PREFIX = re.compile(  # 广州市增城区人民政府门户网站-标题 (a bare hyphen too: the site name ends it)
    rf"^\s*(?P<site>[^_|｜\s—–-]{{2,40}}{SITE_NAME_END})"
    rf"\s*(?:{TITLE_SITE_SEPARATOR}|[-—–])\s*(?=\S)"
)

# Unified ideographs that CJK fonts draw with one glyph: a PDF printed with Noto Sans CJK SC names 户 as 戶.
PDF_SHARED_GLYPHS = str.maketrans({"戶": "户"})

WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

TITLE_WORDS = re.compile(r"关于|报告|总结|复函|答复|回复|情况|意见|通报|公告|通知|的函|提案|建议|年报")
TITLE_SEARCH_LINES = 12  # a title sits at the top; later lines are body
TITLE_MAX_CHARS = 80
NOT_A_TITLE = re.compile(
    r"^(?:"
    r"[一二三四五六七八九十]+[、.．]"  # section heading 一、
    r"|[(（][一二三四五六七八九十\d]+[)）]"  # sub-heading (一)
    r"|\d{1,2}[、.．]"  # list item 1.
    r"|附件"  # attachment list
    r")|[。；：:]$"  # a sentence or a salutation, not a heading
)


def ingest(path: Path) -> Document:
    """Read one report; raise Quarantined with the reason when it cannot be read faithfully."""
    path = Path(path)
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if suffix in CONVERTIBLE_SUFFIXES:
        raise Quarantined(f"unsupported type {suffix} (convert to .docx or .pdf)")
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}:
        raise Quarantined(f"unsupported type {suffix}")
    if size > MAX_BYTES:
        raise Quarantined(f"file over {MAX_BYTES // (1024 * 1024)} MB")
    if size == 0:
        raise Quarantined("empty file")
    raw = path.read_bytes()
    declared, text = _read(raw, suffix)
    declared_split = [split_site(normalise_chars(title)) for title in declared]
    declared_titles = [title for title, _ in declared_split]
    if not text.strip():
        raise Quarantined("empty file")
    text = strip_site_furniture(normalise_text(text))
    if not text:
        raise Quarantined("no body text after stripping page furniture")
    title, site = split_site(
        guess_title(declared_titles)
        or guess_title(text.split("\n"))  # a PDF printed from a page: its <title> is the running header
        or next(iter(declared_titles), "")
    )
    site = next((name for _, name in declared_split if name), site)
    return Document(
        id=hashlib.sha256(raw).hexdigest(),
        file_name=path.name,
        path=str(path),
        text=text,
        title=title or None,
        site=site or None,
    )


def split_site(title: str) -> tuple[str, str | None]:
    """(the page title without the site's name, the site's name or None): 标题_XX市人民政府 or XX网站-标题."""
    title = title.strip()
    for pattern in (SITE_SUFFIX, SITE_PREFIX):
        match = pattern.search(title)
        rest = (title[: match.start()] + title[match.end() :]).strip() if match else ""
        if match and rest:
            return rest, match.group("site").strip()
    return title, None


def _read(raw: bytes, suffix: str) -> tuple[list[str], str]:
    """(titles the format itself declares, raw text) for the file's format."""
    if suffix in HTML_SUFFIXES:
        return html_to_text(decode_text(raw, _declared_charset(raw)))
    if suffix == ".docx":
        return [], docx_text(raw)
    if suffix == ".pdf":
        return [], pdf_text(raw)
    return [], decode_text(raw)


def _declared_charset(raw: bytes) -> str | None:
    """The charset a page's <meta> declares, if any."""
    found = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", raw[:4096])
    return found.group(1).decode("ascii").lower() if found else None


def docx_text(raw: bytes) -> str:
    """Paragraphs as lines, table rows as lines of cells joined by ' | ' (word/document.xml)."""
    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            xml = _docx_document_xml(archive)
    except zipfile.BadZipFile as error:
        raise Quarantined("docx is not a valid zip") from error
    try:
        body = ElementTree.fromstring(xml).find(f"{WORD_NS}body")
    except ElementTree.ParseError as error:
        raise Quarantined("docx has a broken word/document.xml") from error
    try:
        return "\n".join(_docx_block_lines(body)) if body is not None else ""
    except RecursionError as error:  # MAX_XML_DEPTH is below Python's limit; this is the safety net
        raise Quarantined(f"docx XML nested deeper than {MAX_XML_DEPTH} levels") from error


def _docx_document_xml(archive: zipfile.ZipFile) -> bytes:
    """word/document.xml, refused before it can inflate past MAX_DOCX_XML_BYTES (a zip bomb).

    The declared size is read first, but it can lie, so the inflation itself is capped too; only
    stored and deflated entries are read, because zipfile inflates bzip2 and LZMA without a bound.
    """
    try:
        info = archive.getinfo(DOCX_XML)
    except KeyError as error:
        raise Quarantined("docx has no word/document.xml") from error
    if info.file_size > MAX_DOCX_XML_BYTES:
        raise Quarantined(_docx_too_big())
    if info.flag_bits & ZIP_ENCRYPTED_FLAG:
        raise Quarantined("docx is encrypted (a password is needed to read it)")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Quarantined(f"docx word/document.xml uses an unsupported compression ({info.compress_type})")
    try:
        with archive.open(info) as stream:
            return inflate_capped(stream, MAX_DOCX_XML_BYTES, MAX_DOCX_XML_TAGS)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:  # bad CRC: corrupt, or a size that lied
        raise Quarantined("docx has a damaged word/document.xml (bad zip data)") from error


def inflate_capped(stream: BinaryIO, max_bytes: int, max_tags: int) -> bytes:
    """All of `stream`, read a chunk at a time; Quarantined as soon as it passes either cap."""
    chunks: list[bytes] = []
    size = tags = 0
    while chunk := stream.read(INFLATE_CHUNK):
        size, tags = size + len(chunk), tags + chunk.count(b"<")
        if size > max_bytes:
            raise Quarantined(_docx_too_big())
        if tags > max_tags:
            raise Quarantined(f"docx word/document.xml has over {max_tags:,} XML tags")
        chunks.append(chunk)
    return b"".join(chunks)


def _docx_too_big() -> str:
    return f"docx word/document.xml inflates past {MAX_DOCX_XML_BYTES // (1024 * 1024)} MB (zip bomb?)"


def _docx_block_lines(element: ElementTree.Element, depth: int = 1) -> list[str]:
    """Lines of the paragraphs and tables under a block container (body, cell, content control).

    Recursive, so nesting is capped: 200,000 nested elements would otherwise end in a RecursionError.
    """
    if depth > MAX_XML_DEPTH:
        raise Quarantined(f"docx XML nested deeper than {MAX_XML_DEPTH} levels")
    lines: list[str] = []
    for child in element:
        if child.tag == f"{WORD_NS}p":
            lines.append(_docx_paragraph(child))
        elif child.tag == f"{WORD_NS}tbl":
            for row in child.iter(f"{WORD_NS}tr"):
                cells = [
                    " ".join(_docx_block_lines(cell, depth + 1)).strip() for cell in row.iter(f"{WORD_NS}tc")
                ]
                lines.append(TABLE_CELL_SEPARATOR.join(cells))
        else:
            lines.extend(_docx_block_lines(child, depth + 1))
    return lines


def _docx_paragraph(paragraph: ElementTree.Element) -> str:
    pieces = []
    for node in paragraph.iter():
        if node.tag == f"{WORD_NS}t":
            pieces.append(node.text or "")
        elif node.tag == f"{WORD_NS}tab":
            pieces.append(" ")
        elif node.tag in (f"{WORD_NS}br", f"{WORD_NS}cr"):
            pieces.append("\n")
    return "".join(pieces)


def pdf_text(raw: bytes) -> str:
    """The PDF's text layer, pages separated by form feeds; a scan without one is refused."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # a warning per glyph of Chromium's fonts
    try:
        text = extract_text(BytesIO(raw))
    except PDFEncryptionError as error:  # a user password, or text extraction forbidden
        raise Quarantined("PDF is encrypted (a password is needed to read its text)") from error
    except (PDFSyntaxError, PSException, ValueError) as error:
        raise Quarantined("not a readable PDF") from error
    if not text.replace("\f", "").strip():
        raise Quarantined("PDF has no text layer (scanned; no OCR offline)")
    return text.translate(PDF_SHARED_GLYPHS)


def guess_title(lines: list[str]) -> str | None:
    """The first of the top lines that reads like a report's title, else None."""
    for line in [line for line in lines if line.strip()][:TITLE_SEARCH_LINES]:
        line = line.strip()
        if len(line) <= TITLE_MAX_CHARS and TITLE_WORDS.search(line) and not NOT_A_TITLE.search(line):
            return line
    return None


def decode_text(raw: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOM, strict UTF-8, the declared charset, GB18030, Big5, then detection.

    Legacy Chinese codecs accept most byte pairs, so a strict decode only counts when the result
    reads as Chinese text; detection is the last resort and must read as Chinese text too.
    """
    for mark, codec in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return _not_garbled(_strict_decode(raw, codec) or "")
    if b"\x00" in raw:
        return _utf16_without_mark(raw)
    utf8 = _strict_decode(raw, "utf-8")
    if utf8 is not None:
        return _not_garbled(utf8)
    for codec in (CHARSET_ALIASES.get(declared or "", declared), "gb18030", "big5hkscs"):
        text = _strict_decode(raw, codec) if codec else None
        if text is not None and _reads_as_chinese(text):
            return text
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None and _reads_as_chinese(str(best)):
        return str(best)
    raise Quarantined("undecodable text")


def _utf16_without_mark(raw: bytes) -> str:
    """UTF-16 text saved without a byte-order mark, else Quarantined as binary.

    No other text encoding has NUL bytes: in UTF-16 every ASCII character (digits, line breaks) has a
    NUL high byte, so the NULs sit at odd offsets (LE) or even ones (BE). The side with more NULs is
    tried first; the decode counts only if it reads as Chinese text, as a wrong byte order does not.
    """
    if len(raw) % 2 == 0:
        little_endian_first = raw[1::2].count(0) >= raw[::2].count(0)
        for codec in ("utf-16-le", "utf-16-be") if little_endian_first else ("utf-16-be", "utf-16-le"):
            text = _strict_decode(raw, codec)
            if text is not None and "\x00" not in text and _reads_as_chinese(text):
                return _not_garbled(text)
    raise Quarantined("binary file (not text)")


def _strict_decode(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_garbled(ch: str) -> bool:
    return ch == "\ufffd" or (ch not in "\n\r\t\f" and unicodedata.category(ch) in GARBLED_CATEGORIES)


GARBLED = CharClass(_is_garbled)


def _not_garbled(text: str) -> str:
    """The text, unless it is mostly control, replacement or unassigned characters."""
    if not text or GARBLED.count(text) > len(text) * GARBLED_SHARE:
        raise Quarantined("undecodable text")
    return text


def _reads_as_chinese(text: str) -> bool:
    """Whether nearly all characters are ones Chinese reports use (a wrong codec yields kana, Cyrillic...)."""
    readable = sum(
        ch.isspace() or any(low <= ord(ch) <= high for low, high in CHINESE_TEXT_RANGES) for ch in text
    )
    return not text.isspace() and readable >= len(text) * CHINESE_TEXT_SHARE


class _PageText(HTMLParser):
    """Collects a page's body text with block elements as line breaks, skipping page furniture."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.page_title: list[str] = []
        self.headings: list[list[str]] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._open: set[str] = set()  # title / heading / pre, which change where text goes
        self._cells_in_row = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            self._skip_depth += tag == self._skip_tag
            return
        if tag in HTML_VOID_TAGS:
            self.parts.append("\n" if tag in HTML_BLOCK_TAGS else "")
            return
        if tag in HTML_SKIPPED_TAGS or _is_furniture_element(attrs):
            self._skip_tag, self._skip_depth = tag, 1
            return
        self._open.add(tag)
        if tag in HTML_HEADING_TAGS:
            self.headings.append([])
        if tag == "tr":  # one line a row, no blank line between rows
            self.parts.append("\n")
            self._cells_in_row = 0
        elif tag in ("td", "th"):
            self.parts.append(TABLE_CELL_SEPARATOR if self._cells_in_row else "")
            self._cells_in_row += 1
        if tag in HTML_BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            self._skip_depth -= tag == self._skip_tag
            if self._skip_depth == 0:
                self._skip_tag = None
            return
        self._open.discard(tag)
        if tag in HTML_BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_tag is not None:
            return
        if "title" in self._open:
            self.page_title.append(data)
            return
        if "pre" not in self._open:
            data = re.sub(r"[ \t\f\v]+", " ", data).replace("\r", "").replace("\n", SOFT_BREAK)
        self.parts.append(data)
        if self._open & HTML_HEADING_TAGS and self.headings:
            self.headings[-1].append(data)

    def text(self) -> str:
        """The collected text; a source line break inside Chinese text joins without a space."""
        return re.sub(rf" *{SOFT_BREAK}[ {SOFT_BREAK}]*", _soft_break, "".join(self.parts))


def _soft_break(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else "\n"
    return "" if not (before.isascii() and after.isascii()) or "\n" in before + after else " "


def _is_furniture_element(attrs: list[tuple[str, str | None]]) -> bool:
    names = " ".join(value or "" for key, value in attrs if key in ("id", "class"))
    return bool(HTML_FURNITURE_ATTR.search(names))


def html_to_text(page: str) -> tuple[list[str], str]:
    """(title candidates: <title> (site name and all), then h1-h3 texts; the page's body text)."""
    parser = _PageText()
    parser.feed(page)
    parser.close()
    page_title = " ".join("".join(parser.page_title).split())
    headings = [" ".join("".join(parts).replace(SOFT_BREAK, "").split()) for parts in parser.headings]
    return [title for title in (page_title, *headings) if title], parser.text()
