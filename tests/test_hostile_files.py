"""Hostile files against ingest (issue 7, item 2): refused in one line, in seconds, in bounded memory.

Every file is made here, in tmp_path. Before the caps a 2 MB .docx took 4.4 GB (word/document.xml
inflating to 2 GiB), deep nesting ended in `internal error: RecursionError`, an encrypted PDF was only
"not a readable PDF", and UTF-16 without a byte-order mark was refused as binary.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from etl.ingest import MAX_DOCX_XML_BYTES, MAX_DOCX_XML_TAGS, MAX_XML_DEPTH, inflate_capped, ingest
from etl.model import Document, Quarantined

WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document {WORD}><w:body>'.encode()
TAIL = b"</w:body></w:document>"
PARAGRAPH = "<w:p><w:r><w:t>深圳市应急管理局检查企业12家次，发现隐患3处</w:t></w:r></w:p>".encode()
MB = 1024 * 1024


@contextmanager
def bounded(seconds: float, megabytes: int) -> Iterator[None]:
    """Fail unless the block finishes within `seconds` and its Python allocations peak under `megabytes`."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < megabytes * MB, f"peaked at {peak / MB:.0f} MB"


def refusal(path: Path) -> str:
    with pytest.raises(Quarantined) as refused:
        ingest(path)
    reason = refused.value.reason
    assert "\n" not in reason and "internal error" not in reason
    return reason


def write_docx_xml(
    path: Path, pieces: Callable[[], Iterator[bytes]], method: int = zipfile.ZIP_DEFLATED
) -> Path:
    """A .docx whose word/document.xml is the pieces, streamed into the zip (never whole in memory)."""
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            for piece in pieces():
                entry.write(piece)
    return path


def paragraphs(total_bytes: int) -> Callable[[], Iterator[bytes]]:
    """Valid XML of about `total_bytes`: paragraphs of report text, one megabyte at a time."""
    block = PARAGRAPH * (MB // len(PARAGRAPH))

    def pieces() -> Iterator[bytes]:
        yield HEAD
        for _ in range(total_bytes // len(block) + 1):
            yield block
        yield TAIL

    return pieces


def xml_of(*pieces: bytes) -> Callable[[], Iterator[bytes]]:
    """The document made of `pieces` between the document's head and tail."""
    return lambda: iter([HEAD, *pieces, TAIL])


def declare_size(path: Path, name: str, size: int) -> None:
    """Rewrite the uncompressed size the zip declares for `name` (local header and central directory)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    # (header signature, offset of the name length, of the name, of the uncompressed size)
    for signature, length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        header = data.find(signature)
        while header != -1:
            name_length = struct.unpack_from("<H", data, header + length_at)[0]
            if data[header + name_at : header + name_at + name_length] == encoded:
                struct.pack_into("<I", data, header + size_at, size)
            header = data.find(signature, header + 4)
    path.write_bytes(bytes(data))


# ----------------------------------------------------------------------------------------------------
# .docx: inflated size, tag count, nesting, compression
# ----------------------------------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_a_docx_inflating_past_the_cap_is_refused_without_inflating_it(tmp_path: Path) -> None:
    bomb = write_docx_xml(tmp_path / "bomb.docx", paragraphs(MAX_DOCX_XML_BYTES + 8 * MB))
    assert bomb.stat().st_size < 2 * MB  # small on disk: the size check on the file cannot see it
    with bounded(seconds=5, megabytes=64):
        reason = refusal(bomb)
    assert "inflates past 50 MB" in reason


@pytest.mark.timeout(60)
def test_a_docx_lying_about_its_inflated_size_stops_at_the_declared_size(tmp_path: Path) -> None:
    """Declared 4 KB, inflates to 58 MB: read no further than declared, then refused as damaged."""
    bomb = write_docx_xml(tmp_path / "liar.docx", paragraphs(MAX_DOCX_XML_BYTES + 8 * MB))
    declare_size(bomb, "word/document.xml", 4096)
    with zipfile.ZipFile(bomb) as archive:
        assert archive.getinfo("word/document.xml").file_size == 4096
    with bounded(seconds=5, megabytes=64):
        reason = refusal(bomb)
    assert "damaged" in reason or "broken" in reason


def test_inflation_stops_at_the_cap_whatever_the_stream_says() -> None:
    """The hard limit on inflated bytes does not trust any declared size: an endless stream is cut off."""

    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return b"x" * (size if size > 0 else MB)

    with bounded(seconds=5, megabytes=64), pytest.raises(Quarantined, match="inflates past 50 MB"):
        inflate_capped(Endless(), 8 * MB, MAX_DOCX_XML_TAGS)


@pytest.mark.timeout(60)
def test_a_docx_of_millions_of_tiny_elements_is_refused_by_its_tag_count(tmp_path: Path) -> None:
    """15 MB of <w:p/> is under the size cap but would take gigabytes as a tree."""
    empty = b"<w:p/>" * (MB // 6)
    crowd = write_docx_xml(tmp_path / "crowd.docx", xml_of(*[empty] * (MAX_DOCX_XML_TAGS // (MB // 6) + 2)))
    with bounded(seconds=5, megabytes=64):
        reason = refusal(crowd)
    assert "XML tags" in reason


@pytest.mark.timeout(60)
def test_a_docx_nested_200000_deep_is_a_one_line_refusal(tmp_path: Path) -> None:
    depth = 200_000
    pieces = xml_of(b"<w:sdt>" * depth, PARAGRAPH, b"</w:sdt>" * depth)
    deep = write_docx_xml(tmp_path / "deep.docx", pieces)
    with bounded(seconds=10, megabytes=300):
        reason = refusal(deep)
    assert f"nested deeper than {MAX_XML_DEPTH} levels" in reason


def test_a_docx_nested_as_deep_as_word_nests_still_reads(tmp_path: Path) -> None:
    depth = 30  # tables in cells in content controls: Word documents stay far below the cap
    pieces = xml_of(b"<w:sdt>" * depth, PARAGRAPH, b"</w:sdt>" * depth)
    document = ingest(write_docx_xml(tmp_path / "nested.docx", pieces))
    assert "检查企业12家次" in document.text


def test_a_docx_compressed_with_bzip2_is_refused(tmp_path: Path) -> None:
    """zipfile inflates bzip2 and LZMA without a bound per read, and Word never writes them."""
    docx = write_docx_xml(tmp_path / "bzip.docx", paragraphs(1000), method=zipfile.ZIP_BZIP2)
    assert "unsupported compression" in refusal(docx)


def test_a_docx_under_the_caps_still_reads(tmp_path: Path) -> None:
    document = ingest(write_docx_xml(tmp_path / "fine.docx", paragraphs(2 * MB)))
    assert document.text.count("检查企业12家次") > 10_000


# ----------------------------------------------------------------------------------------------------
# PDF: encryption
# ----------------------------------------------------------------------------------------------------


def _encrypted_pdf(path: Path, user_password: str) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    encryption = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner", canCopy=0)
    sheet = canvas.Canvas(str(path), encrypt=encryption)
    sheet.drawString(100, 700, "Shenzhen emergency management 2023: 12 drills.")
    sheet.showPage()
    sheet.save()
    return path


def test_an_encrypted_pdf_is_refused_as_encrypted(tmp_path: Path) -> None:
    reason = refusal(_encrypted_pdf(tmp_path / "locked.pdf", user_password="secret"))
    assert "encrypted" in reason


def test_a_pdf_encrypted_without_a_user_password_still_reads(tmp_path: Path) -> None:
    assert "12 drills" in ingest(_encrypted_pdf(tmp_path / "owner-only.pdf", user_password="")).text


# ----------------------------------------------------------------------------------------------------
# Text: UTF-16 without a byte-order mark; long runs without a sentence end
# ----------------------------------------------------------------------------------------------------

UTF16_TEXT = "深圳市应急管理局2023年工作总结\n一、全市组织应急演练12场次，检查企业一千家次。\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(UTF16_TEXT.encode(codec))  # 一 (U+4E00) puts a NUL on the "other" side too
    assert ingest(path).text == UTF16_TEXT.strip()


@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 64, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4, b"A\x00" * 100 + b"B"],
    ids=["all bytes", "png", "odd length"],
)
def test_binary_with_nul_bytes_is_still_binary(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(content)
    assert refusal(path).startswith("binary file")


def _ingest_within(path: Path, seconds: float) -> Document:
    start = time.perf_counter()
    document = ingest(path)
    assert time.perf_counter() - start < seconds
    return document


@pytest.mark.timeout(60)
def test_two_megabytes_without_a_sentence_end_ingest_within_seconds(tmp_path: Path) -> None:
    path = tmp_path / "run-on.txt"
    path.write_text("检查企业12家次，发现隐患3处，" * (2 * MB // 48), encoding="utf-8")
    assert len(_ingest_within(path, 5).text) > 600_000


@pytest.mark.timeout(60)
def test_a_megabyte_of_unclosed_quotes_ingests_within_seconds(tmp_path: Path) -> None:
    path = tmp_path / "quotes.txt"
    path.write_text("深圳市应急管理局" + "“" * (MB // 3), encoding="utf-8")
    assert _ingest_within(path, 5).text.count("“") == MB // 3


@pytest.mark.timeout(60)
def test_hard_wrapped_lines_without_a_sentence_end_join_in_linear_time(tmp_path: Path) -> None:
    """A PDF-like text of 200,000 full-width lines that never end a sentence: one line, joined in seconds."""
    path = tmp_path / "wrapped.txt"
    path.write_text("\n".join(["检查企业发现隐患排查"] * 200_000), encoding="utf-8")  # 20 columns each
    document = _ingest_within(path, 6)
    assert document.text.count("\n") == 0 and len(document.text) == 2_000_000
