"""Where a report was published: its original address and its publisher, for a citation a reader can paste.

Each comes from what the document states, never from a guess: a manifest cell, an HTML page's own <meta>
and <link rel="canonical">, a 原文链接/来源/发文机关 line, or the bureau's name standing alone as a
byline or signature. Where none says, it stays blank (the area's bureau is not assumed to be the issuer).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from etl.ingest import HTML_SUFFIXES, _declared_charset, decode_text
from etl.metadata_patterns import (
    BUREAU_NAME_LINE,
    HEAD_LINES,
    ISSUER_LABELS,
    MAX_URL_CHARS,
    PAGE_SITE_META,
    PAGE_SOURCE_META,
    PAGE_URL_META,
    PUBLISHER_LABEL,
    PUBLISHER_MIN_CHARS,
    PUBLISHER_NAME,
    RELATIVE_PUBLISHER,
    TEXT_URL,
    URL_SCHEMES,
)
from etl.model import Document, Quarantined

BODY_START = re.compile(r"<body[\s>]", re.IGNORECASE)
HEAD_BYTES = 256 * 1024  # a page whose <body> never opens: its <meta> are at the top
URL_MARK = "http"  # a text without it has no address to read: the pattern is not run over it

Found = tuple[str | None, str]  # (value or None, how it was found)


def checked_url(text: str) -> str | None:
    """`text` when it is an absolute http(s) address with a host and no spaces or control characters."""
    if not text or len(text) > MAX_URL_CHARS:
        return None
    if any(ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"} for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # a malformed IPv6 host: [::1
        return None
    return text if parts.scheme.lower() in URL_SCHEMES and parts.hostname else None


def checked_publisher(text: str) -> str | None:
    """`text` when it reads as an organisation's name (深圳市应急管理局), not 本网, a person's name or a body
    named by its rank alone (县应急管理局)."""
    name = text.strip()
    if (
        len(name) < PUBLISHER_MIN_CHARS
        or not PUBLISHER_NAME.fullmatch(name)
        or RELATIVE_PUBLISHER.match(name)
    ):
        return None
    return name


def detect_url(doc: Document, page: dict[str, str]) -> Found:
    """The document's own address: the page's <meta>/canonical link, else a 原文链接 line of the text."""
    for name in PAGE_URL_META:
        if url := checked_url(page.get(name, "")):
            return url, f"page {name}"
    for match in TEXT_URL.finditer(doc.text) if URL_MARK in doc.text else ():
        if url := checked_url(match.group("url")):
            return url, f"text {match.group('label')}"
    return None, "none"


def detect_publisher(doc: Document, page: dict[str, str]) -> Found:
    """Who issued it: the page's 来源 <meta>, a 发文机关/来源 line, a byline or signature naming one bureau,
    a 发布机构 line (the site that published it), then the page's author or site name."""
    if found := _from_meta(page, PAGE_SOURCE_META):
        return found
    labelled = _labelled(doc.text)
    issuer = next(((name, how) for name, how, label in labelled if label in ISSUER_LABELS), None)
    if issuer:
        return issuer
    if signed := _signed(doc.text):
        return signed, "byline or signature"
    if labelled:
        return labelled[0][:2]
    return _from_meta(page, PAGE_SITE_META) or (None, "none")


def _from_meta(page: dict[str, str], names: tuple[str, ...]) -> Found | None:
    for name in names:
        if publisher := checked_publisher(page.get(name, "")):
            return publisher, f"page {name}"
    return None


def _labelled(text: str) -> list[tuple[str, str, str]]:
    """(name, how, label) of each 来源/发布机构… line at the head of the text naming an organisation."""
    head = "\n".join(text.split("\n", HEAD_LINES)[:HEAD_LINES])
    found = []
    for match in PUBLISHER_LABEL.finditer(head):
        if name := checked_publisher(match.group("value")):
            found.append((name, f"label {match.group('label')}", match.group("label")))
    return found


def _signed(text: str) -> str | None:
    """The bureau that lines of the text name alone (byline, signature), when they all name the same one."""
    names = {match.group("name") for match in BUREAU_NAME_LINE.finditer(text)}
    return names.pop() if len(names) == 1 else None


# --- the page's own <meta> --------------------------------------------------------------------------------
def page_meta(doc: Document) -> dict[str, str]:
    """The <meta> names (lower case) -> content of the HTML file the document was read from, and its
    canonical link as `canonical`; empty for other formats, or when the file is no longer the bytes the
    document was read from (ingest keeps only the text, so the head is read again here)."""
    path = Path(doc.path)
    if path.suffix.lower() not in HTML_SUFFIXES:
        return {}
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    if hashlib.sha256(raw).hexdigest() != doc.id:
        return {}
    try:
        page = decode_text(raw, _declared_charset(raw))  # as ingest decoded it
    except Quarantined:
        return {}
    body = BODY_START.search(page)
    parser = _HeadMeta()
    parser.feed(page[: body.start()] if body else page[:HEAD_BYTES])
    return parser.found


class _HeadMeta(HTMLParser):
    """Collects <meta name|property=… content=…> and <link rel="canonical" href=…>; first one wins."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "").strip() for name, value in attrs}
        if tag == "meta":
            name = (values.get("name") or values.get("property") or "").lower()
            if name and values.get("content"):
                self.found.setdefault(name, values["content"])
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split() and values.get("href"):
            self.found.setdefault("canonical", values["href"])
