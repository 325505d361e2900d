"""Where reports are read: the per-document step behind one small interface, so a run can read them in
this process, in a pool of local worker processes (the default), or on a Dask cluster.

Every executor yields `(path, result)` in the order of the paths given, so the database a run writes
does not depend on how many processes read it; a result is a document and its facts, or Quarantined.
"""

from __future__ import annotations

import multiprocessing
import os
import selectors
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Protocol

from etl.reader import ReportReader, Result
from etl.workers import Worker

EXECUTORS = ("local", "dask")
POLL_S = 0.05  # how often the pool looks at a report being read (its time and its memory)
LOOKAHEAD_PER_JOB = 32  # reports read ahead of the one the output waits for, per process: bounds memory
DASK_MISSING = "the dask executor needs the cluster extra: pip install 'emergency-indicators[cluster]'"


class Executor(Protocol):
    def map(self, paths: Iterable[Path]) -> Iterator[tuple[Path, Result]]:
        """Each path with what reading it gave, in the order given."""
        ...

    def close(self) -> None: ...


class InProcess:
    """Reads in this process, without a budget: for tools and tests, and where there is no fork."""

    def __init__(self, reader: ReportReader):
        self.reader = reader

    def map(self, paths: Iterable[Path]) -> Iterator[tuple[Path, Result]]:
        for path in paths:
            yield path, self.reader.result(path)

    def close(self) -> None:
        pass


class LocalPool:
    """`jobs` forked workers, each reading one report at a time within its budget (etl/workers.py), with
    the next one already sent to it.

    One thread dispatches: it waits on the busy workers' connections (one selector for the whole map,
    not one built per wait), polls their time and memory, and forks a fresh child where one was killed,
    sending it again the reports the killed one had not begun. Results come out in input order, at most
    LOOKAHEAD_PER_JOB × jobs reports ahead of the oldest one still being read.
    """

    def __init__(self, reader: ReportReader, jobs: int, budget_s: float, memory_mb: float):
        reader.warm()  # built once here, inherited by every child forked after
        self.workers = [Worker(reader, budget_s, memory_mb) for _ in range(max(1, jobs))]
        self.lookahead = LOOKAHEAD_PER_JOB * len(self.workers)

    def map(self, paths: Iterable[Path]) -> Iterator[tuple[Path, Result]]:
        tasks = _Tasks(enumerate(paths))
        done: dict[int, tuple[Path, Result]] = {}
        next_out = 0
        with selectors.DefaultSelector() as ready:
            try:
                while tasks.left() or self._busy():
                    self._dispatch(tasks, ready, len(done))
                    self._collect(ready, done, tasks)
                    while next_out in done:
                        yield done.pop(next_out)
                        next_out += 1
            finally:  # left early (an error, or the consumer stopped): no answer may be left in a pipe
                for worker in self.workers:
                    if worker.pending:
                        worker.stop()
                        worker.unstarted()

    def _busy(self) -> bool:
        return any(worker.pending for worker in self.workers)

    def _dispatch(self, tasks: _Tasks, ready: selectors.BaseSelector, answered: int) -> None:
        """Send reports to the workers, the idle ones first, then one more to each (Worker.DEPTH), while
        fewer than the lookahead are sent or answered and not yet given out."""
        in_flight = answered + sum(len(worker.pending) for worker in self.workers)
        for depth in range(Worker.DEPTH):
            for worker in self.workers:
                if len(worker.pending) != depth or in_flight >= self.lookahead:
                    continue
                task = tasks.next()
                if task is None:
                    return
                conn = worker.send(*task)
                in_flight += 1
                if depth == 0:
                    ready.register(conn.fileno(), selectors.EVENT_READ, worker)

    @staticmethod
    def _collect(ready: selectors.BaseSelector, done: dict[int, tuple[Path, Result]], tasks: _Tasks) -> None:
        """Take the answers that are ready, and refuse the reports over budget (their workers killed, the
        reports they had not begun sent again). A worker's connection is unregistered as soon as it has
        nothing pending or is closed, before a new child could be given the same descriptor number."""
        busy = [key.data for key in ready.get_map().values()]
        for key, _ in ready.select(timeout=POLL_S) if busy else ():
            index, path, result = key.data.answer()
            done[index] = (path, result)
            LocalPool._settle(key.data, key.fd, ready, tasks)
        for worker in busy:
            if worker.pending and worker.conn is not None and (refused := worker.over_budget()):
                fd = next(key.fd for key in ready.get_map().values() if key.data is worker)
                done[refused[0]] = refused[1:]
                LocalPool._settle(worker, fd, ready, tasks)

    @staticmethod
    def _settle(worker: Worker, fd: int, ready: selectors.BaseSelector, tasks: _Tasks) -> None:
        if worker.conn is None:  # its child ended: what it had not begun goes to another
            tasks.again(worker.unstarted())
        if not worker.pending:
            ready.unregister(fd)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


class _Tasks:
    """The reports to send, by index: first those sent again (a killed child had not begun them), oldest
    first, then the rest in order."""

    def __init__(self, todo: Iterator[tuple[int, Path]]):
        self._todo = todo
        self._again: list[tuple[int, Path]] = []
        self._exhausted = False

    def next(self) -> tuple[int, Path] | None:
        if self._again:
            return self._again.pop(0)
        task = None if self._exhausted else next(self._todo, None)
        self._exhausted = task is None
        return task

    def again(self, tasks: list[tuple[int, Path]]) -> None:
        self._again = sorted(self._again + tasks)

    def left(self) -> bool:
        """Whether any report may be left to send (known only once the paths run out)."""
        return bool(self._again) or not self._exhausted


class DaskExecutor:
    """Reads on a Dask cluster: the scheduler at `address`, or a local cluster of `jobs` processes.

    The workers must see the report paths (a shared filesystem, or the same machine). Dask has no
    per-task kill, so the per-report time and memory budgets are the cluster's own worker limits here.
    """

    def __init__(self, reader: ReportReader, jobs: int, address: str | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError(DASK_MISSING) from None
        self._cluster = None
        if address is None:
            self._cluster = LocalCluster(
                n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
            )
        self.client = Client(address or self._cluster)
        self._reader = self.client.scatter(reader, broadcast=True)
        self.lookahead = LOOKAHEAD_PER_JOB * max(1, jobs)

    def map(self, paths: Iterable[Path]) -> Iterator[tuple[Path, Result]]:
        paths = iter(paths)
        window = deque(self._submit(path) for path in islice(paths, self.lookahead))
        while window:
            path, future = window.popleft()
            yield path, future.result()
            window.extend(self._submit(path) for path in islice(paths, 1))

    def _submit(self, path: Path) -> tuple[Path, object]:
        return path, self.client.submit(ReportReader.result, self._reader, path, pure=False)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(
    reader: ReportReader,
    kind: str,
    jobs: int | None,
    budget_s: float | None,
    memory_mb: float,
    scheduler: str | None = None,
) -> Executor:
    """The executor a run asked for; `budget_s=None` or no fork means reading in this process."""
    jobs = jobs or os.cpu_count() or 1
    if kind == "dask":
        return DaskExecutor(reader, jobs, scheduler)
    if budget_s is None or not _can_fork():
        return InProcess(reader)
    return LocalPool(reader, jobs, budget_s, memory_mb)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
