"""The Python query API: read-only questions over a store, plain dataclasses (views.py) out.

The CLI, the HTTP API and users all call these methods, so the three cannot drift.
Every result has `to_dict()` giving JSON-ready data. Writes go through `Graph.ingest`,
which delegates to the store's one write path.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from sqlalchemy import case, desc, func, or_, select
from sqlalchemy.engine import Connection

from .names import fold, parse_film_label
from .store import DEFAULT_URL, IngestResult, Store, connect, documents, entities, evidence, facts, mentions, quotes
from .types import Extraction
from .views import (Contradiction, ContradictionValue, DocumentRef, DocumentSummary, DocumentView, EntityCard,
                    EntitySummary, EvidenceView, FactView, QuoteView)

SINGLE_VALUED = ("release_year", "budget", "box_office", "director")
MONEY_TOLERANCE = 0.05  # relative difference below which two amounts agree
_CHUNK = 500

FACT_STATUSES = ("announced", "in_talks", "rumoured")


class Graph:
    """Questions over a reelgraph store. Open with `reelgraph.graph.open(path_or_url)`."""

    def __init__(self, store: Store):
        self.store = store

    def ingest(self, extraction: Extraction) -> IngestResult:
        return self.store.ingest(extraction)

    def ingest_many(self, extractions: Iterable[Extraction], batch_size: int = 50) -> list[IngestResult]:
        return self.store.ingest_many(extractions, batch_size=batch_size)

    def stats(self) -> dict[str, int]:
        return self.store.counts()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- entities ---------------------------------------------------------------------
    def search(self, q: str, type: str | None = None, limit: int = 20, offset: int = 0) -> list[EntitySummary]:
        """Entities whose name contains `q` (any case): exact, then prefix, then substring; more facts first."""
        title, year = parse_film_label(q)
        needle = title.lower()
        if not needle:
            raise ValueError("search text is empty")
        name = func.lower(entities.c.name)
        like = _like_escape(needle)
        rank = case((name == needle, 0), (name.like(like + "%", escape="\\"), 1), else_=2)
        stmt = (select(*entities.c, _n_facts().label("n_facts"), _n_documents().label("n_documents"))
                .where(name.like("%" + like + "%", escape="\\"))
                .order_by(rank, desc("n_facts"), entities.c.name, entities.c.id)
                .limit(_check_limit(limit)).offset(_check_offset(offset)))
        if type:
            stmt = stmt.where(entities.c.type == type)
        if year:
            stmt = stmt.where(entities.c.year == year)
        with self._read() as conn:
            return [EntitySummary(r.id, r.type, r.name, r.year, r.catalog_key, r.n_facts, r.n_documents)
                    for r in conn.execute(stmt)]

    def entity(self, name_or_id: str, year: int | None = None, type: str | None = None) -> EntityCard | None:
        """Everything known about one entity, by id, name or film label ("Heat (1995)")."""
        with self._read() as conn:
            row = _resolve_entity(conn, name_or_id, year, type)
            if row is None:
                return None
            eid = row.id
            fact_rows = conn.execute(select(facts).where(or_(facts.c.s_id == eid, facts.c.o_id == eid))
                                     .order_by(facts.c.p, facts.c.id)).all()
            said = or_(func.coalesce(quotes.c.speaker_id, "") == eid,  # never NULL, so ~said works
                       quotes.c.speaker_id.is_(None) & (func.lower(func.coalesce(quotes.c.speaker, "")) == row.name.lower()))
            quotes_by = _quote_views(conn, select(quotes).where(said).order_by(quotes.c.document_id, quotes.c.start))
            in_docs = select(mentions.c.document_id).where(mentions.c.entity_id == eid)
            about = (select(quotes).where(quotes.c.document_id.in_(in_docs), ~said)
                     .order_by(quotes.c.document_id, quotes.c.start).limit(100))
            fact_views = _fact_views(conn, fact_rows)
            doc_ids = set(conn.execute(in_docs.distinct()).scalars())
            doc_ids |= {e.document.id for f in fact_views for e in f.evidence}
            refs = _doc_refs(conn, doc_ids)
            return EntityCard(row.id, row.type, row.name, row.year, row.catalog_key, fact_views, quotes_by,
                              _quote_views(conn, about), [refs[i] for i in sorted(refs)],
                              _contradictions(conn, subject_id=eid))

    def neighbourhood(self, entity_id: str, depth: int = 1, max_nodes: int = 500) -> dict[str, list[dict[str, Any]]]:
        """Entities linked to one entity through facts, up to `depth` hops: {"nodes": [...], "edges": [...]}."""
        if not 0 <= depth <= 3:
            raise ValueError("depth must be between 0 and 3")
        with self._read() as conn:
            row = _resolve_entity(conn, entity_id, None, None)
            if row is None:
                raise LookupError(f"no entity {entity_id!r}")
            hops = {row.id: 0}
            edges: dict[int, Any] = {}
            frontier = [row.id]
            for hop in range(1, depth + 1):
                found = []
                for chunk in _chunks(frontier):
                    found += conn.execute(select(facts).where(
                        or_(facts.c.s_id.in_(chunk), facts.c.o_id.in_(chunk)),
                        facts.c.s_id.is_not(None), facts.c.o_id.is_not(None))).all()
                frontier = []
                for f in found:
                    edges[f.id] = f
                    for node in (f.s_id, f.o_id):
                        if node not in hops and len(hops) < max_nodes:
                            hops[node] = hop
                            frontier.append(node)
            known = {r.id: r for chunk in _chunks(list(hops))
                     for r in conn.execute(select(entities).where(entities.c.id.in_(chunk)))}
            labels = {f.s_id: f.s for f in edges.values()} | {f.o_id: f.o for f in edges.values()}
            support = _corroboration(conn, list(edges))
        nodes = [{"id": n, "type": known[n].type if n in known else None,
                  "name": known[n].name if n in known else labels.get(n, n),
                  "year": known[n].year if n in known else None, "depth": d} for n, d in hops.items()]
        links = [{"id": f.id, "source": f.s_id, "target": f.o_id, "p": f.p, "qualifiers": json.loads(f.qualifiers),
                  "corroboration": support.get(f.id, 0)}
                 for f in edges.values() if f.s_id in hops and f.o_id in hops]
        return {"nodes": nodes, "edges": links}

    # -- facts, quotes, documents -------------------------------------------------------
    def facts(self, s: str | None = None, p: str | None = None, o: str | None = None,
              status: str | None = None, limit: int = 100, offset: int = 0) -> list[FactView]:
        """Facts filtered by subject and object (id or label, any case), predicate, and status
        ("announced", "in_talks", "rumoured"; "stated" for facts with no status)."""
        stmt = select(facts).order_by(facts.c.id).limit(_check_limit(limit)).offset(_check_offset(offset))
        if status == "stated":
            stmt = stmt.where(facts.c.qualifiers.not_like('%"status": %'))
        elif status:
            if status not in FACT_STATUSES:
                raise ValueError(f"unknown status {status!r}: choose stated, {', '.join(FACT_STATUSES)}")
            stmt = stmt.where(facts.c.qualifiers.like(f'%"status": "{status}"%'))
        if s:
            stmt = stmt.where(or_(facts.c.s_id == s, func.lower(facts.c.s) == s.lower()))
        if p:
            stmt = stmt.where(facts.c.p == p)
        if o:
            stmt = stmt.where(or_(facts.c.o_id == o, func.lower(facts.c.o) == o.lower()))
        with self._read() as conn:
            return _fact_views(conn, conn.execute(stmt).all())

    def quotes(self, speaker: str | None = None, film: str | None = None, outlet: str | None = None,
               limit: int = 100, offset: int = 0) -> list[QuoteView]:
        """Quotes by a speaker (id or name), in documents that mention a film, or via an outlet."""
        stmt = (select(quotes).order_by(quotes.c.document_id, quotes.c.start)
                .limit(_check_limit(limit)).offset(_check_offset(offset)))
        if speaker:
            stmt = stmt.where(or_(quotes.c.speaker_id == speaker, func.lower(quotes.c.speaker) == speaker.lower()))
        if outlet:
            stmt = stmt.where(func.lower(quotes.c.outlet) == outlet.lower())
        with self._read() as conn:
            if film:
                row = _resolve_entity(conn, film, None, None, types=("film", "series"))
                if row is None:
                    return []
                stmt = stmt.where(quotes.c.document_id.in_(
                    select(mentions.c.document_id).where(mentions.c.entity_id == row.id)))
            return _quote_views(conn, stmt)

    def documents(self, limit: int = 100, offset: int = 0) -> list[DocumentSummary]:
        with self._read() as conn:
            rows = conn.execute(_summary_select().order_by(documents.c.id)
                                .limit(_check_limit(limit)).offset(_check_offset(offset)))
            return [DocumentSummary(**r._mapping) for r in rows]

    def document(self, doc_id_or_key: int | str) -> DocumentView | None:
        """One document with its text, mentions, facts (with evidence) and quotes, by id, doc_key or sha256."""
        key = str(doc_id_or_key).strip()
        if key.isdigit():
            where = documents.c.id == int(key)
        else:
            where = or_(documents.c.doc_key == key, documents.c.sha256 == key)
        with self._read() as conn:
            row = conn.execute(select(documents).where(where).order_by(documents.c.id.desc())).first()
            if row is None:
                return None
            found = conn.execute(
                select(mentions.c.entity_id, entities.c.type, entities.c.name, mentions.c.start, mentions.c.end,
                       mentions.c.text).join(entities, entities.c.id == mentions.c.entity_id)
                .where(mentions.c.document_id == row.id).order_by(mentions.c.start, mentions.c.end))
            fact_rows = conn.execute(select(facts).where(facts.c.id.in_(
                select(evidence.c.fact_id).where(evidence.c.document_id == row.id))).order_by(facts.c.id)).all()
            return DocumentView(
                row.id, row.doc_key, row.source, row.title, row.url, row.sha256, row.ingested_at, row.text,
                [dict(m._mapping) for m in found], _fact_views(conn, fact_rows),
                _quote_views(conn, select(quotes).where(quotes.c.document_id == row.id).order_by(quotes.c.start)))

    def contradictions(self, subject: str | None = None) -> list[Contradiction]:
        """Single-valued facts (year, budget, box office per scope, director) stated with different values."""
        with self._read() as conn:
            subject_id = None
            if subject:
                row = _resolve_entity(conn, subject, None, None)
                if row is None:
                    return []
                subject_id = row.id
            return _contradictions(conn, subject_id)

    def _read(self) -> Connection:
        return self.store.engine.connect()


def open(db: str = DEFAULT_URL) -> Graph:  # noqa: A001 - reelgraph.open(...) reads like a file open
    """Open the graph in a SQLite file (path) or any SQLAlchemy URL, creating tables if missing."""
    return Graph(connect(db))


# -- query helpers --------------------------------------------------------------------
def _check_limit(limit: int) -> int:
    if not 1 <= int(limit) <= 10_000:
        raise ValueError("limit must be between 1 and 10000")
    return int(limit)


def _check_offset(offset: int) -> int:
    if int(offset) < 0:
        raise ValueError("offset must not be negative")
    return int(offset)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _chunks(items: list) -> Iterable[list]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _n_facts():
    return (select(func.count(facts.c.id))
            .where(or_(facts.c.s_id == entities.c.id, facts.c.o_id == entities.c.id)).scalar_subquery())


def _n_documents():
    return (select(func.count(func.distinct(mentions.c.document_id)))
            .where(mentions.c.entity_id == entities.c.id).scalar_subquery())


def _resolve_entity(conn: Connection, name_or_id: str, year: int | None, type: str | None,
                    types: tuple[str, ...] | None = None):
    """An entity row by exact id, else by name (any case, or folded), preferring the one with most facts."""
    text = name_or_id.strip()
    row = conn.execute(select(entities).where(entities.c.id == text)).first()
    if row is not None:
        return row
    title, label_year = parse_film_label(text)
    year = year or label_year
    stmt = select(entities, _n_facts().label("n_facts")).order_by(desc("n_facts"), entities.c.id)
    if year:
        stmt = stmt.where(entities.c.year == year)
    if type:
        stmt = stmt.where(entities.c.type == type)
    if types:
        stmt = stmt.where(entities.c.type.in_(types))
    row = conn.execute(stmt.where(func.lower(entities.c.name) == title.lower())).first()
    if row is not None or not fold(title):
        return row
    longest = max(fold(title).split(), key=len)  # folded match: "Dark Knight" finds "The Dark Knight"
    candidates = conn.execute(stmt.where(func.lower(entities.c.name).like(f"%{_like_escape(longest)}%", escape="\\")))
    return next((r for r in candidates if fold(r.name) == fold(title)), None)


def _doc_refs(conn: Connection, ids: Iterable[int]) -> dict[int, DocumentRef]:
    out: dict[int, DocumentRef] = {}
    for chunk in _chunks(sorted(set(ids))):
        for r in conn.execute(select(documents.c.id, documents.c.doc_key, documents.c.title, documents.c.source,
                                     documents.c.url).where(documents.c.id.in_(chunk))):
            out[r.id] = DocumentRef(r.id, r.doc_key, r.title, r.source, r.url)
    return out


def _evidence_by_fact(conn: Connection, fact_ids: list[int]) -> dict[int, list[EvidenceView]]:
    rows = []
    for chunk in _chunks(fact_ids):
        rows += conn.execute(select(evidence).where(evidence.c.fact_id.in_(chunk))
                             .order_by(evidence.c.document_id, evidence.c.start)).all()
    refs = _doc_refs(conn, (r.document_id for r in rows))
    out: dict[int, list[EvidenceView]] = defaultdict(list)
    for r in rows:
        out[r.fact_id].append(EvidenceView(refs[r.document_id], r.start, r.end, r.text, r.confidence))
    return out


def _fact_views(conn: Connection, rows: list) -> list[FactView]:
    found = _evidence_by_fact(conn, [r.id for r in rows])
    return [FactView(r.id, r.s, r.s_id, r.p, r.o, r.o_id, r.o_num, json.loads(r.qualifiers or "{}"), found[r.id],
                     len({e.document.id for e in found[r.id]})) for r in rows]


def _corroboration(conn: Connection, fact_ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for chunk in _chunks(fact_ids):
        out.update(conn.execute(select(evidence.c.fact_id, func.count(func.distinct(evidence.c.document_id)))
                                .where(evidence.c.fact_id.in_(chunk)).group_by(evidence.c.fact_id)).tuples().all())
    return out


def _quote_views(conn: Connection, stmt) -> list[QuoteView]:
    rows = conn.execute(stmt).all()
    refs = _doc_refs(conn, (r.document_id for r in rows))
    return [QuoteView(r.id, r.text, r.speaker, r.speaker_id, r.outlet, refs[r.document_id], r.start, r.end,
                      {"start": r.cue_start, "end": r.cue_end, "text": r.cue_text} if r.cue_text is not None else None,
                      r.confidence) for r in rows]


def _summary_select():
    def count(table, column=None):
        target = func.count(func.distinct(column)) if column is not None else func.count()
        return select(target).select_from(table).where(table.c.document_id == documents.c.id).scalar_subquery()

    return select(documents.c.id, documents.c.doc_key, documents.c.source, documents.c.title, documents.c.url,
                  documents.c.sha256, documents.c.ingested_at, count(mentions, mentions.c.entity_id).label("entities"),
                  count(evidence).label("facts"), count(quotes).label("quotes"))


# -- contradictions -------------------------------------------------------------------
def _contradictions(conn: Connection, subject_id: str | None) -> list[Contradiction]:
    stmt = select(facts).where(facts.c.p.in_(SINGLE_VALUED)).order_by(facts.c.id)
    if subject_id:
        stmt = stmt.where(facts.c.s_id == subject_id)
    groups: dict[tuple, list[FactView]] = defaultdict(list)
    for fact in _fact_views(conn, conn.execute(stmt).all()):
        q = fact.qualifiers
        money = fact.p in ("budget", "box_office")
        scope = fold(str(q.get("scope") or "")) if fact.p == "box_office" else ""
        groups[(fact.s_id or "~" + fold(fact.s), fact.p, scope, q.get("currency") if money else None)].append(fact)
    found = []
    for (_, p, _, _), group in groups.items():
        flagged = _flag(p, group)
        if flagged:
            first = flagged[0]
            found.append(Contradiction(
                first.s, first.s_id, p, first.qualifiers.get("scope") if p == "box_office" else None,
                [ContradictionValue(f.o, f.o_id, f.id, f.evidence) for f in flagged]))
    return sorted(found, key=lambda c: (c.subject.lower(), c.predicate, c.scope or ""))


def _flag(p: str, group: list[FactView]) -> list[FactView]:
    """The facts of one (subject, predicate, scope) group that disagree with another one."""
    if len(group) < 2:
        return []
    if p == "director":
        return _flag_directors(group)
    numbers = [f for f in group if f.o_num is not None]
    if p == "release_year":
        return numbers if len({int(f.o_num) for f in numbers}) > 1 else []
    disagree = set()
    for a, b in combinations(numbers, 2):
        top = max(abs(a.o_num), abs(b.o_num))
        if top and abs(a.o_num - b.o_num) / top > MONEY_TOLERANCE:
            disagree |= {a.id, b.id}
    return [f for f in numbers if f.id in disagree]


def _flag_directors(group: list[FactView]) -> list[FactView]:
    """Two directors conflict only when different documents name them and no document names both
    (a document naming both describes co-directors)."""
    docs = {f.id: {e.document.id for e in f.evidence} for f in group}
    person = {f.id: f.o_id or fold(f.o) for f in group}
    disagree = set()
    for a, b in combinations(group, 2):
        if person[a.id] != person[b.id] and docs[a.id] and docs[b.id] and not docs[a.id] & docs[b.id]:
            disagree |= {a.id, b.id}
    return [f for f in group if f.id in disagree]
