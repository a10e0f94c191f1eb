"""Batch ingestion: read, skip what is stored, extract in parallel, write in batches.

Extraction runs in worker processes (`jobs`) or on a Dask cluster (`dask`); all writes
happen here, in the calling process, through the store's one write path.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .read import ReadError, iter_paths, read_file
from .store import connect
from .types import Document, Extraction

BATCH_SIZE = 16


@dataclass
class IngestSummary:
    files: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.words / self.seconds if self.seconds else 0.0
        return (f"{self.files} files: {self.added} added, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{len(self.failed)} failed; {self.words} words in {self.seconds:.1f}s ({rate:,.0f} words/s)")


def ingest_paths(paths: Iterable[str], db: str, jobs: int = 0, dask: str | None = None,
                 console: Console | None = None, batch_size: int = BATCH_SIZE) -> IngestSummary:
    """Ingest files and folders into the store at `db`. A single bad file raises
    ReadError; bad files inside a folder are reported and skipped."""
    files = []
    for path in paths:
        found = iter_paths(path)
        if not found:
            raise ReadError(f"no articles found in folder: {path}")
        files += found
    single = len(files) == 1
    store = connect(db)
    summary = IngestSummary(files=len(files))
    started = time.perf_counter()
    docs = _new_documents(files, store.document_shas(), summary, strict=single)
    if single:  # a bad single file fails before any output
        docs = iter(list(docs))
    with _progress(console) as progress:
        task = progress.add_task("ingest", total=len(files), wps="0")
        progress.advance(task, summary.unchanged + len(summary.failed))
        for batch in _extract_batches(docs, jobs, dask, batch_size):
            for result in store.ingest_many(batch):
                setattr(summary, result.status, getattr(summary, result.status) + 1)
            summary.words += sum(len(e.doc.text.split()) for e in batch)
            elapsed = time.perf_counter() - started
            progress.update(task, advance=len(batch), wps=f"{summary.words / elapsed:,.0f}")
    summary.seconds = time.perf_counter() - started
    if summary.failed and console is not None:
        for path, message in summary.failed:
            console.print(f"[yellow]skipped[/] {message}", highlight=False)
    return summary


def _new_documents(files: list[Path], known: set[str], summary: IngestSummary, strict: bool) -> Iterator[Document]:
    for path in files:
        try:
            doc = read_file(path)
        except ReadError as exc:
            if strict:
                raise
            summary.failed.append((str(path), str(exc)))
            continue
        if doc.sha256 in known:
            summary.unchanged += 1
            continue
        known.add(doc.sha256)
        yield doc


def _extract_batches(docs: Iterator[Document], jobs: int, dask: str | None, size: int) -> Iterator[list[Extraction]]:
    batches = _chunks(docs, size)
    if dask:
        yield from _dask_batches(batches, dask)
        return
    workers = jobs or os.cpu_count() or 1
    if workers == 1:
        for batch in batches:
            yield extract_batch(batch)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker) as pool:
        pending = []
        for batch in batches:
            pending.append(pool.submit(extract_batch, batch))
            if len(pending) >= workers * 2:  # bounded memory: a few batches in flight
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _dask_batches(batches: Iterator[list[Document]], address: str) -> Iterator[list[Extraction]]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) if address == "local" else None
    client = Client(cluster or address)
    try:
        futures = as_completed([client.submit(extract_batch, b, pure=False) for b in batches])
        for future in futures:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def extract_batch(docs: list[Document]) -> list[Extraction]:
    """Extract a batch of documents (runs in a worker)."""
    from .pipeline import extract_documents

    return list(extract_documents(docs, batch_size=len(docs) or 1))


def _warm_worker() -> None:
    from .analyse import load_nlp
    from .catalog import Catalog

    load_nlp()
    Catalog.load()


def _chunks(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[wps]} words/s"), TimeRemainingColumn(),
        console=console, transient=False, disable=console is None,
    )
