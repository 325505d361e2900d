"""`python -m etl run|extract|load-parquet`: parses arguments, calls etl.pipeline or etl.parquet, prints;
nothing else.

Exit status of `run` and `extract --parquet`: 0 all loaded (written), 3 finished with quarantined inputs,
1 the run failed (the database is unchanged), 2 usage. `extract`: 0 when it ran, 2 usage. `load-parquet`:
as `run` (3: the parts list quarantined inputs).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from etl import parquet, pipeline
from etl.executors import DASK_MISSING, EXECUTORS

EXIT_FAILED = 1
DEFAULT_REPORTS = Path("data/reports")
DEFAULT_UPLOADS = Path("data/uploads")  # the review desk's uploads: read beside the reports by a default run
DEFAULT_DB = Path("data/emergency.duckdb")
BAR_WIDTH = 30
PROGRESS_EVERY = 500  # without a terminal: a progress line every this many reports ...
PROGRESS_INTERVAL_S = 15.0  # ... or this many seconds, whichever comes first
PROGRESS_MIN_REPORTS = 100  # a smaller run is over in seconds: no lines (a script reading stderr sees none)
# Characters that could forge a line or drive the terminal when a file name is printed: C0 and C1
# controls (newline, ESC, CSI) and the Unicode line and paragraph separators.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="Read emergency-management bureau reports into a DuckDB of indicators.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="build the database from every report under the folders",
        description="Build the database from every report under the folders (recursively; hidden files and "
        "folders ignored; a manifest.csv applies to its folder). Exit 0 all loaded, 3 some inputs "
        "quarantined, 1 the run failed and the database is unchanged, 2 usage error.",
    )
    run.add_argument(
        "--reports",
        nargs="+",
        type=Path,
        metavar="DIR",
        help=f"report folders, read recursively (default: {DEFAULT_REPORTS}, and {DEFAULT_UPLOADS})",
    )
    run.add_argument(
        "--uploads",
        type=Path,
        metavar="DIR",
        help="the review desk's uploads, read beside the reports when the folder exists (default: "
        f"{DEFAULT_UPLOADS} when no --reports is given, else none)",
    )
    run.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"database to build or replace (default: {DEFAULT_DB})"
    )
    run.add_argument(
        "--catalog", type=Path, help="indicator catalog YAML (default: the bundled etl/catalog.yaml)"
    )
    add_executor_options(run)
    extract = commands.add_parser(
        "extract",
        help="print the facts of reports as JSON lines, writing nothing",
        description="Print, document by document, the facts each report gives as its area's values, one JSON "
        "object a line. Quarantined inputs are reported on stderr. Exit 0 when it ran, 2 usage error.",
    )
    extract.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="report files or folders (recursively)"
    )
    extract.add_argument(
        "--all",
        action="store_true",
        dest="include_all",
        help='also narrower-scope facts and derived values (marked "scope" / "derived")',
    )
    extract.add_argument(
        "--catalog", type=Path, help="indicator catalog YAML (default: the bundled etl/catalog.yaml)"
    )
    extract.add_argument(
        "--parquet",
        type=Path,
        metavar="OUT_DIR",
        help="instead of JSON lines, write every fact `run` would load, with the documents and quarantine, "
        "as Parquet parts in this new or empty folder (for load-parquet)",
    )
    add_executor_options(extract)
    load = commands.add_parser(
        "load-parquet",
        help="build the database from the Parquet parts of `extract --parquet`",
        description="Build the database from one or more folders of Parquet parts written by `extract "
        "--parquet` (by this code and catalog), as `run` over the same reports would; a document found in "
        "several folders is loaded once. Exit 0 loaded, 3 loaded and the parts list quarantined inputs, "
        "1 failed and the database is unchanged, 2 usage.",
    )
    load.add_argument("dirs", nargs="+", type=Path, metavar="DIR", help="folders of Parquet parts")
    load.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"database to build or replace (default: {DEFAULT_DB})"
    )
    load.add_argument(
        "--catalog", type=Path, help="indicator catalog YAML the parts were made with (default: the bundled)"
    )
    return parser


def add_executor_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--jobs",
        type=positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="reports read at once, each in its own process (default: the number of cores)",
    )
    command.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="local: worker processes on this machine (default); dask: a Dask cluster (the cluster extra)",
    )
    command.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: the scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)",
    )


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def run_options(args: argparse.Namespace) -> pipeline.RunOptions:
    return pipeline.RunOptions(executor=args.executor, jobs=args.jobs, scheduler=args.scheduler)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "run":
        args.reports = run_folders(args.reports, args.uploads)
    check_usage(parser, args)
    commands = {"run": run_command, "extract": extract_command, "load-parquet": load_parquet_command}
    try:
        return commands[args.command](args)
    except BrokenPipeError:  # the reader of stdout (`| head`) has had enough: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def run_folders(reports: list[Path] | None, uploads: Path | None) -> list[Path]:
    """The folders `run` reads: the reports given (default data/reports) and the uploads folder if it
    exists (one named by --uploads; data/uploads for a run given no --reports, as `make etl` runs)."""
    if reports is None and uploads is None:
        uploads = DEFAULT_UPLOADS
    folders = list(reports or [DEFAULT_REPORTS])
    if uploads is not None and uploads.is_dir() and uploads not in folders:
        folders.append(uploads)
    return folders


def check_usage(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Exit 2 with a usage line for what argparse cannot check alone."""
    given = {"run": "reports", "extract": "paths", "load-parquet": "dirs"}[args.command]
    missing = [str(p) for p in getattr(args, given) if not p.exists()]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    if args.catalog and not args.catalog.is_file():
        parser.error(f"no such catalog: {args.catalog}")
    if args.command == "load-parquet":
        return
    if args.command == "extract" and args.parquet and args.include_all:
        parser.error("--all goes without --parquet (Parquet parts hold every fact)")
    if args.scheduler and args.executor != "dask":
        parser.error("--scheduler needs --executor dask")
    if args.executor == "dask" and importlib.util.find_spec("distributed") is None:
        parser.error(DASK_MISSING)


def run_command(args: argparse.Namespace) -> int:
    return _summarised(
        lambda progress: pipeline.run(
            args.reports, args.db, args.catalog, progress, options=run_options(args)
        )
    )


def extract_parquet_command(args: argparse.Namespace) -> int:
    return _summarised(
        lambda progress: parquet.extract_parquet(
            args.paths, args.parquet, args.catalog, progress, options=run_options(args)
        ),
        where="parts",
    )


def load_parquet_command(args: argparse.Namespace) -> int:
    return _summarised(lambda _progress: parquet.load_parquet(args.dirs, args.db, args.catalog))


def _summarised(work: Callable[[pipeline.Progress], pipeline.RunSummary], where: str = "database") -> int:
    """Do `work` with a progress display, then print its summary; a failure is one line and exit 1."""
    progress = ProgressBar(sys.stderr) if sys.stderr.isatty() else ProgressLines(sys.stderr)
    try:
        summary = work(progress)
    except Exception as error:  # the CLI's last line of defence: one line, and the database is unchanged
        print("error: " + printable(" ".join(str(error).split())), file=sys.stderr)
        return EXIT_FAILED
    finally:
        progress.close()
    print(format_summary(summary, where))
    return summary.exit_code


def extract_command(args: argparse.Namespace) -> int:
    if args.parquet:
        return extract_parquet_command(args)
    found = pipeline.extract_paths(args.paths, args.catalog, args.include_all, options=run_options(args))
    for _doc, facts, refused in found:
        if refused:
            print(f"quarantined: {printable(refused.path)}: {printable(refused.reason)}", file=sys.stderr)
            continue
        for fact in facts:
            print(json_line(fact.to_json()))
        sys.stdout.flush()
    return 0


def format_summary(summary: pipeline.RunSummary, where: str = "database") -> str:
    """The run's summary table: documents, facts per indicator, quarantined files with reasons; `where`
    names what it wrote (the database, or Parquet parts)."""
    lines = [
        f"{where}: {printable(str(summary.db_path))}",
        _documents_line(summary),
        *(f"warning: {printable(warning)}" for warning in summary.warnings),
        *(f"note: {printable(note)}" for note in summary.notes),
        *_review_lines(summary),
        "",
        *_table(("indicator", "facts"), summary.facts_per_indicator.items()),
        "",
        f"quarantined: {len(summary.quarantined)}",
        *_table(("file", "reason"), ((q.path, q.reason) for q in summary.quarantined)),
    ]
    return "\n".join(lines)


def _documents_line(summary: pipeline.RunSummary) -> str:
    if summary.parts is not None:
        return f"documents: {summary.documents} loaded from {summary.parts} Parquet parts"
    return (
        f"documents: {summary.files_read} files read, {summary.documents} loaded "
        f"({summary.extracted} extracted, {summary.reused} reused, {summary.kept} kept from before)"
    )


def _review_lines(summary: pipeline.RunSummary) -> list[str]:
    """How many review decisions found nothing to apply to in this build, and why (none: no line)."""
    total = sum(summary.review_orphans.values())
    if not total:
        return []
    reasons = "; ".join(f"{n} {printable(reason)}" for reason, n in summary.review_orphans.items())
    decisions = "1 decision needs" if total == 1 else f"{total} decisions need"
    return [f"review: {decisions} re-review ({reasons})"]


def printable(text: str) -> str:
    """`text` with its control characters escaped (`\\n`, `\\x1b`, `\\u2028`): a file name holding a
    newline or a terminal escape must not forge a summary row or repaint the terminal."""
    return CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in SHORT_ESCAPES:
        return SHORT_ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def json_line(record: dict) -> str:
    """One JSON object on one line; C1 controls and U+2028/9 (which JSON allows raw) as \\u escapes."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(record, ensure_ascii=False))


def _table(header: tuple[str, str], rows) -> list[str]:
    """Two left-aligned columns (no rows: nothing)."""
    rows = [(printable(str(a)), printable(str(b))) for a, b in rows]
    if not rows:
        return []
    width = max(len(a) for a, _ in [header, *rows])
    return [f"  {a:<{width}}  {b}" for a, b in [header, *rows]]


class ProgressBar:
    """`[#####.....] 3/5 file.txt` redrawn on one line of a terminal."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def __call__(self, done: int, total: int, name: str) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {printable(name)}"
        self.stream.write(f"\r\033[K{bar}")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


class ProgressLines:
    """Without a terminal (a log, CI): `progress: 500/6000 reports, 12 s` every PROGRESS_EVERY reports or
    PROGRESS_INTERVAL_S seconds, so a long run shows it is alive without flooding the log (and a run of
    fewer than PROGRESS_MIN_REPORTS, none)."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.started = self.last = time.monotonic()

    def __call__(self, done: int, total: int, _name: str) -> None:
        now = time.monotonic()
        if total < PROGRESS_MIN_REPORTS:
            return
        if done % PROGRESS_EVERY == 0 or now - self.last >= PROGRESS_INTERVAL_S:
            self.last = now
            print(
                f"progress: {done}/{total} reports, {now - self.started:.0f} s", file=self.stream, flush=True
            )

    def close(self) -> None:
        pass
