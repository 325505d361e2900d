"""Reading one report: ingest, describe (with its folder's manifest row), extract and resolve.

Pure per document: the same file gives the same document and facts in any process, which is what lets
the executors (etl/executors.py) spread reports over processes or machines.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from etl.areas import AreaTable
from etl.catalog import Catalog
from etl.extract import extract_facts
from etl.ingest import ingest
from etl.load import QuarantineEntry
from etl.manifest import ManifestRow, read_manifest
from etl.metadata import describe
from etl.model import Document, Fact, Quarantined
from etl.places import Places
from etl.resolve import resolve
from etl.template_reader import read_template

Result = tuple[Document, list[Fact]] | Quarantined  # what reading one report gives
# A short report read once before workers are forked (ReportReader.warm): figures in the common units, a
# comparison, a table, so the rules, lookups and character tables built on first use are built once.
WARM_UP_TEXT = (
    "深圳市应急管理局2023年工作总结\n"
    "2023年，全市开展应急演练120场次，参与群众1.5万人次；检查企业3,500家次，整改隐患1200余处，"
    "同比下降5.3%。生产安全事故死亡3人，较上年减少2人。储备物资价值800万元，救援队伍51支、队员2744名，"
    "办理建议12件、提案8项，发布预警信息26条，培训4次。\n"
    "| 指标 | 数值 |\n| 应急避难场所 | 15个 |\n"
)


class ReportReader:
    """Reads report files into described documents and resolved facts, applying each folder's manifest.

    Manifests are read in full when the reader is made, so their errors are reported on every run, even
    one that reuses all its work.
    """

    def __init__(self, catalog: Catalog, areas: AreaTable, manifests: Iterable[Path] = ()):
        self.catalog = catalog
        self.areas = areas
        self.places = Places(areas)
        self.manifest_errors: list[QuarantineEntry] = []
        self._manifests: dict[Path, dict[str, ManifestRow]] = {}
        by_folder: dict[Path, list[Path]] = defaultdict(list)
        for manifest in manifests:
            by_folder[manifest.parent].append(manifest)
        for folder, found in sorted(by_folder.items()):
            self._read_manifest(folder, found)

    def read(self, path: Path, row: ManifestRow | None = None) -> tuple[Document, list[Fact]]:
        """The document at `path` (described with its manifest `row`) and all the facts it gives;
        raises Quarantined with the reason."""
        try:
            if (imported := read_template(path, self.catalog, self.areas)) is not None:  # CSV/XLSX figures
                return imported
            doc = replace(ingest(path), file_name=path.name, path=str(path))
            doc = describe(doc, self.areas, row)
            return doc, resolve(extract_facts(doc, self.catalog, self.places), self.catalog)
        except Quarantined:
            raise
        except Exception as error:  # one report must not stop the run: it is quarantined with the error
            message = " ".join(str(error).split())
            raise Quarantined(f"internal error: {type(error).__name__}: {message}") from error

    def warm(self) -> None:
        """Read a built-in short report once, so that what reading builds on first use (the catalog's
        compiled rules, per-unit lookups, character tables: ~0.1 s) is built here, before workers are
        forked, and not again in each of them."""
        with tempfile.TemporaryDirectory(prefix="etl-warm-up-") as folder:
            path = Path(folder) / "warm-up.txt"
            path.write_text(WARM_UP_TEXT, encoding="utf-8")
            self.result(path)

    def result(self, path: Path) -> Result:
        """What reading `path` (with its manifest row) gives: the document and facts, or the refusal."""
        try:
            return self.read(path, self.manifest_row(path))
        except Quarantined as refused:
            return refused

    def manifest_row(self, path: Path) -> ManifestRow | None:
        """The row of the manifest beside `path` that names it."""
        return self._manifests.get(path.parent, {}).get(path.name)

    def _read_manifest(self, folder: Path, found: list[Path]) -> None:
        rows, errors = read_manifest(folder, self.areas, found)
        for error in errors:
            manifest = next(p for p in found if error.startswith(f"{p}: "))
            self.manifest_errors.append(
                QuarantineEntry(manifest.name, str(manifest), error.removeprefix(f"{manifest}: "))
            )
        self._manifests[folder] = rows
