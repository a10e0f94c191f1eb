"""The whole pipeline for callers: read -> analyse -> extract (with linking)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .analyse import analyse_many
from .catalog import Catalog
from .extract import extract
from .read import read_path, read_text
from .types import Document, Extraction


def extract_documents(docs: Iterable[Document], batch_size: int = 16) -> Iterator[Extraction]:
    """Extraction for each document, parsed in batches."""
    catalog = Catalog.load()
    for doc, parsed in analyse_many(docs, batch_size=batch_size):
        yield extract(doc, parsed, catalog)


def extract_path(path: str | Path) -> list[Extraction]:
    """Read a file or folder and extract every article in it."""
    return list(extract_documents(read_path(path)))


def extract_text(text: str, doc_id: str = "stdin", source: str = "-") -> Extraction:
    return next(extract_documents([read_text(text, doc_id=doc_id, source=source)]))
