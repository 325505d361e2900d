"""A forked child process that reads one report at a time within a time and a memory budget.

Why a process, not a thread or SIGALRM: a child can be killed at any point, even inside C code (a regex,
zlib, a parser) that a signal handler only reaches when it returns, and nothing it half-built (a cache,
an open file) survives into the next report, which gets a fresh child. It is forked, so it starts in
milliseconds with the catalog and area table already loaded, and it hands back the very records the main
process would have built: the run's output is the same. The pool (etl/executors.py) drives several.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import warnings
from collections import deque
from pathlib import Path

from etl.model import Quarantined
from etl.reader import ReportReader, Result

MEMORY_CHECK_S = 0.1  # how often a busy child's resident memory is read (/proc costs a little each time)
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
STATM_BYTES = 128  # statm is seven numbers on one line


class Worker:
    """One child reading reports in the order they are sent: `send` hands it a report (up to DEPTH ahead, so
    the child goes on to the next one as soon as it answers, without waiting for the parent to read the
    answer and send another), `answer` takes the oldest report's result once the connection is ready, and
    `over_budget` kills the child (and says why) when the report it is reading takes more than `budget_s`
    seconds of wall time or grows the child's resident memory by more than `memory_mb` megabytes (read from
    /proc where there is one). The reports sent but not begun when a child ends are `unstarted`: the pool
    sends them again, to a fresh child."""

    DEPTH = 2  # reports sent to a child at a time: the one it reads, and the next one waiting in its pipe

    def __init__(self, reader: ReportReader, budget_s: float, memory_mb: float):
        self.reader = reader
        self.budget_s = budget_s
        self.memory_mb = memory_mb
        self.conn: multiprocessing.connection.Connection | None = None
        self.pending: deque[tuple[int, Path]] = deque()  # (index, path) sent, oldest (being read) first
        self._process: multiprocessing.process.BaseProcess | None = None
        self._deadline = self._next_memory_check = 0.0
        self._start_mb: float | None = None
        self._statm: int | None = None  # the child's /proc statm, open for its life (None: no /proc)

    def send(self, index: int, path: Path) -> multiprocessing.connection.Connection:
        """Hand report `index` at `path` to the child (forking one if there is none); the connection to
        wait on. Its budget starts now if the child has nothing else to read, else when the report before
        it is answered."""
        conn = self._connection()
        if not self.pending:
            self._begin()
        self.pending.append((index, path))
        conn.send((path, self.reader.manifest_row(path)))
        return conn

    def _begin(self) -> None:
        """The budget of the report the child reads now (the oldest one pending)."""
        self._start_mb = self.resident_mb()
        self._deadline = time.monotonic() + self.budget_s
        self._next_memory_check = time.monotonic() + MEMORY_CHECK_S

    def answer(self) -> tuple[int, Path, Result]:
        """The oldest pending report with the child's result for it; a child that died is a refusal, and
        so is an answer that came after the time budget (between two polls: the budget holds however soon
        the pool looks)."""
        assert self.conn is not None and self.pending
        index, path = self.pending.popleft()
        try:
            status, *result = self.conn.recv()
        except (EOFError, OSError):
            code = self._exit_code()
            self.stop()
            return (
                index,
                path,
                Quarantined(f"the reading process ended while reading it (exit status {code})"),
            )
        late = time.monotonic() > self._deadline
        if self.pending:
            self._begin()
        if late:
            return index, path, self._over_time()
        return index, path, Quarantined(result[0]) if status == "refused" else (result[0], result[1])

    def over_budget(self) -> tuple[int, Path, Quarantined] | None:
        """The report being read, and why it is refused, when it has gone over its memory or time budget
        (the child is then killed); else None."""
        now = time.monotonic()
        if now >= self._next_memory_check and self._start_mb is not None:
            self._next_memory_check = now + MEMORY_CHECK_S
            grown = (self.resident_mb() or 0.0) - self._start_mb
        else:
            grown = 0.0
        if grown > self.memory_mb:
            refused = Quarantined(f"over the memory budget: reading it took more than {self.memory_mb:g} MB")
        elif now > self._deadline:
            refused = self._over_time()
        else:
            return None
        index, path = self.pending.popleft()
        self.stop()
        return index, path, refused

    def unstarted(self) -> list[tuple[int, Path]]:
        """The reports sent to a child that has ended, none of them begun: to be sent again."""
        assert self.conn is None
        left, self.pending = list(self.pending), deque()
        return left

    def _over_time(self) -> Quarantined:
        return Quarantined(f"over the time budget: not read and extracted within {self.budget_s:g} s")

    def resident_mb(self) -> float | None:
        """The child's resident memory in MB (None where /proc does not tell): statm, the cheapest read,
        read again through the descriptor opened at fork (a tenth of the cost of opening it each time)."""
        try:
            fields = os.pread(self._statm, STATM_BYTES, 0).split() if self._statm is not None else []
        except OSError:
            return None
        return int(fields[1]) * PAGE_BYTES / 2**20 if len(fields) > 1 else None

    def stop(self) -> None:
        """End the child (killed: it may be stuck in C code) and forget it; the next `send` forks anew."""
        if self.conn is not None:
            self.conn.close()
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._statm is not None:
            os.close(self._statm)
        self._process = self.conn = self._statm = None

    def _connection(self) -> multiprocessing.connection.Connection:
        if self.conn is None:
            context = multiprocessing.get_context("fork")
            ours, theirs = context.Pipe()
            self._process = context.Process(target=_serve, args=(theirs, ours, self.reader), daemon=True)
            with warnings.catch_warnings():  # 3.12+ warns of forking with threads: the child uses none
                warnings.simplefilter("ignore", DeprecationWarning)
                self._process.start()
            theirs.close()
            self.conn = ours
            self._statm = _open_statm(self._process.pid)
        return self.conn

    def _exit_code(self) -> int | None:
        assert self._process is not None
        self._process.join(timeout=1)
        return self._process.exitcode


def _open_statm(pid: int) -> int | None:
    try:
        return os.open(f"/proc/{pid}/statm", os.O_RDONLY)
    except OSError:
        return None


def _serve(
    conn: multiprocessing.connection.Connection,
    parent_end: multiprocessing.connection.Connection,
    reader: ReportReader,
) -> None:
    """The worker's loop: (path, row) in, ("ok", doc, facts) or ("refused", reason) out, until EOF."""
    parent_end.close()  # else the parent's death would never reach this end as EOF
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it kills us
    while True:
        try:
            path, row = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", *reader.read(path, row)))
        except Quarantined as refused:
            conn.send(("refused", refused.reason))
