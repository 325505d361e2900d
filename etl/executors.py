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
    """`jobs` forked workers, each reading one report at a time within its budget (etl/workers.py).

    One thread dispatches: it waits on the busy workers' connections (one selector for the whole map,
    not one built per wait), polls their time and memory, and forks a fresh child where one was killed.
    Results come out in input order, at most LOOKAHEAD_PER_JOB × jobs reports ahead of the oldest one
    still being read.
    """

    def __init__(self, reader: ReportReader, jobs: int, budget_s: float, memory_mb: float):
        reader.warm()  # built once here, inherited by every child forked after
        self.workers = [Worker(reader, budget_s, memory_mb) for _ in range(max(1, jobs))]
        self.lookahead = LOOKAHEAD_PER_JOB * len(self.workers)

    def map(self, paths: Iterable[Path]) -> Iterator[tuple[Path, Result]]:
        todo = enumerate(paths)
        idle = list(reversed(self.workers))
        busy: dict[int, tuple[Worker, int, Path]] = {}  # by connection descriptor
        done: dict[int, tuple[Path, Result]] = {}
        next_out, exhausted = 0, False
        with selectors.DefaultSelector() as ready:
            try:
                while busy or not exhausted:
                    while idle and not exhausted and len(done) + len(busy) < self.lookahead:
                        task = next(todo, None)
                        if task is None:
                            exhausted = True
                            break
                        worker = idle.pop()
                        conn = worker.start(task[1])
                        busy[conn.fileno()] = (worker, *task)
                        ready.register(conn.fileno(), selectors.EVENT_READ)
                    self._collect(ready, busy, done, idle)
                    while next_out in done:
                        yield done.pop(next_out)
                        next_out += 1
            finally:  # left early (an error, or the consumer stopped): no answer may be left in a pipe
                for worker, _, _ in busy.values():
                    worker.stop()

    @staticmethod
    def _collect(
        ready: selectors.BaseSelector,
        busy: dict[int, tuple[Worker, int, Path]],
        done: dict[int, tuple[Path, Result]],
        idle: list[Worker],
    ) -> None:
        """Take the answers that are ready, and refuse the reports over budget (their workers killed).
        Busy workers are keyed by their connection's descriptor, unregistered as soon as it is answered or
        killed, before a new child could be given the same number."""
        for key, _ in ready.select(timeout=POLL_S) if busy else ():
            ready.unregister(key.fd)
            worker, index, path = busy.pop(key.fd)
            done[index] = (path, worker.answer())
            idle.append(worker)
        for fd, (worker, index, path) in list(busy.items()):
            if refused := worker.over_budget():
                ready.unregister(fd)
                del busy[fd]
                done[index] = (path, refused)
                idle.append(worker)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


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
