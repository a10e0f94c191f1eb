"""The store's write path: one document's rows in, or out. Called inside a transaction by `Store`.

Documents are keyed by content (sha256); `document_paths` maps each identity (a resolved absolute
path, or an explicit key) to the document it holds now. Two paths with one content share one
document and one extraction; a document no path refers to any more is removed.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.engine import Connection

from .store_schema import (documents, document_paths, entities, evidence, fact_key, facts, mentions, object_number,
                           plain_object, quotes)
from .types import Entity, Extraction, Fact

_CHUNK = 500  # ids per IN (...) list


def _sources(ids: list[str] | None) -> str:
    return json.dumps(sorted(set(ids or ())))


def write_document(conn: Connection, extraction: Extraction, sha: str, version: str, fmt: str) -> tuple[int, dict]:
    """Insert a document and everything extracted from it; (document id, row counts)."""
    doc = extraction.doc
    doc_id = conn.execute(documents.insert().values(
        doc_key=doc.id, source=doc.source, title=doc.title, url=doc.url, sha256=sha, text=doc.text,
        ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), extractor=version, format=fmt,
        emphasis=json.dumps(doc.emphasis),
    )).inserted_primary_key[0]
    counts = {"entities": _write_entities(conn, doc_id, extraction.entities),
              "facts": _write_facts(conn, doc_id, extraction.facts),
              "quotes": _write_quotes(conn, doc_id, extraction)}
    return doc_id, counts


def point_path(conn: Connection, key: str, doc_key: str, doc_id: int, old_id: int | None) -> None:
    """Make `key` hold document `doc_id`; the document it held before goes if nothing else holds it."""
    if old_id is None:
        conn.execute(document_paths.insert().values(path=key, doc_key=doc_key, document_id=doc_id))
        return
    conn.execute(update(document_paths).where(document_paths.c.path == key).values(document_id=doc_id, doc_key=doc_key))
    if old_id != doc_id:
        release(conn, old_id)


def release(conn: Connection, doc_id: int) -> bool:
    """Remove a document that no path holds any more (True), else keep its source one of its paths."""
    holder = conn.execute(select(document_paths.c.path, document_paths.c.doc_key)
                          .where(document_paths.c.document_id == doc_id).limit(1)).first()
    if holder is None:
        remove_document(conn, doc_id)
        return True
    conn.execute(update(documents).where(documents.c.id == doc_id).values(source=holder.path, doc_key=holder.doc_key))
    return False


def _write_entities(conn: Connection, doc_id: int, items: list[Entity]) -> int:
    merged: dict[str, dict[str, Any]] = {}
    for e in items:
        row = merged.setdefault(e.id, {"id": e.id, "type": e.type, "name": e.name, "year": None, "catalog_key": None})
        row["year"] = row["year"] or e.known_year  # the graph shows the linked film's year too
        row["catalog_key"] = row["catalog_key"] or e.catalog_key
    if not merged:
        return 0
    _insert_ignore(conn, entities, list(merged.values()), "id")
    for column in ("year", "catalog_key"):  # keep the first name, but fill what was missing
        fills = [{"eid": r["id"], "value": r[column]} for r in merged.values() if r[column] is not None]
        if fills:
            stmt = entities.update().where(entities.c.id == bindparam("eid"), entities.c[column].is_(None))
            conn.execute(stmt.values({column: bindparam("value")}), fills)
    spans = {(e.id, m.start, m.end): m for e in items for m in e.mentions}
    if spans:
        conn.execute(mentions.insert(), [
            {"document_id": doc_id, "entity_id": eid, "start": s, "end": t, "text": m.text, "norm": m.norm}
            for (eid, s, t), m in sorted(spans.items(), key=lambda kv: kv[0])])
    return len(merged)


def _write_facts(conn: Connection, doc_id: int, items: list[Fact]) -> int:
    rows: dict[str, dict[str, Any]] = {}
    best: dict[str, Fact] = {}  # one evidence per fact and document: the most confident
    for fact in items:
        key = fact_key(fact)
        rows.setdefault(key, {
            "fact_key": key, "s_id": fact.s_id, "s": fact.s, "p": fact.p, "o": str(plain_object(fact.o)),
            "o_id": fact.o_id, "o_num": object_number(fact),
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
         "text": f.evidence.text, "confidence": f.confidence, "sources": _sources(f.sources)}
        for key, f in best.items()])
    return len(rows)


def _write_quotes(conn: Connection, doc_id: int, extraction: Extraction) -> int:
    rows = [{
        "document_id": doc_id, "text": q.text, "speaker": q.speaker, "speaker_id": q.speaker_id,
        "outlet": q.outlet, "start": q.span.start, "end": q.span.end,
        "cue_start": q.cue.start if q.cue else None, "cue_end": q.cue.end if q.cue else None,
        "cue_text": q.cue.text if q.cue else None, "confidence": q.confidence, "sources": _sources(q.sources),
    } for q in extraction.quotes]
    if rows:
        conn.execute(quotes.insert(), rows)
    return len(rows)


def remove_document(conn: Connection, doc_id: int) -> None:
    """Delete a document's rows, then the facts and entities nothing supports any more."""
    fact_ids = list(conn.execute(select(evidence.c.fact_id).where(evidence.c.document_id == doc_id)).scalars())
    entity_ids = list(conn.execute(
        select(mentions.c.entity_id).where(mentions.c.document_id == doc_id).distinct()).scalars())
    for table in (evidence, mentions, quotes, document_paths):
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
