"""Batch ingestion: hash, skip what is stored, extract in parallel, write in batches.

The calling process lists the files, hashes their bytes and skips every file whose hash the
store already holds (so a second or an interrupted run continues where the last one left
off). New files travel as bytes in batches to the extractors: worker processes (`jobs`), a
Dask cluster (`dask`), or this process (`jobs=1`). Workers read and extract; all writes
happen here, one transaction per batch, through the store's one write path. At most a few
batches per worker are in flight, so memory stays bounded however large the folder is.
"""
from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
import resource
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from sqlalchemy.exc import SQLAlchemyError

from .read import HTML_SUFFIXES, MARKDOWN_SUFFIXES, MAX_BYTES, ReadError, iter_paths, read_bytes, read_file
from .store import Store, chunks, connect
from .types import Extraction

BATCH_SIZE = 16  # documents per nlp.pipe call and per write transaction
IN_FLIGHT = 2  # batches queued per worker
DASK_CONNECT_TIMEOUT = "20s"


@dataclass
class FileJob:
    """One file to read and extract, carried as bytes so workers need no shared disk."""

    doc_id: str
    source: str
    data: bytes
    fmt: str


@dataclass
class Failure:
    source: str
    message: str


@dataclass
class BatchResult:
    items: list[Extraction | Failure]
    words: int = 0
    peak_rss_mb: float = 0.0  # of the process that extracted the batch


@dataclass
class IngestSummary:
    files: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    workers: int = 1
    worker_peak_rss_mb: float = 0.0

    def line(self) -> str:
        rate = self.words / self.seconds if self.seconds else 0.0
        return (f"{self.files} files: {self.added} added, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{len(self.failed)} failed; {self.words} words in {self.seconds:.1f}s ({rate:,.0f} words/s)")


def ingest_paths(paths: Iterable[str], db: str, jobs: int = 0, dask: str | None = None,
                 console: Console | None = None, batch_size: int = BATCH_SIZE) -> IngestSummary:
    """Ingest files and folders into the store at `db` (a path or SQLAlchemy URL).

    jobs: worker processes (0 = one per core, 1 = this process). dask: a scheduler address
    (tcp://HOST:PORT) or "local" for a LocalCluster; extraction then runs there. A single bad
    file raises ReadError; bad files inside a folder are reported in `failed` and skipped."""
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    files = list_files(paths)
    if not files:
        raise ReadError("no files given")
    strict = len(files) == 1
    if strict:  # a bad single file fails before any output
        read_file(files[0][0], doc_id=files[0][1], source=files[0][2])
    workers = min(max(1, jobs or available_cores()), len(files))
    size = batch_size if workers == 1 and not dask else max(1, min(batch_size, math.ceil(len(files) / (workers * 4))))
    summary = IngestSummary(files=len(files), workers=workers)
    started = time.perf_counter()
    with connect(db) as store, _progress(console) as progress:
        task = progress.add_task("ingest", total=len(files), wps="0")

        def skipped() -> None:
            progress.advance(task)

        jobs_iter = _new_jobs(files, store.document_shas(), summary, strict, skipped)
        for result in _extract(chunks(jobs_iter, size), workers, dask):
            _write(store, result, summary, strict)
            summary.words += result.words
            summary.worker_peak_rss_mb = max(summary.worker_peak_rss_mb, result.peak_rss_mb)
            progress.update(task, advance=len(result.items),
                            wps=f"{summary.words / (time.perf_counter() - started):,.0f}")
    summary.seconds = time.perf_counter() - started
    if summary.failed and console is not None:
        for _source, message in summary.failed:
            console.print(f"[yellow]skipped[/] {message}", highlight=False)
    return summary


def list_files(paths: Iterable[str]) -> list[tuple[Path, str, str]]:
    """(path, doc_id, source) for every article under `paths`, named as `read.read_path` names them."""
    found: list[tuple[Path, str, str]] = []
    for given in paths:
        root = Path(given)
        listed = iter_paths(root)
        if root.is_file():
            found.append((root, root.stem, str(given)))
            continue
        if not listed:
            raise ReadError(f"no articles found in folder: {given}")
        seen: set[str] = set()
        for p in listed:
            doc_id = p.stem if p.stem not in seen else "__".join(p.relative_to(root).with_suffix("").parts)
            seen.add(doc_id)
            found.append((p, doc_id, str(p)))
    return found


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _new_jobs(files: list[tuple[Path, str, str]], known: set[str], summary: IngestSummary, strict: bool,
              skipped: Callable[[], None]) -> Iterator[FileJob]:
    """Jobs for the files whose bytes the store does not hold yet; counts the rest."""
    for path, doc_id, source in files:
        try:
            if path.stat().st_size > MAX_BYTES:
                read_file(path, doc_id=doc_id, source=source)  # raises the reader's own message
            data = path.read_bytes()
        except (ReadError, OSError) as exc:
            message = str(exc) if isinstance(exc, ReadError) else f"cannot read {source}: {exc.strerror or exc}"
            if strict:
                raise ReadError(message) from None
            summary.failed.append((source, message))
            skipped()
            continue
        sha = hashlib.sha256(data).hexdigest()
        if sha in known:
            summary.unchanged += 1
            skipped()
            continue
        known.add(sha)
        yield FileJob(doc_id, source, data, _format(path))


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    return "html" if suffix in HTML_SUFFIXES else "markdown" if suffix in MARKDOWN_SUFFIXES else "auto"


def _write(store: Store, result: BatchResult, summary: IngestSummary, strict: bool) -> None:
    """Store a batch in one transaction; if that fails, document by document, skipping the bad ones."""
    for item in result.items:
        if isinstance(item, Failure):
            if strict:
                raise ReadError(item.message)
            summary.failed.append((item.source, item.message))
    extractions = [item for item in result.items if isinstance(item, Extraction)]
    try:
        outcomes = store.ingest_many(extractions, batch_size=max(1, len(extractions)))
    except (ValueError, SQLAlchemyError):
        if strict:
            raise
        outcomes = []
        for extraction in extractions:
            try:
                outcomes.append(store.ingest(extraction))
            except (ValueError, SQLAlchemyError) as exc:
                summary.failed.append((extraction.doc.source, f"cannot store {extraction.doc.source}: {exc}"))
    for outcome in outcomes:
        setattr(summary, outcome.status, getattr(summary, outcome.status) + 1)


# ---------------------------------------------------------------- where extraction runs

def _extract(batches: Iterator[list[FileJob]], workers: int, dask: str | None) -> Iterator[BatchResult]:
    if dask:
        yield from _on_dask(batches, dask, workers)
    elif workers == 1:
        yield from map(extract_jobs, batches)
    else:
        yield from _on_processes(batches, workers)


def _on_processes(batches: Iterator[list[FileJob]], workers: int) -> Iterator[BatchResult]:
    """Results in submission order, with at most IN_FLIGHT batches per worker queued."""
    first = next(batches, None)
    if first is None:  # nothing new: start no workers
        return
    if "forkserver" in multiprocessing.get_all_start_methods():  # workers fork from a clean server process
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["reelgraph.analyse", "reelgraph.extract"])  # import spaCy there once
    else:
        context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=warm_worker)
    pending: deque[Future[BatchResult]] = deque([pool.submit(extract_jobs, first)])
    try:
        for batch in batches:
            pending.append(pool.submit(extract_jobs, batch))
            if len(pending) >= workers * IN_FLIGHT:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _on_dask(batches: Iterator[list[FileJob]], address: str, workers: int) -> Iterator[BatchResult]:
    """Results as they complete on the cluster, with a bounded number of batches submitted."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise RuntimeError("--dask needs dask.distributed: pip install 'dask[distributed]'") from exc
    first = next(batches, None)
    if first is None:
        return
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        client = Client(cluster or address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise RuntimeError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        window = max(2, sum(client.nthreads().values()) * IN_FLIGHT)
        running = as_completed([client.submit(extract_jobs, first, pure=False)])
        for batch in batches:
            running.add(client.submit(extract_jobs, batch, pure=False))
            if running.count() >= window:
                yield next(running).result()
        for future in running:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def extract_jobs(jobs: list[FileJob]) -> BatchResult:
    """Read and extract a batch of files (runs in a worker). A file that cannot be read or
    extracted becomes a Failure; the others are unaffected."""
    from .analyse import analyse_many
    from .catalog import Catalog
    from .extract import extract

    catalog = Catalog.load()
    items: list[Extraction | Failure] = []
    docs = []
    for job in jobs:
        try:
            docs.append(read_bytes(job.data, doc_id=job.doc_id, source=job.source, fmt=job.fmt))
        except ReadError as exc:
            items.append(Failure(job.source, str(exc)))
    for doc, parsed in analyse_many(docs, batch_size=max(1, len(docs))):
        try:
            items.append(extract(doc, parsed, catalog))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
            items.append(Failure(doc.source, f"extraction failed for {doc.source}: {type(exc).__name__}: {exc}"))
    words = sum(len(item.doc.text.split()) for item in items if isinstance(item, Extraction))
    return BatchResult(items, words, peak_rss_mb())


def peak_rss_mb() -> float:
    """This process's peak resident memory (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if os.uname().sysname == "Darwin" else peak / 1024


def warm_worker() -> None:
    """Load the spaCy pipeline and the catalog once per worker process."""
    from .analyse import load_nlp
    from .catalog import Catalog

    load_nlp()
    Catalog.load()


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(bar_width=20), MofNCompleteColumn(), TextColumn("documents"),
        TextColumn("{task.fields[wps]} words/s"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, transient=False, disable=console is None,
    )
