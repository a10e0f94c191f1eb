"""`reelgraph reindex`: re-extract every stored document that another extractor version stored.

Documents are re-read from their stored text (`read.read_stored`) and re-extracted in this
process, each within the per-document time budget; each one's rows are replaced in one
transaction through the store's write path, keeping every key that held it. A document already
stored by this extractor is skipped, so an interrupted run resumes where it stopped.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from rich.console import Console
from sqlalchemy import or_, select

from .errors import BudgetExceeded, ReadError
from .read import read_stored
from .store import connect, document_paths, documents

DOC_BUDGET_S = 300.0


@dataclass
class ReindexSummary:
    documents: int = 0  # stored documents in all
    reextracted: int = 0
    current: int = 0  # already extracted by this version
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (f"{self.documents} documents: {self.reextracted} re-extracted, {self.current} already current, "
                f"{len(self.failed)} failed in {self.seconds:.1f}s")


def reindex_store(db: str, console: Console | None = None, budget_s: float | None = DOC_BUDGET_S) -> ReindexSummary:
    from .batch import _progress
    from .catalog import Catalog
    from .pipeline import extract_document
    from .version import extractor_version

    version = extractor_version()
    summary = ReindexSummary()
    started = time.perf_counter()
    with connect(db) as store:
        with store.engine.connect() as conn:
            summary.documents = len(store.document_shas())
            stale = list(conn.execute(select(documents.c.id).where(
                or_(documents.c.extractor.is_(None), documents.c.extractor != version)).order_by(documents.c.id)).scalars())
        summary.current = summary.documents - len(stale)
        catalog = Catalog.load()
        with _progress(console) as progress:
            task = progress.add_task("reindex", total=len(stale), wps="-")
            for doc_id in stale:
                with store.engine.connect() as conn:
                    row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
                    key = conn.execute(select(document_paths.c.path).where(document_paths.c.document_id == doc_id)
                                       .order_by(document_paths.c.path).limit(1)).scalar()
                if row is None:  # gone since the list was made (another writer)
                    progress.advance(task)
                    continue
                try:
                    doc = read_stored(row.text, row.doc_key, row.source, row.format, row.sha256, row.title, row.url,
                                      [tuple(span) for span in json.loads(row.emphasis or "[]")])
                    extraction = extract_document(doc, catalog, budget_s)
                    store.ingest(extraction, key=key or row.doc_key, version=version, fmt=row.format or "auto")
                    summary.reextracted += 1
                except (ReadError, BudgetExceeded, ValueError) as exc:
                    summary.failed.append((row.source, str(exc)))
                progress.advance(task)
    summary.seconds = time.perf_counter() - started
    if summary.failed and console is not None:
        for _source, message in summary.failed:
            console.print(f"[yellow]failed[/] {message}", highlight=False, markup=False)
    return summary
