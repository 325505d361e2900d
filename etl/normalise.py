"""Clean extracted text into the stored text: characters, page layout, and site furniture.

PDF text layers and scraped pages damage text in predictable ways (Kangxi radicals, full-width
forms, hard line breaks, running headers, navigation lines). NFKC would fix some of that but also
turns ㎡ into m2 and ① into 1, so each repair here is targeted. Body text is never rewritten
beyond characters and whitespace: the stored text is what every evidence string refers to.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from etl.char_classes import CharClass, one_of

# Code point blocks whose compatibility mapping is the unified ideograph the source meant.
IDEOGRAPH_VARIANT_BLOCKS = (
    (0x2E80, 0x2EFF),  # CJK radicals supplement (the few with a mapping)
    (0x2F00, 0x2FD5),  # Kangxi radicals: ⼈ for 人, ⼀ for 一
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
)
LIGATURES = (0xFB00, 0xFB06)  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ: PDF text layers of printed URLs (ﬁle:///…)
# Radicals-supplement forms with no compatibility mapping that PDF text layers emit for whole
# characters: CJK fonts share one glyph between 门 and ⻔, and the PDF's ToUnicode map names the radical.
RADICAL_IDEOGRAPHS = {
    "⺠": "民", "⺟": "母", "⻁": "虎", "⻄": "西", "⻅": "见", "⻆": "角", "⻈": "讠", "⻉": "贝",
    "⻋": "车", "⻐": "钅", "⻓": "长", "⻔": "门", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风",
    "⻜": "飞", "⻝": "食", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟",
    "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟",
    # Kangxi radicals whose compatibility mapping is the traditional form: the font drew the simplified one
    "⼾": "户", "⾨": "门", "⾺": "马", "⾧": "长", "⾵": "风", "⾶": "飞", "⾞": "车", "⾙": "贝",
    "⾒": "见", "⾴": "页", "⿂": "鱼", "⿃": "鸟", "⿓": "龙", "⿔": "龟", "⾾": "韦", "⿑": "齐",
    "⿒": "齿", "⾓": "角",
}  # fmt: skip
# Deprecated or ligature punctuation with the form the reports write.
PUNCTUATION_FORMS = {"\u2329": "〈", "\u232a": "〉", "⸺": "——", "⸻": "———"}
FULLWIDTH_ASCII = (0xFF01, 0xFF5E)  # ！ .. ～, offset 0xFEE0 from ASCII
FULLWIDTH_KEPT = "，；：（）！？～"  # Chinese punctuation: documents mix it with ASCII, keep as written
SPACE_LIKE = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b")
# control characters (Unicode category Cc: C0, DEL, C1; a fixed set) other than newline and form feed
CONTROLS = re.compile("[\x00-\x09\x0b\x0d-\x1f\x7f-\x9f]")

SENTENCE_END = re.compile(
    r"[。！？；：!?;:…]"  # sentence-final punctuation
    r"[”’」』)）》】\"']*$"  # optionally followed by closing quotes or brackets
)
LIST_MARKER = re.compile(
    r"^(?:"
    r"[一二三四五六七八九十]+[、.．]"  # 一、
    r"|[(（][一二三四五六七八九十\d]+[)）]"  # (一) （1）
    r"|\d{1,2}[、.．](?!\d)"  # 1. 2、 but not 1.5万
    r"|第[一二三四五六七八九十百\d]+[条章节部分]"  # 第一条
    r"|[①-⑳•●■◆▪]"  # circled numbers and bullets
    r"|附件"  # attachment list
    r")"
)
PAGE_NUMBER = re.compile(
    r"^(?:"
    r"[-—–－]\s*\d{1,4}\s*[-—–－]"  # - 3 -  — 3 —
    r"|第\s*\d{1,4}\s*页\s*[,，/]?\s*(?:共\s*\d{1,4}\s*页)?"  # 第 3 页 共 10 页
    r"|共\s*\d{1,4}\s*页\s*[,，/]?\s*第\s*\d{1,4}\s*页"  # 共 10 页 第 3 页
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?"  # Page 3 of 10
    r")$"
)
BARE_NUMBER = re.compile(r"^\d{1,4}$")  # a page number only where a page starts or ends
NUMBERS = re.compile(r"\d+")
# two blank lines or more: written with a literal prefix, so the search skips to the places they stand
# (`\n{3,}` would be tried at every character of the text, a tenth of a millisecond a report)
BLANK_LINES = re.compile(r"\n\n\n+")

PAGE_EDGE_LINES = 2  # lines at the top and bottom of a page where running headers sit
WRAP_MIN_LINES = 3  # fewer lines cannot show a page width
WRAP_MIN_LINE_WIDTH = 20  # narrower lines say nothing about the page width
WRAP_MAX_WIDTH = 160  # display columns; wider "lines" are whole paragraphs, not wrapped text
WRAP_PERCENTILE = 0.9  # the page width: the width of the line at this share of them, narrowest first
WRAP_FULL_SHARE = 0.25  # share of body lines at the margin for a text to count as hard-wrapped
WRAP_MARGIN = 4  # display columns: a line this close to the page width ends at the margin
WRAP_MAX_BLANKS = 2  # pdfminer puts a blank line between text boxes, and a page break one more
WRAP_FULL_RATIO = 0.8  # a line this close to the page width was wrapped by the layout


@cache
def _char_table() -> dict[int, str | None]:
    """The per-character repairs, as a str.translate table."""
    table: dict[int, str | None] = {}
    for first, last in IDEOGRAPH_VARIANT_BLOCKS:
        for code in range(first, last + 1):
            mapped = unicodedata.normalize("NFKC", chr(code))
            if mapped != chr(code) and len(mapped) == 1 and unicodedata.category(mapped) == "Lo":
                table[code] = mapped
    for code in range(LIGATURES[0], LIGATURES[1] + 1):
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for code in range(FULLWIDTH_ASCII[0], FULLWIDTH_ASCII[1] + 1):
        if chr(code) not in FULLWIDTH_KEPT:
            table[code] = chr(code - 0xFEE0)
    table.update({ord(radical): ideograph for radical, ideograph in RADICAL_IDEOGRAPHS.items()})
    table.update({ord(form): written for form, written in PUNCTUATION_FORMS.items()})
    table.update({ord(ch): " " for ch in SPACE_LIKE})
    table.update({ord(ch): None for ch in ZERO_WIDTH})
    return table


@cache
def _repaired() -> re.Pattern:
    """The characters the table repairs: a regex finds the few a text has (str.translate would look every
    character up, a millisecond a report)."""
    return one_of(chr(code) for code in _char_table())


def _repair(found: re.Match[str]) -> str:
    return _char_table()[ord(found.group())] or ""


def normalise_chars(text: str) -> str:
    """Repair code points and line endings; drop control characters other than newline and form feed."""
    for line_break in LINE_BREAKS:
        text = text.replace(line_break, "\n")
    return CONTROLS.sub("", _repaired().sub(_repair, text))


def _is_narrow(ch: str) -> bool:
    """All but CJK, full-width and ambiguous characters (“ ” in a CJK font) take one column."""
    return unicodedata.east_asian_width(ch) not in "WFA"


NARROW = CharClass(_is_narrow)  # the rarer kind in a Chinese report: the one to count


def display_width(line: str) -> int:
    """Columns a line takes on the page: CJK, full-width and ambiguous (“ ” in a CJK font) count two."""
    return 2 * len(line) - NARROW.count(line)


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits masked) that sit at the same page edge on at least half of the pages."""
    if len(pages) < 2:
        return set()
    running: set[str] = set()
    for edge in (slice(None, PAGE_EDGE_LINES), slice(-PAGE_EDGE_LINES, None)):
        counts: dict[str, int] = {}
        for page in pages:
            for key in {_page_key(line) for line in [line for line in page if line][edge]}:
                counts[key] = counts.get(key, 0) + 1
        running |= {key for key, n in counts.items() if n >= 2 and n * 2 >= len(pages)}
    return running


def _page_key(line: str) -> str:
    """The line with numbers masked, so 'page 3' and 'page 4' headers count as the same line."""
    return NUMBERS.sub("#", line)


def _strip_page_furniture(pages: list[list[str]]) -> list[str]:
    """Drop page numbers and running headers/footers, then chain the pages' lines."""
    pages = [_trim_blank(page) for page in pages]
    running = _running_lines(pages)
    # a single page has no edges to clean: its lines are only read for page numbers
    first_page = {_page_key(line) for line in pages[0] if line} if len(pages) > 1 else set()
    lines: list[str] = []
    for number, page in enumerate(pages):
        written = [index for index, line in enumerate(page) if line] or [0]  # edges count written lines
        top = written[min(PAGE_EDGE_LINES, len(written)) - 1] if number else -1  # page 1: its title
        bottom = written[-min(PAGE_EDGE_LINES, len(written))]
        for index, line in enumerate(page):
            at_edge = (index <= top or index >= bottom) and len(pages) > 1
            if PAGE_NUMBER.match(line) or at_edge and _furniture(line, index <= top, running, first_page):
                continue
            lines.append(line)
    return lines


def _furniture(line: str, under_top: bool, running: set[str], first_page: set[str]) -> bool:
    """A line at a page edge that is blank, a bare number, a running header or footer, or (at the top of
    a later page) a line of the first page: a printed title."""
    key = _page_key(line)
    return not line or bool(BARE_NUMBER.match(line)) or key in running or under_top and key in first_page


def _trim_blank(lines: list[str]) -> list[str]:
    """The lines without blank ones at either end."""
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


def _wrap_width(lines: list[str]) -> int | None:
    """The page width in columns when the text is hard-wrapped (PDF layout), else None."""
    # a line takes at most two columns a character: a shorter one (a blank line) need not be measured
    wide_enough = [line for line in lines if 2 * len(line) >= WRAP_MIN_LINE_WIDTH]
    if _paragraphs_overflow(wide_enough):
        return None
    widths = sorted(w for w in map(display_width, wide_enough) if w >= WRAP_MIN_LINE_WIDTH)
    if len(widths) < WRAP_MIN_LINES:
        return None
    width = widths[int(len(widths) * WRAP_PERCENTILE)]
    # a layout breaks lines at one margin: many lines end within a character of it; typed text does not
    at_margin = sum(width - WRAP_MARGIN <= w <= width + WRAP_MARGIN for w in widths)
    body = sum(w >= width / 2 for w in widths)  # headings, table rows and short last lines say nothing
    if width > WRAP_MAX_WIDTH or at_margin < max(WRAP_MIN_LINES, body * WRAP_FULL_SHARE):
        return None
    return width


def _paragraphs_overflow(wide_enough: list[str]) -> bool:
    """Whether so many lines are wider than WRAP_MAX_WIDTH by their length alone (a character takes at
    least one column) that the measured width would be too: typed text, whose paragraphs are lines, known
    without measuring a line. The width read is the 90th percentile of at most len(wide_enough) widths, and
    the share of the widest a percentile skips only grows with their number."""
    overflowing = sum(len(line) > WRAP_MAX_WIDTH for line in wide_enough)
    return overflowing >= len(wide_enough) - int(len(wide_enough) * WRAP_PERCENTILE)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join a full-width line that ends mid-sentence with the line that continues it.

    pdfminer often puts each printed line in its own box, so a blank line may sit between them (two
    where a page break fell inside the sentence).
    """
    width = _wrap_width(lines)
    if width is None:
        return lines
    # pieces of each output line, joined once at the end: `+=` on a list item copies the whole line each
    # time, which is quadratic on a text of 100,000 wrapped lines without a sentence end
    joined: list[list[str]] = []
    previous, blanks = "", 0  # the last non-blank line as printed, blank lines since
    for line in lines:
        if not line:
            blanks += 1
            continue
        if previous and blanks <= WRAP_MAX_BLANKS and _wraps_into(previous, line, width):
            joined[-1].append(line)
        else:
            joined.extend([[""] for _ in range(blanks)] + [[line]])
        previous, blanks = line, 0
    return ["".join(pieces) for pieces in joined]


def _wraps_into(line: str, next_line: str, width: int) -> bool:
    """Whether the layout broke a sentence between these two printed lines."""
    return (
        display_width(line) >= width * WRAP_FULL_RATIO
        and not SENTENCE_END.search(line)
        and not LIST_MARKER.match(next_line)
    )


def collapse_blank_lines(lines: list[str]) -> str:
    """Lines joined with at most one blank line between paragraphs, none at either end."""
    text = "\n".join(_trim_blank(lines))
    return BLANK_LINES.sub("\n\n", text)


def normalise_text(text: str) -> str:
    """The stored form of extracted text: repaired characters, no page furniture, unwrapped lines.

    Form feeds (pdfminer's page breaks) delimit pages for header/footer and page-number removal.
    """
    text = normalise_chars(text)
    pages = [[line.strip(" ") for line in page.split("\n")] for page in text.split("\f")]
    lines = _strip_page_furniture(pages)
    return collapse_blank_lines(_join_wrapped(lines))


# Whole lines that web pages (and text scraped from them) carry around the body. Each pattern must
# match the entire stripped line and stay short, so a body sentence that mentions a word is kept.
SITE_FURNITURE_LINES = {
    "accessibility": r"无障碍(?:版|浏览|阅读)?|关怀版|长者版|适老化(?:版)?|长者模式",
    "script toggle": r"(?:简体|繁体|繁體)(?:中文|版)?(?:\s*[|/]?\s*(?:简体|繁体|繁體)(?:中文|版)?)?",
    "ipv6": r"(?i:本?网站(?:已)?支持\s*ipv6)",
    "breadcrumb": r"(?:您|你)?(?:当前|现在)?(?:所在)?的?位置\s*[:：].{0,20}首页.{0,100}",
    "font size": r"[•·]?\s*【?\s*字[体號号]\s*[:：]?\s*(?:[大中小]\s*){0,3}】?",
    "share": r"分享到\s*[:：]?.{0,30}",
    "qr code": r"扫一扫.{0,20}",
    "legal footer": r".{0,40}(?:ICP备|ICP证|公网安备|网站标识码|标识码\s*[:：]|版权所有|©).{0,60}",
    "copyright": r"(?i:copyright).{0,80}",
    "site host": r"(?:主办单位|承办单位|技术支持|维护单位)\s*[:：].{0,40}",
    "host body": r"主办\s*[:：].{0,20}(?:局|政府|办公厅|中心)(?:主办)?",
    "contact header": r"联系方式\s*[:：]?|联系我们|网站地图",
    "back to top": r"返回顶部|回到顶部",
    "print close": r"(?:[\[【]?\s*(?:打印本页|打印|关闭窗口|关闭|收藏本页|收藏)\s*[\]】]?\s*){1,3}",
    "related": r"(?:相关链接|关联稿件|相关附件|相关文章|相关阅读|相关新闻)\s*[:：]?",
    "map widget": r"(?i:baidu|map)|百度地图",
    "leaving site": r"您访问的链接即将离开.{0,60}",
    "page widgets": r"智能推荐|热点关注|政策推送|站长统计|图片|首页|搜索",
}
SITE_FURNITURE_LINE = re.compile("|".join(f"(?:{piece})" for piece in SITE_FURNITURE_LINES.values()))
# A page footer starts at one of these; everything after it is footer when all of it is short.
FOOTER_START = re.compile(r"版权所有|ICP备|公网安备|网站标识码|主办单位\s*[:：]|主办\s*[:：]")
FOOTER_MAX_LINE = 60  # characters; footer lines are addresses, phone numbers, site names


def _footer_start(lines: list[str]) -> int:
    """Index where the page footer block begins (len(lines) when there is none)."""
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if len(line) > FOOTER_MAX_LINE or line.endswith("。"):
            break
        if FOOTER_START.search(line):
            start = index
    return start


def strip_site_furniture(text: str) -> str:
    """Drop navigation, widget and footer lines that pages wrap around the body text."""
    lines = text.split("\n")
    lines = [line for line in lines[: _footer_start(lines)] if not SITE_FURNITURE_LINE.fullmatch(line)]
    return collapse_blank_lines(lines)
