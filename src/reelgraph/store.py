"""Store stage: the one write path from `Extraction` objects into SQL tables.

SQLAlchemy Core only. The same code runs on SQLite (the default, a file any SQLite
tool or Datasette can read) and on PostgreSQL, picked by the URL given to `connect`.
Each document is written in one transaction: all of its rows or none of them.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Column, Engine, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint, bindparam,
    create_engine, event, exc, func, select,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from .names import fold
from .types import Entity, Extraction, Fact, Span

DEFAULT_URL = "sqlite:///reelgraph.db"
NUMERIC_PREDICATES = ("budget", "box_office", "release_year")
_CHUNK = 500  # ids per IN (...) list

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_key", String(255), nullable=False),  # the file stem
    Column("source", String(255), nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),  # ISO 8601, UTC
    UniqueConstraint("doc_key", "source", name="uq_documents_key_source"),
    sqlite_autoincrement=True,  # a replaced document gets a new id; old links never point at new text
)
entities = Table(
    "entities", metadata,
    Column("id", String(255), primary_key=True),  # the extractor's stable id
    Column("type", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("year", Integer),
    Column("catalog_key", String(255)),
    Index("ix_entities_name", "name"),
)
mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("entity_id", String(255), ForeignKey("entities.id"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
facts = Table(
    "facts", metadata,
    Column("id", Integer, primary_key=True),
    Column("fact_key", Text, nullable=False),  # (subject, p, object, character, scope), folded
    Column("s_id", String(255), index=True),
    Column("s", Text, nullable=False),  # the subject's label
    Column("p", String(64), nullable=False),
    Column("o", Text, nullable=False),
    Column("o_id", String(255), index=True),
    Column("o_num", Float),  # money and years, for range checks
    Column("qualifiers", Text, nullable=False, default="{}"),  # JSON object
    Index("ux_facts_fact_key", "fact_key", unique=True),
)
evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True),
    Column("fact_id", Integer, ForeignKey("facts.id"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),  # the supporting sentence
    Column("confidence", Float),
    UniqueConstraint("fact_id", "document_id", name="uq_evidence_fact_document"),
)
quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("speaker", Text),
    Column("speaker_id", String(255), index=True),
    Column("outlet", Text),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("cue_text", Text),
    Column("confidence", Float),
)


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


def content_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fact_key(fact: Fact) -> str:
    """The identity of a fact across documents: who, what, which object, character and scope."""
    q = fact.qualifiers
    subject = fact.s_id or "~" + fold(fact.s)
    obj = fact.o_id or "~" + fold(str(_plain_object(fact.o)))
    parts = [subject, fact.p, obj, fold(str(q.get("character") or "")), fold(str(q.get("scope") or ""))]
    key = " | ".join(parts)
    return key if len(key) <= 400 else "sha256:" + content_sha256(key)


def _plain_object(o: str | int | float) -> str | int | float:
    return int(o) if isinstance(o, float) and o.is_integer() else o


def _object_number(fact: Fact) -> float | None:
    if isinstance(fact.o, (int, float)) and not isinstance(fact.o, bool):
        return float(fact.o)
    if fact.p in NUMERIC_PREDICATES:
        try:
            return float(str(fact.o).replace(",", ""))
        except ValueError:
            return None
    return None


class Store:
    """Writes extractions; `reelgraph.graph.Graph` reads them back."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- the write path ----------------------------------------------------------------
    def ingest(self, extraction: Extraction) -> IngestResult:
        """Write one document and everything extracted from it, in one transaction."""
        return self.ingest_many([extraction], batch_size=1)[0]

    def ingest_many(self, extractions: Iterable[Extraction], batch_size: int = 50) -> list[IngestResult]:
        """Write documents in batches, one transaction per batch. A failing batch is rolled back
        whole and its exception raised; batches before it stay committed."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        results: list[IngestResult] = []
        for batch in chunks(extractions, batch_size):
            for extraction in batch:
                _validate(extraction)
            with self._write() as conn:
                results.extend(_write_extraction(conn, extraction) for extraction in batch)
        return results

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection inside BEGIN ... COMMIT, rolled back on any error."""
        with self.engine.connect() as conn, conn.execution_options(sqlite_begin="IMMEDIATE").begin():
            yield conn

    # -- questions that resumable ingestion asks ----------------------------------------
    def has_document(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).first() is not None

    def document_shas(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(documents.c.sha256)).scalars())

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


def connect(url_or_path: str = DEFAULT_URL) -> Store:
    """Open (creating tables if missing) a store at a SQLAlchemy URL or a plain SQLite file path."""
    engine = _engine(url_or_path)
    try:
        metadata.create_all(engine)
    except exc.SQLAlchemyError as err:
        engine.dispose()
        reason = str(getattr(err, "orig", err)).strip().splitlines()[0]
        raise RuntimeError(f"cannot open database {engine.url.render_as_string(hide_password=True)}: {reason}") from err
    return Store(engine)


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
        cursor.execute("PRAGMA busy_timeout=30000")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
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


def _write_extraction(conn: Connection, extraction: Extraction) -> IngestResult:
    doc = extraction.doc
    sha = doc.sha256 or content_sha256(doc.text)
    same = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha)).scalar()
    if same is not None:
        return IngestResult(doc.id, sha, "unchanged", same)
    old = conn.execute(select(documents.c.id).where(
        documents.c.doc_key == doc.id, documents.c.source == doc.source)).scalar()
    if old is not None:
        _remove_document(conn, old)
    doc_id = conn.execute(documents.insert().values(
        doc_key=doc.id, source=doc.source, title=doc.title, url=doc.url, sha256=sha, text=doc.text,
        ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )).inserted_primary_key[0]
    n_entities = _write_entities(conn, doc_id, extraction.entities)
    n_facts = _write_facts(conn, doc_id, extraction.facts)
    n_quotes = _write_quotes(conn, doc_id, extraction)
    status = "added" if old is None else "replaced"
    return IngestResult(doc.id, sha, status, doc_id, n_entities, n_facts, n_quotes)


def _write_entities(conn: Connection, doc_id: int, items: list[Entity]) -> int:
    merged: dict[str, dict[str, Any]] = {}
    for e in items:
        row = merged.setdefault(e.id, {"id": e.id, "type": e.type, "name": e.name, "year": None, "catalog_key": None})
        row["year"] = row["year"] or e.year
        row["catalog_key"] = row["catalog_key"] or e.catalog_key
    if not merged:
        return 0
    _insert_ignore(conn, entities, list(merged.values()), "id")
    for column in ("year", "catalog_key"):  # keep the first name, but fill what was missing
        fills = [{"eid": r["id"], "value": r[column]} for r in merged.values() if r[column] is not None]
        if fills:
            stmt = entities.update().where(entities.c.id == bindparam("eid"), entities.c[column].is_(None))
            conn.execute(stmt.values({column: bindparam("value")}), fills)
    spans = {(e.id, m.start, m.end): m.text for e in items for m in e.mentions}
    if spans:
        conn.execute(mentions.insert(), [
            {"document_id": doc_id, "entity_id": eid, "start": s, "end": t, "text": text}
            for (eid, s, t), text in sorted(spans.items())])
    return len(merged)


def _write_facts(conn: Connection, doc_id: int, items: list[Fact]) -> int:
    rows: dict[str, dict[str, Any]] = {}
    best: dict[str, Fact] = {}  # one evidence per fact and document: the most confident
    for fact in items:
        key = fact_key(fact)
        rows.setdefault(key, {
            "fact_key": key, "s_id": fact.s_id, "s": fact.s, "p": fact.p, "o": str(_plain_object(fact.o)),
            "o_id": fact.o_id, "o_num": _object_number(fact),
            "qualifiers": json.dumps(fact.qualifiers, sort_keys=True, ensure_ascii=False, default=str),
        })
        if key not in best or fact.confidence > best[key].confidence:
            best[key] = fact
    if not rows:
        return 0
    _insert_ignore(conn, facts, list(rows.values()), "fact_key")
    ids: dict[str, int] = {}
    keys = list(rows)
    for i in range(0, len(keys), _CHUNK):
        found = conn.execute(select(facts.c.fact_key, facts.c.id).where(facts.c.fact_key.in_(keys[i:i + _CHUNK])))
        ids.update(dict(found.tuples().all()))
    conn.execute(evidence.insert(), [
        {"fact_id": ids[key], "document_id": doc_id, "start": f.evidence.start, "end": f.evidence.end,
         "text": f.evidence.text, "confidence": f.confidence}
        for key, f in best.items()])
    return len(rows)


def _write_quotes(conn: Connection, doc_id: int, extraction: Extraction) -> int:
    rows = [{
        "document_id": doc_id, "text": q.text, "speaker": q.speaker, "speaker_id": q.speaker_id,
        "outlet": q.outlet, "start": q.span.start, "end": q.span.end,
        "cue_start": q.cue.start if q.cue else None, "cue_end": q.cue.end if q.cue else None,
        "cue_text": q.cue.text if q.cue else None, "confidence": q.confidence,
    } for q in extraction.quotes]
    if rows:
        conn.execute(quotes.insert(), rows)
    return len(rows)


def _remove_document(conn: Connection, doc_id: int) -> None:
    """Delete a document's rows, then the facts and entities nothing supports any more."""
    fact_ids = list(conn.execute(select(evidence.c.fact_id).where(evidence.c.document_id == doc_id)).scalars())
    entity_ids = list(conn.execute(
        select(mentions.c.entity_id).where(mentions.c.document_id == doc_id).distinct()).scalars())
    for table in (evidence, mentions, quotes):
        conn.execute(table.delete().where(table.c.document_id == doc_id))
    conn.execute(documents.delete().where(documents.c.id == doc_id))
    for i in range(0, len(fact_ids), _CHUNK):
        chunk = fact_ids[i:i + _CHUNK]
        supported = select(evidence.c.id).where(evidence.c.fact_id == facts.c.id).exists()
        conn.execute(facts.delete().where(facts.c.id.in_(chunk), ~supported))
    for i in range(0, len(entity_ids), _CHUNK):
        chunk = entity_ids[i:i + _CHUNK]
        used = (select(mentions.c.id).where(mentions.c.entity_id == entities.c.id).exists()
                | select(facts.c.id).where((facts.c.s_id == entities.c.id) | (facts.c.o_id == entities.c.id)).exists()
                | select(quotes.c.id).where(quotes.c.speaker_id == entities.c.id).exists())
        conn.execute(entities.delete().where(entities.c.id.in_(chunk), ~used))


def _insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]], key: str) -> None:
    """INSERT rows whose `key` is not in the table yet (ON CONFLICT DO NOTHING where supported)."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        values = [r[key] for r in rows]
        present = set(conn.execute(select(table.c[key]).where(table.c[key].in_(values))).scalars())
        rows = [r for r in rows if r[key] not in present]
        if rows:
            conn.execute(table.insert(), rows)
        return
    conn.execute(insert(table).on_conflict_do_nothing(index_elements=[key]), rows)
