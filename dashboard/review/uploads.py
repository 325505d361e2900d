"""Uploaded reports, stored by content hash under the uploads folder (`<db dir>/uploads`), which the
ETL reads beside data/reports. The type is told from the content, never from the name; the name is kept
only as a label (in a hidden sidecar the ETL skips) and never used as a path. A refused file leaves
nothing behind: it is written aside and renamed in only once whole."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from review.template import header_columns

MAX_BYTES = 20 * 1024 * 1024  # per file, as the ETL's own limit
MAX_FILES = 20  # per upload
MAX_NAME_CHARS = 120  # of the label kept for a file
LABELS = ".labels"  # hidden: the ETL's walk ignores it
HTML_MARKS = ("<!doctype html", "<html", "<head", "<body", "<meta", "<p>", "<div", "<table")
# A filled-in import template (csv or xlsx bytes, kind) -> (its valid rows, one message per refused row)
TemplateCheck = Callable[[bytes, str], tuple[int, list[str]]]
CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


@dataclass(frozen=True)
class Upload:
    """What became of one uploaded file: `outcome` is stored | known (the same content is stored or loaded
    already) | refused; `detail` the kind stored, the path it is known by, or why it was refused;
    `messages`: an import template's refused rows."""

    name: str
    outcome: str
    detail: str
    sha256: str = ""
    messages: tuple[str, ...] = ()


def uploads_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "uploads"


def decoded(data: bytes) -> str | None:
    """The text of `data` if it is text (UTF-8, else GB18030) without control bytes; None if binary."""
    if any(byte in CONTROL_BYTES for byte in data[:65536]):
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def zip_kind(data: bytes) -> str | None:
    """docx (a zip with word/document.xml) or xlsx (with xl/workbook.xml); None for any other zip."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    return "xlsx" if "xl/workbook.xml" in names else None


def is_template_header(line: str) -> bool:
    """The first line of a CSV in the import template's columns (review/template.py)."""
    return header_columns(next(csv.reader([line]), [])) is not None


def sniff(data: bytes) -> str | None:
    """The kind of a file from its bytes: pdf, docx, xlsx, html, csv (the template) or txt; None when it
    is none of these (an image, an executable, a zip of something else, undecodable bytes)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return zip_kind(data)
    text = decoded(data)
    if text is None or not text.strip():
        return None
    head = text.lstrip()[:2000].lower()
    if head.startswith("<") and any(mark in head for mark in HTML_MARKS):
        return "html"
    return "csv" if is_template_header(text.lstrip().split("\n", 1)[0]) else "txt"


def label(name: object) -> str:
    """An uploaded file's name as a label: text only, one line, bounded."""
    text = name if isinstance(name, str) else ""
    text = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return text[:MAX_NAME_CHARS] or "?"


def store_upload(
    folder: Path, name: str, data: bytes, loaded: set[str], check_template: TemplateCheck | None = None
) -> Upload:
    """Check one file and store it as `<sha256>.<kind>`; `loaded` holds the ids (sha256) the database has.
    An import template is checked row by row first: with no valid row it is refused."""
    shown = label(name)
    if len(data) > MAX_BYTES:
        return Upload(shown, "refused", "too_big")
    if not data:
        return Upload(shown, "refused", "empty")
    kind = sniff(data)
    if kind is None:
        return Upload(shown, "refused", "type")
    messages: tuple[str, ...] = ()
    if kind in ("csv", "xlsx"):
        valid, errors = check_template(data, kind) if check_template else (0, [])
        messages = tuple(errors)
        if not valid:
            return Upload(shown, "refused", "template", messages=messages)
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    existing = next(folder.glob(f"{digest}.*"), None)
    if digest in loaded or existing is not None:
        return Upload(shown, "known", existing.name if existing else digest, digest)
    write_atomically(folder / f"{digest}.{kind}", data)
    write_label(folder, digest, shown)
    return Upload(shown, "stored", kind, digest, messages)


def write_atomically(path: Path, data: bytes) -> None:
    """Write aside (a hidden name the ETL skips), then rename: a reader never sees half a file."""
    draft = path.with_name(f".part-{secrets.token_hex(8)}")
    try:
        with open(draft, "xb") as out:
            out.write(data)
        os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def write_label(folder: Path, digest: str, name: str) -> None:
    labels = folder / LABELS
    labels.mkdir(exist_ok=True)
    write_atomically(labels / f"{digest}.json", json.dumps({"name": name}, ensure_ascii=False).encode())


def uploaded_names(folder: Path) -> dict[str, str]:
    """sha256 -> the name a file was uploaded under."""
    names = {}
    for path in sorted((folder / LABELS).glob("*.json")):
        try:
            names[path.stem] = str(json.loads(path.read_text(encoding="utf-8"))["name"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return names


def store_uploads(
    folder: Path,
    files: list[tuple[str, bytes]],
    loaded: set[str],
    check_template: TemplateCheck | None = None,
) -> list[Upload]:
    """Store each file of one upload; more than MAX_FILES refuses the whole upload."""
    if len(files) > MAX_FILES:
        return [Upload(label(name), "refused", "too_many") for name, _ in files]
    return [store_upload(folder, name, data, loaded, check_template) for name, data in files]
