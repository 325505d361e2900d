"""Which reports a run must read, and what becomes of the documents the previous database holds.

A report found at the path a stored document was read from, with the same size and mtime, is that
document: it is not even hashed (unless its mtime is too close to the previous run's scan to tell an edit
made in the same clock tick apart). Any other report is hashed: content already stored is reused (moved,
if it was renamed), content seen earlier in this run is loaded once, and new content is read. When no
stored work can be reused, nothing is hashed before reading: every report is read, and the document read
(whose id is the digest of the bytes the reader read anyway) tells copies apart. At the end, stored
documents no report gave are deleted, except those found at a path this run refused: a report loaded
before and unreadable now keeps its old document and facts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.load import Location
from etl.model import Quarantined
from etl.scan import file_sha256

RACY_NS = 2_000_000_000  # mtime granularity we allow for (2 s: FAT); closer to the scan, a file is hashed
SCAN_META_KEY = "scan_started_ns"  # meta: when the run that stored the sizes and mtimes began to look


def scan_started_meta() -> dict[str, str]:
    """This run's meta entry for the next run's stat check."""
    return {SCAN_META_KEY: str(time.time_ns())}


@dataclass
class Plan:
    """The run's view of its reports against the stored documents (`locations`, by id).

    `reusable`: the stored documents' work can be kept (same code, catalog, reference data and manifests);
    else every report is read again, and only documents kept on refusal come over from the old database.
    """

    locations: dict[str, Location]
    reusable: bool
    previous_meta: dict[str, str] = field(default_factory=dict)
    first_path: dict[str, Path] = field(default_factory=dict)  # doc id -> the path it was loaded from
    stats: dict[str, Location] = field(default_factory=dict)  # path -> the file's size and mtime now
    present: set[str] = field(default_factory=set)  # doc ids loaded in this run (reused or read)
    refused: list[Path] = field(default_factory=list)  # files and folders refused in this run
    moved: list[dict] = field(default_factory=list)  # stored documents found at another path or stat
    reused: int = 0

    def __post_init__(self) -> None:
        self._notes: list[tuple[Path, str]] = []
        self._stored_at = (
            {loc.path: doc_id for doc_id, loc in self.locations.items()} if self.reusable else {}
        )
        started = int(self.previous_meta.get(SCAN_META_KEY, 0))
        self._trusted_before_ns = started - RACY_NS

    def to_read(
        self, reports: Iterable[Path], on_done: Callable[[Path, Quarantined | None], None]
    ) -> Iterator[Path]:
        """The reports whose content must be read, in order; each other report is settled on the way
        (reused, or loaded once) and handed to `on_done` with None, or with why it is refused.

        A copy of content still being read (or not hashed: nothing stored to reuse) is read too: whether
        it is loaded once or read in its own right depends on whether the first copy loads (`accept`,
        `refuse`), as if the copies were read in turn."""
        for path in reports:
            try:
                doc_id = self._identify(path)
            except Quarantined as refused:
                self.refused.append(path)
                on_done(path, refused)
                continue
            if doc_id is None:  # nothing stored to match: reading it says what it is
                yield path
                continue
            if doc_id in self.first_path:
                self._note_copy(path, doc_id)
            elif self.reusable and doc_id in self.locations:
                self.first_path[doc_id] = path
                self._reuse(doc_id, path)
            else:
                yield path
                continue
            on_done(path, None)

    def accept(self, path: Path, doc_id: str) -> bool:
        """Whether the document read at `path` is loaded: not when a copy of it already was."""
        if doc_id in self.first_path:
            self._note_copy(path, doc_id)
            return False
        self.first_path[doc_id] = path
        self.present.add(doc_id)
        return True

    def refuse(self, path: Path, refused: Quarantined) -> Quarantined | None:
        """Why the report read at `path` is refused, or None when its content was loaded from another path
        (a copy, loaded once, as if the copies were read in turn). A file that cannot be hashed is refused
        as the hash found it."""
        try:
            doc_id = file_sha256(path)
        except OSError as error:
            refused = Quarantined(f"cannot read the file: {error.strerror}")
        else:
            if doc_id in self.first_path:
                self._note_copy(path, doc_id)
                return None
        self.refused.append(path)
        return refused

    def _note_copy(self, path: Path, doc_id: str) -> None:
        self._notes.append((path, f"{path}: same content as {self.first_path[doc_id]}, loaded once"))

    @property
    def notes(self) -> list[str]:
        """One note per copy loaded once, in the order of the reports."""
        return [note for _, note in sorted(self._notes)]

    def _identify(self, path: Path) -> str | None:
        """The report's document id: the stored one when its path, size and mtime match, else its hash;
        None when no stored work can be reused (the reader, which reads the bytes anyway, gives it)."""
        try:
            info = path.stat()
        except OSError as error:
            raise Quarantined(f"cannot read the file: {error.strerror}") from error
        now = self.stats[str(path)] = Location(str(path), info.st_size, info.st_mtime_ns)
        if not self.reusable:
            return None
        stored_id = self._stored_at.get(str(path))
        if stored_id and self.locations[stored_id] == now and now.mtime_ns < self._trusted_before_ns:
            return stored_id
        try:
            return file_sha256(path)
        except OSError as error:
            raise Quarantined(f"cannot read the file: {error.strerror}") from error

    def _reuse(self, doc_id: str, path: Path) -> None:
        self.present.add(doc_id)
        self.reused += 1
        now = self.stats[str(path)]
        if self.locations[doc_id] != now:
            self.moved.append(
                {
                    "id": doc_id,
                    "file_name": path.name,
                    "path": now.path,
                    "size": now.size,
                    "mtime_ns": now.mtime_ns,
                }
            )

    def moved_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.moved, columns=["id", "file_name", "path", "size", "mtime_ns"])

    def kept(self) -> list[str]:
        """Stored documents no report gave in this run, found before at a path now refused: kept."""
        return sorted(
            doc_id
            for doc_id, loc in self.locations.items()
            if doc_id not in self.present and any(Path(loc.path).is_relative_to(r) for r in self.refused)
        )

    def gone(self) -> list[str]:
        """Stored documents to delete: no report gave them and none is kept (a rebuild starts empty)."""
        if not self.reusable:
            return []
        kept = set(self.kept())
        return sorted(d for d in self.locations if d not in self.present and d not in kept)
