"""The ETL run the review desk starts (`python -m etl run` over the report folders and the uploads, into
the dashboard's database) in the background: one at a time, even across server processes (an exclusive
lock on a file beside the database, held by the run itself), its state and output in files the page
polls. The dashboard's own reads of the database stay read-only: the ETL swaps the new file in."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

REPORTS_ENV = "DASHBOARD_REPORTS"  # the report folders (os.pathsep between them) the dashboard's runs read
DEFAULT_REPORTS = (Path("data/reports"),)
LOG_TAIL_CHARS = 1500


def report_dirs() -> list[Path]:
    """The report folders a run reads beside the uploads: DASHBOARD_REPORTS, else data/reports (as
    `make etl`, so documents keep the paths decisions are keyed by)."""
    given = os.environ.get(REPORTS_ENV)
    dirs = [Path(part) for part in given.split(os.pathsep) if part] if given else list(DEFAULT_REPORTS)
    return [d for d in dirs if d.is_dir()]


class EtlRuns:
    """Start and watch the ETL runs of one database."""

    def __init__(self, db_path: Path, uploads: Path) -> None:
        self.db_path, self.uploads = Path(db_path), Path(uploads)
        folder = self.db_path.parent
        self.lock_path, self.state_path = folder / ".review-etl.lock", folder / ".review-etl.json"
        self.log_path = folder / ".review-etl.log"

    def running(self) -> bool:
        """Whether a run holds the lock (in this process or another)."""
        with open(self.lock_path, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(lock, fcntl.LOCK_UN)
            return False

    def start(self) -> bool:
        """Start a run unless one is running; False when one was. The run inherits the lock, so it stays
        taken while the ETL runs even if this server stops."""
        self.uploads.mkdir(parents=True, exist_ok=True)
        lock = open(self.lock_path, "a")  # noqa: SIM115 (the waiting thread closes it)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            return False
        reports = report_dirs()
        command = [
            sys.executable,
            "-m",
            "etl",
            "run",
            *(["--reports", *map(str, reports)] if reports else []),
        ]
        with open(self.log_path, "wb") as log:
            process = subprocess.Popen(
                [*command, "--uploads", str(self.uploads), "--db", str(self.db_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                pass_fds=(lock.fileno(),),
            )
        self._write_state({"started": time.time(), "pid": process.pid})
        threading.Thread(target=self._wait, args=(process, lock), daemon=True).start()
        return True

    def _wait(self, process: subprocess.Popen, lock) -> None:
        returncode = process.wait()
        self._write_state({**self.state(), "finished": time.time(), "returncode": returncode})
        lock.close()

    def _write_state(self, state: dict) -> None:
        draft = self.state_path.with_suffix(f".{os.getpid()}.tmp")
        draft.write_text(json.dumps(state))
        os.replace(draft, self.state_path)

    def state(self) -> dict:
        """The last run: started, finished, returncode (the ETL's: 0 all loaded, 3 some files quarantined,
        1 failed), and the tail of its output; {} before any."""
        try:
            state = json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def output_tail(self) -> str:
        try:
            text = self.log_path.read_bytes()[-LOG_TAIL_CHARS * 4 :].decode("utf-8", errors="replace")
        except OSError:
            return ""
        return text[-LOG_TAIL_CHARS:]
