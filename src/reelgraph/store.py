"""Store stage: the one write path from `Extraction` objects into SQL tables.

SQLAlchemy Core only. The same code runs on SQLite (the default, a file any SQLite
tool or Datasette can read) and on PostgreSQL, picked by the URL given to `connect`.
Each document is written in its own transaction: all of its rows or none of them.

Identity: a document is held by a key, its resolved absolute path (or an explicit key, e.g.
`ingest --key`); its content hash decides whether it changed, and the extractor version
(`version.py`) whether its rows are stale. Same content under two keys is one document
held by both (extracted once); editing either key moves only that key.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, delete, event, exc, func, inspect, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from .errors import StoreError
from .store_schema import (ADDED_COLUMNS, NUMERIC_PREDICATES, content_sha256, document_paths, documents, entities,
                           evidence, fact_key, facts, mentions, metadata, quotes)
from .store_write import point_path, release, remove_document, write_document
from .types import Extraction, Span

__all__ = ["DEFAULT_URL", "NUMERIC_PREDICATES", "IngestResult", "Store", "connect", "content_sha256", "fact_key",
           "identity", "metadata", "documents", "document_paths", "entities", "mentions", "facts", "evidence", "quotes",
           "chunks"]

DEFAULT_URL = "sqlite:///reelgraph.db"
BUSY_TIMEOUT_S = 30.0  # how long opening or writing waits for another writer


@dataclass
class IngestResult:
    doc_key: str
    sha256: str
    status: str  # "added" | "unchanged" | "replaced"
    document_id: int
    entities: int = 0
    facts: int = 0
    quotes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def identity(extraction_or_source: Extraction | str, doc_key: str = "") -> str:
    """The key a document is held by: the resolved absolute path when its source is an existing
    file, else its doc key (stdin and in-memory texts)."""
    if isinstance(extraction_or_source, Extraction):
        source, doc_key = extraction_or_source.doc.source, extraction_or_source.doc.id
    else:
        source = extraction_or_source
    if source and source != "-" and os.path.isfile(source):
        return str(Path(source).resolve())
    return doc_key or source


def _current_version() -> str:
    from .version import extractor_version

    return extractor_version()


class Store:
    """Writes extractions; `reelgraph.graph.Graph` reads them back."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- the write path ----------------------------------------------------------------
    def ingest(self, extraction: Extraction, key: str | None = None, version: str | None = None,
               fmt: str = "auto") -> IngestResult:
        """Write one document and everything extracted from it, in one transaction. `key` is
        its identity (default: `identity(extraction)`); `version` the extractor's."""
        _validate(extraction)
        version = version or _current_version()
        doc = extraction.doc
        sha = doc.sha256 or content_sha256(doc.text)
        key = key or identity(extraction)
        with self._write() as conn:
            held = conn.execute(select(document_paths.c.document_id).where(document_paths.c.path == key)).scalar()
            same = conn.execute(select(documents.c.id, documents.c.extractor).where(documents.c.sha256 == sha)).first()
            if same is not None and same.extractor == version:  # this content is stored and fresh
                if held == same.id:
                    return IngestResult(doc.id, sha, "unchanged", same.id)
                point_path(conn, key, doc.id, same.id, held)
                return IngestResult(doc.id, sha, "added" if held is None else "replaced", same.id)
            holders: list[str] = []
            if same is not None:  # stored by an older extractor: replaced for every key that holds it
                holders = list(conn.execute(select(document_paths.c.path)
                                            .where(document_paths.c.document_id == same.id)).scalars())
                remove_document(conn, same.id)  # its rows and its keys
            doc_id, counts = write_document(conn, extraction, sha, version, fmt)
            point_path(conn, key, doc.id, doc_id, None if held == getattr(same, "id", None) else held)
            for path in holders:
                if path != key:
                    conn.execute(document_paths.insert().values(path=path, doc_key=doc.id, document_id=doc_id))
            return IngestResult(doc.id, sha, "added" if held is None else "replaced", doc_id, **counts)

    def ingest_many(self, extractions: Iterable[Extraction], batch_size: int = 50) -> list[IngestResult]:
        """Write documents one transaction each (`batch_size` is kept for callers; it no longer
        groups writes). A failing document raises; the documents before it stay committed."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        version = _current_version()
        return [self.ingest(extraction, version=version) for extraction in extractions]

    def link(self, key: str, doc_key: str, sha: str, version: str) -> IngestResult | None:
        """Point `key` at the stored, fresh document with content `sha` without extracting it again;
        None when there is no such document."""
        with self._write() as conn:
            same = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha,
                                                             documents.c.extractor == version)).scalar()
            if same is None:
                return None
            held = conn.execute(select(document_paths.c.document_id).where(document_paths.c.path == key)).scalar()
            if held == same:
                return IngestResult(doc_key, sha, "unchanged", same)
            point_path(conn, key, doc_key, same, held)
            return IngestResult(doc_key, sha, "added" if held is None else "replaced", same)

    def forget(self, keys: Iterable[str]) -> int:
        """Drop keys (files that no longer exist); documents no key holds go. Returns keys dropped."""
        dropped = 0
        for key in keys:
            with self._write() as conn:
                held = conn.execute(select(document_paths.c.document_id).where(document_paths.c.path == key)).scalar()
                if held is None:
                    continue
                conn.execute(delete(document_paths).where(document_paths.c.path == key))
                release(conn, held)
                dropped += 1
        return dropped

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection inside BEGIN ... COMMIT, rolled back on any error; a read-only or
        locked store becomes a one-line StoreError."""
        try:
            with self.engine.connect() as conn, conn.execution_options(sqlite_begin="IMMEDIATE").begin():
                yield conn
        except exc.OperationalError as err:
            raise StoreError(f"cannot write to {self.url}: {_reason(err)}") from err

    # -- questions that resumable ingestion asks ----------------------------------------
    def has_document(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).first() is not None

    def document_shas(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(documents.c.sha256)).scalars())

    def key_states(self) -> dict[str, tuple[str, str | None]]:
        """key -> (sha256, extractor version) of the document it holds."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(document_paths.c.path, documents.c.sha256, documents.c.extractor)
                                .join(documents, documents.c.id == document_paths.c.document_id))
            return {r.path: (r.sha256, r.extractor) for r in rows}

    def fresh_shas(self, version: str) -> set[str]:
        """Contents stored by extractor `version`."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(documents.c.sha256).where(documents.c.extractor == version)).scalars())

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in metadata.sorted_tables}

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _reason(err: Exception) -> str:
    return (str(getattr(err, "orig", err)).strip().splitlines() or [type(err).__name__])[0]


def connect(url_or_path: str = DEFAULT_URL) -> Store:
    """Open (creating tables if missing) a store at a SQLAlchemy URL or a plain SQLite file path.
    Creation is idempotent and survives a concurrent creator: it runs in one write transaction
    and is retried while the store is busy, for up to BUSY_TIMEOUT_S seconds."""
    engine = _engine(url_or_path)
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            with engine.connect() as conn, conn.execution_options(sqlite_begin="IMMEDIATE").begin():
                metadata.create_all(conn)
                _upgrade(conn)
            return Store(engine)
        except exc.SQLAlchemyError as err:
            reason = _reason(err)
            busy = any(w in reason.lower() for w in ("locked", "busy", "already exists"))
            if busy and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            engine.dispose()
            raise StoreError(f"cannot open database {engine.url.render_as_string(hide_password=True)}: {reason}") from err


def _upgrade(conn: Connection) -> None:
    """Bring a store written by an older version up to this schema: add missing columns and give
    every document a key (its source) in document_paths."""
    inspector = inspect(conn)
    for table, column, sql_type in ADDED_COLUMNS:
        if column not in {c["name"] for c in inspector.get_columns(table)}:
            conn.execute(text(f'ALTER TABLE {table} ADD COLUMN "{column}" {sql_type}'))
    unkeyed = select(documents.c.source, documents.c.doc_key, documents.c.id).where(
        ~select(document_paths.c.path).where(document_paths.c.document_id == documents.c.id).exists())
    rows = conn.execute(unkeyed).all()
    if rows:
        conn.execute(document_paths.insert(), [{"path": r.source if r.source != "-" else r.doc_key,
                                                "doc_key": r.doc_key, "document_id": r.id} for r in rows])


def _engine(url_or_path: str) -> Engine:
    text = str(url_or_path).strip()
    if not text:
        raise ValueError("empty database URL or path")
    if text == ":memory:":
        text = "sqlite://"
    elif "://" not in text:
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            raise ValueError(f"directory for database does not exist: {path.parent}")
        text = f"sqlite:///{path}"
    elif text.startswith(("postgres://", "postgresql://")):  # default to the installed driver
        text = "postgresql+psycopg://" + text.split("://", 1)[1]
    try:
        url = make_url(text)
        if url.get_backend_name() != "sqlite":
            return create_engine(url, pool_pre_ping=True)
        in_memory = url.database in (None, "", ":memory:")
        engine = create_engine(url, poolclass=StaticPool) if in_memory else create_engine(url)
    except (exc.ArgumentError, ImportError) as err:
        raise ValueError(f"not a database URL or path: {url_or_path!r} ({err})") from err
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, wal: bool) -> None:
    """Foreign keys on, WAL journal, and real BEGIN statements (pysqlite defers them)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        if wal:  # from the very first connection, so a new store is WAL before any table exists
            _retry_busy(lambda: cursor.execute("PRAGMA journal_mode=WAL"))
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` items."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch




def _retry_busy(run) -> None:
    """Run a statement, retrying while SQLite reports the database busy or locked."""
    import sqlite3

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            run()
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _validate(extraction: Extraction) -> None:
    """Reject spans outside the text and entities without ids before any write."""
    doc = extraction.doc
    if not doc.id:
        raise ValueError("document without an id (doc_key)")

    def check(span: Span | None, what: str) -> None:
        if span is not None and not (0 <= span.start <= span.end <= len(doc.text)):
            raise ValueError(f"{doc.id}: {what} span [{span.start}, {span.end}) is outside the text")

    for entity in extraction.entities:
        if not entity.id:
            raise ValueError(f"{doc.id}: entity {entity.name!r} has no id")
        for span in entity.mentions:
            check(span, f"mention of {entity.name!r}")
    for fact in extraction.facts:
        check(fact.evidence, f"evidence of {fact.s} {fact.p} {fact.o}")
    for quote in extraction.quotes:
        check(quote.span, "quote")
        check(quote.cue, "quote cue")
