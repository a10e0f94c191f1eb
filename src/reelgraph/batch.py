"""Batch ingestion: hash, skip what is stored, extract in parallel, write document by document.

The calling process lists the files, hashes their bytes and skips every file whose key (its
resolved absolute path, or `--key`) already holds that content, extracted by this extractor
version (so a second or an interrupted run continues where the last one left off). Content
already stored under another key is linked, not extracted again. New files travel as bytes in
batches to the extractors: worker processes (`jobs`), a Dask cluster (`dask`), or this process
(`jobs=1`). Workers read and extract, each document within a time budget; all writes happen
here, one transaction per document, through the store's one write path. At most a few batches
per worker are in flight, so memory stays bounded however large the folder is. Workers die with
the ingesting process (see `workers.py`).
"""
from __future__ import annotations

import hashlib
import math
import os
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from sqlalchemy.exc import SQLAlchemyError

from .errors import BudgetExceeded, ReadError, StoreError
from .read import MAX_BYTES, display_path, file_format, list_articles, read_bytes, read_file
from .store import Store, chunks, connect
from .types import Document, Extraction
from .workers import on_processes

BATCH_SIZE = 16  # documents per worker task
IN_FLIGHT = 2  # batches queued per worker
DASK_CONNECT_TIMEOUT = "20s"
DOC_BUDGET_S = 300.0  # seconds one document may take before it is reported as failed


@dataclass
class FileJob:
    """One file to read and extract, carried as bytes so workers need no shared disk."""

    doc_id: str
    source: str
    data: bytes
    fmt: str
    key: str = ""  # the identity the store holds it by
    budget_s: float | None = DOC_BUDGET_S


@dataclass
class Failure:
    source: str
    message: str


@dataclass
class BatchResult:
    items: list[Extraction | Failure]
    words: int = 0
    peak_rss_mb: float = 0.0  # of the process that extracted the batch
    keys: list[str] = field(default_factory=list)  # the key of each item
    formats: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    files: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    removed: int = 0  # keys under an ingested folder whose file is gone
    failed: list[tuple[str, str]] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    workers: int = 1
    worker_peak_rss_mb: float = 0.0

    def line(self) -> str:
        rate = self.words / self.seconds if self.seconds else 0.0
        return (f"{self.files} files: {self.added} added, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{self.removed} removed, {len(self.failed)} failed; {self.words} words in {self.seconds:.1f}s "
                f"({rate:,.0f} words/s)")

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)


@dataclass
class FileEntry:
    path: Path
    doc_id: str
    source: str  # as the user named it, for messages
    key: str  # resolved absolute path, or the explicit key


def ingest_paths(paths: Iterable[str], db: str, jobs: int = 0, dask: str | None = None,
                 console: Console | None = None, batch_size: int = BATCH_SIZE, key: str | None = None,
                 fmt: str | None = None, budget_s: float | None = DOC_BUDGET_S) -> IngestSummary:
    """Ingest files and folders into the store at `db` (a path or SQLAlchemy URL).

    jobs: worker processes (0 = one per core, 1 = this process). dask: a scheduler address
    (tcp://HOST:PORT) or "local" for a LocalCluster; extraction then runs there. key: an explicit
    identity for a single file. fmt: read every file in this format. budget_s: seconds per document.
    A single bad file raises ReadError; bad files inside a folder are reported in `failed` and skipped."""
    from .version import extractor_version

    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    files, problems, folders = list_files(paths, key)
    if not files and not problems:
        raise ReadError("no files given")
    strict = len(files) == 1 and not folders
    if strict:  # a bad single file fails before any output
        read_file(files[0].path, doc_id=files[0].doc_id, source=files[0].source, fmt=fmt)
    workers = max(1, min(max(1, jobs or available_cores()), len(files)))
    size = batch_size if workers == 1 and not dask else max(1, min(batch_size, math.ceil(len(files) / (workers * 4))))
    summary = IngestSummary(files=len(files), workers=workers)
    summary.failed += [(message.rsplit(": ", 1)[-1], message) for message in problems]
    version = extractor_version()
    started = time.perf_counter()
    with connect(db) as store, _progress(console) as progress:
        task = progress.add_task("ingest", total=len(files), wps="0")
        later: list[tuple[FileEntry, str]] = []  # same content as a file queued earlier: linked after it

        def skipped() -> None:
            progress.advance(task)

        plan = _Plan(store.key_states(), store.fresh_shas(version), version, summary, strict, skipped, later)
        jobs_iter = plan.jobs(store, files, fmt, budget_s)
        for result in _extract(chunks(jobs_iter, size), workers, dask):
            _write(store, result, summary, strict, version)
            summary.words += result.words
            summary.worker_peak_rss_mb = max(summary.worker_peak_rss_mb, result.peak_rss_mb)
            progress.update(task, advance=len(result.items),
                            wps=f"{summary.words / (time.perf_counter() - started):,.0f}")
        for entry, sha in later:
            linked = store.link(entry.key, entry.doc_id, sha, version)
            if linked is None:  # its twin failed: report this one too
                summary.failed.append((entry.source, f"not stored: {entry.source} (same content as a file that failed)"))
            else:
                summary.count(linked.status)
            progress.advance(task)
        gone = [k for folder in folders for k in store.key_states() if _under(k, folder) and not os.path.exists(k)]
        summary.removed = store.forget(gone)
    summary.seconds = time.perf_counter() - started
    if summary.failed and console is not None:
        for _source, message in summary.failed:
            console.print(f"[yellow]skipped[/] {message}", highlight=False, markup=False)
    return summary


def list_files(paths: Iterable[str], key: str | None = None) -> tuple[list[FileEntry], list[str], list[str]]:
    """Every article under `paths` with its key; one-line problems (unreadable subfolders); and the
    resolved folders given (whose vanished files are forgotten)."""
    found: list[FileEntry] = []
    problems: list[str] = []
    folders: list[str] = []
    for given in paths:
        listed, trouble = list_articles(given)
        problems += trouble
        if Path(given).is_file():
            found.append(FileEntry(Path(given), listed[0][1], display_path(given), key or _resolved(given)))
            continue
        folders.append(_resolved(given))
        if not listed and not trouble:
            raise ReadError(f"no articles found in folder: {display_path(given)}")
        found += [FileEntry(p, doc_id, display_path(p), _resolved(p)) for p, doc_id in listed]
    if key and (len(found) != 1 or folders):
        raise ReadError("--key names one document: give exactly one file with it")
    return found, problems, folders


def _resolved(path: str | Path) -> str:
    return display_path(Path(path).resolve())


def _under(key: str, folder: str) -> bool:
    return key.startswith(folder.rstrip(os.sep) + os.sep)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass
class _Plan:
    """Decides, file by file, what needs extracting and counts the rest."""

    states: dict[str, tuple[str, str | None]]
    fresh: set[str]
    version: str
    summary: IngestSummary
    strict: bool
    skipped: Callable[[], None]
    later: list[tuple[FileEntry, str]]

    def jobs(self, store: Store, files: list[FileEntry], fmt: str | None, budget_s: float | None) -> Iterator[FileJob]:
        queued: set[str] = set()
        for entry in files:
            try:
                if entry.path.stat().st_size > MAX_BYTES:
                    read_file(entry.path, doc_id=entry.doc_id, source=entry.source)  # raises the reader's own message
                data = entry.path.read_bytes()
            except (ReadError, OSError) as exc:
                message = str(exc) if isinstance(exc, ReadError) else f"cannot read {entry.source}: {exc.strerror or exc}"
                if self.strict:
                    raise ReadError(message) from None
                self.summary.failed.append((entry.source, message))
                self.skipped()
                continue
            sha = hashlib.sha256(data).hexdigest()
            if self.states.get(entry.key) == (sha, self.version):
                self.summary.unchanged += 1
                self.skipped()
            elif sha in self.fresh and (linked := store.link(entry.key, entry.doc_id, sha, self.version)):
                self.summary.count(linked.status)  # stored under another key: shared, not extracted again
                self.skipped()
            elif sha in queued:
                self.later.append((entry, sha))
            else:
                queued.add(sha)
                yield FileJob(entry.doc_id, entry.source, data, file_format(entry.path, fmt), entry.key, budget_s)


def _write(store: Store, result: BatchResult, summary: IngestSummary, strict: bool, version: str | None = None) -> None:
    """Store each extraction in its own transaction; a document that cannot be stored is reported."""
    for item, key, fmt in zip(result.items, result.keys or [None] * len(result.items),
                              result.formats or ["auto"] * len(result.items)):
        if isinstance(item, Failure):
            if strict:
                raise ReadError(item.message)
            summary.failed.append((item.source, item.message))
            continue
        try:
            outcome = store.ingest(item, key=key, version=version, fmt=fmt)
        except (ValueError, SQLAlchemyError, StoreError) as exc:
            if strict or isinstance(exc, StoreError):
                raise
            summary.failed.append((item.doc.source, f"cannot store {item.doc.source}: {exc}"))
            continue
        summary.count(outcome.status)


# ---------------------------------------------------------------- where extraction runs

def _extract(batches: Iterator[list[FileJob]], workers: int, dask: str | None) -> Iterator[BatchResult]:
    if dask:
        yield from _on_dask(batches, dask, workers)
    elif workers == 1:
        yield from map(extract_jobs, batches)
    else:
        yield from on_processes(extract_jobs, batches, workers, IN_FLIGHT)


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
    """Read and extract a batch of files (runs in a worker), each document within its time budget.
    A file that cannot be read or extracted, or runs past its budget, becomes a Failure; the
    others are unaffected."""
    from .catalog import Catalog
    from .pipeline import extract_each

    items: list[Extraction | Failure | None] = [None] * len(jobs)
    read: dict[int, Document] = {}
    for i, job in enumerate(jobs):
        try:
            read[i] = read_bytes(job.data, doc_id=job.doc_id, source=job.source, fmt=job.fmt)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            items[i] = _failure(job.source, exc)
    result = BatchResult([])
    budget = jobs[0].budget_s if jobs else None  # one ingest, one budget
    for i, outcome in zip(read, extract_each(list(read.values()), Catalog.load(), budget)):
        if isinstance(outcome, Exception):
            items[i] = _failure(jobs[i].source, outcome)
        else:
            items[i] = outcome
            result.words += len(read[i].text.split())
    result.items = items
    result.keys = [job.key for job in jobs]
    result.formats = [job.fmt for job in jobs]
    result.peak_rss_mb = peak_rss_mb()
    return result


def _failure(source: str, exc: Exception) -> Failure:
    if isinstance(exc, (ReadError, BudgetExceeded)):
        return Failure(source, str(exc))
    return Failure(source, f"extraction failed for {source}: {type(exc).__name__}: {exc}")


def peak_rss_mb() -> float:
    """This process's peak resident memory (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if os.uname().sysname == "Darwin" else peak / 1024


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(bar_width=20), MofNCompleteColumn(), TextColumn("documents"),
        TextColumn("{task.fields[wps]} words/s"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, transient=False, disable=console is None,
    )
