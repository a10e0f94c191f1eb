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


def extract_each(docs: list[Document], catalog: Catalog | None = None,
                 budget_s: float | None = None) -> list[Extraction | Exception]:
    """Each document's extraction, or the exception that stopped it, in order. The pieces of all
    the documents are parsed together (one `nlp.pipe`, faster than one call per document) under
    the budget of them all; should that run out or fail, each document is taken again on its own,
    so only the one at fault fails. Extraction then runs document by document, each under its budget."""
    catalog = catalog or Catalog.load()
    if len(docs) < 2:
        return [_outcome(extract_document, doc, catalog, budget_s) for doc in docs]
    try:
        with time_budget(budget_s and budget_s * len(docs), f"a batch of {len(docs)} documents"):
            parsed = list(analyse_tagged(_pieces(docs), batch_size=16))
    except Exception:  # noqa: BLE001 - a slow or broken document: find it one by one
        return [_outcome(extract_document, doc, catalog, budget_s) for doc in docs]
    by_doc: dict[int, list] = {id(doc): [] for doc in docs}
    for (doc, off, _), piece, p in parsed:
        by_doc[id(doc)].append((off, piece, p))
    return [_outcome(_extract_parsed, doc, by_doc[id(doc)], catalog, budget_s) for doc in docs]


def _extract_parsed(doc: Document, parsed: list, catalog: Catalog, budget_s: float | None) -> Extraction:
    with time_budget(budget_s, doc.source if doc.source != "-" else "stdin"):
        return merge_pieces(doc, [(off, extract(piece, p, catalog)) for off, piece, p in parsed])


def _outcome(run, *args) -> Extraction | Exception:
    try:
        return run(*args)
    except Exception as exc:  # noqa: BLE001 - reported per document by the caller
        return exc


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
