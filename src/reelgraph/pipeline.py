"""The whole pipeline for callers: read -> analyse -> extract (with linking).

Long documents go through in bounded pieces (`pieces.py`); with a time budget, each
document runs under its own deadline and one that runs past it raises `BudgetExceeded`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .analyse import analyse_tagged
from .catalog import Catalog
from .extract import extract
from .pieces import merge_pieces, split_document, time_budget
from .read import read_path, read_text
from .types import Document, Extraction


def extract_documents(docs: Iterable[Document], batch_size: int = 16, budget_s: float | None = None,
                      catalog: Catalog | None = None) -> Iterator[Extraction]:
    """Extraction for each document. Without a budget, pieces of consecutive documents are
    parsed together in batches; with one, document by document, each under its deadline."""
    catalog = catalog or Catalog.load()
    if budget_s:
        for doc in docs:
            yield extract_document(doc, catalog, budget_s)
        return
    parts: list[tuple[int, Extraction]] = []
    for (doc, off, last), piece, parsed in analyse_tagged(_pieces(docs), batch_size=batch_size):
        parts.append((off, extract(piece, parsed, catalog)))
        if last:
            yield merge_pieces(doc, parts)
            parts = []


def extract_document(doc: Document, catalog: Catalog | None = None, budget_s: float | None = None) -> Extraction:
    """One document, piece by piece, within `budget_s` seconds (None: no limit)."""
    catalog = catalog or Catalog.load()
    with time_budget(budget_s, doc.source if doc.source != "-" else "stdin"):
        parts = split_document(doc)
        found = analyse_tagged(((off, piece) for off, piece in parts), batch_size=max(1, min(len(parts), 16)))
        return merge_pieces(doc, [(off, extract(piece, parsed, catalog)) for off, piece, parsed in found])


def _pieces(docs: Iterable[Document]) -> Iterator[tuple[tuple[Document, int, bool], Document]]:
    for doc in docs:
        parts = split_document(doc)
        for k, (off, piece) in enumerate(parts):
            yield (doc, off, k == len(parts) - 1), piece


def extract_path(path: str | Path, fmt: str | None = None) -> list[Extraction]:
    """Read a file or folder and extract every article in it."""
    return list(extract_documents(read_path(path, fmt=fmt)))


def extract_text(text: str, doc_id: str = "stdin", source: str = "-", fmt: str = "auto") -> Extraction:
    return next(extract_documents([read_text(text, doc_id=doc_id, source=source, fmt=fmt)]))
