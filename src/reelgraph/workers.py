"""Worker processes for batch ingestion that never outlive the process that started them.

Each worker asks the kernel for SIGKILL when its parent dies (PR_SET_PDEATHSIG, Linux) and
runs a watchdog thread that exits once the ingesting process is gone (any POSIX system; this
also covers the forkserver being the worker's direct parent). The ingesting process turns
SIGTERM into KeyboardInterrupt while the pool runs, so that SIGTERM, SIGINT and errors all end
in the same place: the pool's workers are terminated and nothing unwritten is kept. Writes
happen in the ingesting process only, one transaction per document, so a killed run leaves no
partial document.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
PR_SET_PDEATHSIG = 1
WATCH_INTERVAL_S = 0.5


def die_with_parent(ingest_pid: int) -> None:
    """In a worker: be killed when the parent dies, and exit when `ingest_pid` is gone."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog below still applies
    if os.getppid() == 1:  # already orphaned before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL_S)
            try:
                os.kill(ingest_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass  # alive, owned by someone else (pid reuse is not our concern here)

    threading.Thread(target=watch, name="reelgraph-watchdog", daemon=True).start()


def init_worker(ingest_pid: int) -> None:
    """Pool initializer: tie the worker's life to the ingesting process, then load the models once."""
    die_with_parent(ingest_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means
    from .analyse import load_nlp
    from .catalog import Catalog

    load_nlp()
    Catalog.load()


def _context():
    if "forkserver" in multiprocessing.get_all_start_methods():  # workers fork from a clean server process
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["reelgraph.analyse", "reelgraph.extract"])  # import spaCy there once
        return context
    return multiprocessing.get_context("spawn")


def on_processes(fn: Callable[[T], R], batches: Iterator[T], workers: int, in_flight: int) -> Iterator[R]:
    """fn over batches in worker processes; results in submission order, at most `in_flight`
    batches per worker queued. On any exit (error, interrupt, SIGTERM, generator closed) the
    workers are terminated."""
    first = next(batches, None)
    if first is None:  # nothing new: start no workers
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=init_worker,
                               initargs=(os.getpid(),))
    with terminate_as_interrupt():
        pending: deque[Future[R]] = deque([pool.submit(fn, first)])
        try:
            for batch in batches:
                pending.append(pool.submit(fn, batch))
                if len(pending) >= workers * in_flight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            stop(pool)
            raise
        pool.shutdown(wait=True)


def stop(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers now, without waiting for running tasks."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


class terminate_as_interrupt:
    """While active (main thread only), SIGTERM raises KeyboardInterrupt like SIGINT does."""

    def __enter__(self) -> terminate_as_interrupt:
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._raise)
        return self

    @staticmethod
    def _raise(_signum, _frame) -> None:
        raise KeyboardInterrupt

    def __exit__(self, *_: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
