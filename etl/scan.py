"""What is under the report folders: reports and manifests, and every file or folder the walk cannot read,
follow or resolve (each with its one-line reason), plus the digests that identify files.

Nothing unreadable is skipped without an entry; a symbolic link is followed only to a file inside the
folders given.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from etl.load import QuarantineEntry
from etl.manifest import is_manifest, manifests_in


@dataclass
class Scan:
    """What is under the report folders: reports and manifests (absolute, sorted), the files and folders
    that could not be read, followed or resolved, each with its reason, and notes."""

    reports: list[Path] = field(default_factory=list)
    manifests: list[Path] = field(default_factory=list)
    refused: list[QuarantineEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def refuse(self, path: Path, reason: str) -> None:
        self.refused.append(QuarantineEntry(path.name, str(path), reason))

    def add(self, path: Path) -> None:
        (self.manifests if is_manifest(path) else self.reports).append(path)


def scan(paths: Iterable[Path]) -> Scan:
    """Everything under `paths` (folders, recursively, or single files); names starting with a dot are
    ignored. A symbolic link is followed only to a file inside one of the folders given: a link out of
    them is refused (a report folder must not read any file on the host), and a link to a folder is not
    entered (its reports are read where they are). Nothing unreadable is skipped without an entry."""
    given = [Path(p).absolute() for p in paths]
    roots = tuple(p.resolve() for p in given if p.is_dir())
    found = Scan()
    for root in given:
        if root.is_dir():
            _scan_folder(root, roots, found)
        else:
            found.add(root)  # named on the command line: the user chose it, link or not
            for manifest in manifests_in(root.parent):
                _scan_entry(manifest, (root.parent.resolve(),), found)
    found.reports = sorted(set(found.reports))
    found.manifests = sorted(set(found.manifests))
    return found


def _scan_folder(folder: Path, roots: tuple[Path, ...], found: Scan) -> None:
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as error:
        found.refuse(folder, f"cannot read the folder: {error.strerror}; its reports were not read")
        return
    for name in names:
        if not name.startswith("."):
            _scan_entry(folder / name, roots, found)


def _scan_entry(path: Path, roots: tuple[Path, ...], found: Scan) -> None:
    try:
        mode = path.lstat().st_mode
    except OSError as error:  # gone since the folder was listed, or cannot be looked at
        found.refuse(path, f"cannot read the file: {error.strerror}")
        return
    if stat.S_ISLNK(mode):
        _scan_link(path, roots, found)
    elif stat.S_ISDIR(mode):
        _scan_folder(path, roots, found)
    elif stat.S_ISREG(mode):
        found.add(path)
    else:
        found.refuse(path, "not a regular file (a pipe, socket or device): not read")


def _scan_link(path: Path, roots: tuple[Path, ...], found: Scan) -> None:
    try:
        mode = path.stat().st_mode
    except OSError as error:
        found.refuse(path, _link_problem(error))
        return
    target = Path(os.path.realpath(path))
    if not any(target.is_relative_to(root) for root in roots):
        found.refuse(path, "symbolic link pointing outside the reports folder: refused, not read")
    elif stat.S_ISDIR(mode):
        found.notes.append(f"{path}: a link to the folder {target}; its reports are read there")
    elif stat.S_ISREG(mode):
        found.add(path)
    else:
        found.refuse(path, "symbolic link to something that is not a regular file: not read")


def _link_problem(error: OSError) -> str:
    """The one-line reason a symbolic link cannot be followed."""
    if error.errno == errno.ENOENT:
        return "dangling symbolic link: its target does not exist"
    if error.errno == errno.ELOOP:
        return "symbolic link loop: it never reaches a file"
    return f"cannot follow the symbolic link: {error.strerror}"


def walk(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(reports, manifests) under `paths`, as `scan` finds them."""
    found = scan(paths)
    return found.reports, found.manifests


def has_reports(reports: list[Path], folder: Path) -> bool:
    return any(report.is_relative_to(folder.absolute()) for report in reports)


def file_sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes: a document's identity."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def files_sha256(paths: list[Path]) -> str:
    """One digest over files that change what a report's text means (manifests, the area table)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path}\0{file_sha256(path)}\0".encode())
    return digest.hexdigest()
