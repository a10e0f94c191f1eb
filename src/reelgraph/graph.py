"""The Python query API: read-only questions over a store, plain dataclasses (views.py) out.

The CLI, the HTTP API and users all call these methods, so the three cannot drift.
Every result has `to_dict()` giving JSON-ready data. Writes go through `Graph.ingest`,
which delegates to the store's one write path. The SQL lives in `graph_queries.py`; name
search in `name_index.py`.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.engine import Connection

from .graph_queries import (CARD_DOCUMENTS, CARD_FACTS, CARD_QUOTES, SINGLE_VALUED, check_limit, check_offset, chunks,
                            contradictions_among, corroboration, doc_refs, fact_select, fact_views, quote_select,
                            quote_views, resolve_entity, summary_select)
from .graph_queries import contradictions as _contradictions
from .name_index import FUZZY, Match, NameIndex
from .store import DEFAULT_URL, IngestResult, Store, connect, documents, entities, evidence, facts, mentions, quotes
from .types import Extraction
from .views import (Contradiction, ContradictionValue, DocumentRef, DocumentSummary, DocumentView, EntityCard,
                    EntitySummary, EvidenceView, FactView, QuoteView)
from .vocab import FACT_STATUSES, PREDICATES, STATED, STATUS_FILTERS, check_choice

__all__ = ["Contradiction", "ContradictionValue", "DocumentRef", "DocumentSummary", "DocumentView", "EntityCard",
           "EntitySummary", "EvidenceView", "FACT_STATUSES", "FactView", "Graph", "QuoteView", "SINGLE_VALUED", "open"]
SPEAKER_FUZZY_CUTOFF = 85.0  # a misspelt speaker name must be this close (rapidfuzz ratio)
ABOUT_QUOTES = 100  # other quotes shown on a card, from documents that mention the entity


class Graph:
    """Questions over a reelgraph store. Open with `reelgraph.graph.open(path_or_url)`."""

    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock()
        self._index: tuple[tuple, NameIndex] | None = None  # (store stamp, index)

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
        """Entities by canonical name or by any text that mentioned them, forgiving misspellings:
        exact, then prefix, whole words ("Mortensen"), substring, then fuzzy ("Vigo Mortensen");
        more facts first within a tier. "Title (Year)" restricts the year. `[]` when nothing matches:
        `suggest` then gives near names."""
        found = self.name_index().search(q, type=type)
        start = check_offset(offset)
        return [_summary(m) for m in found[start:start + check_limit(limit)]]

    def suggest(self, q: str, type: str | None = None, limit: int = 5) -> list[EntitySummary]:
        """Near names for "did you mean ...", loosely matched."""
        return [_summary(m) for m in self.name_index().suggest(q, type=type, limit=check_limit(limit))]

    def top(self, type: str | None = None, limit: int = 20, offset: int = 0) -> list[EntitySummary]:
        """Entities with the most facts (then most documents)."""
        ranked = [e for e in self.name_index().ranked() if not type or e.type == type]
        start = check_offset(offset)
        return ranked[start:start + check_limit(limit)]

    def speakers(self, name: str) -> list[EntitySummary]:
        """The people a speaker filter means: by id, by full name or any mention text ("Mann"), by a
        surname or other whole words, else by a close misspelling. Only the best kind of match counts."""
        index = self.name_index()
        if name.strip() in index.entries:
            return [index.entries[name.strip()]]
        found = [m for m in index.search(name, type="person")
                 if m.tier < FUZZY or m.score >= SPEAKER_FUZZY_CUTOFF]
        best = min((m.tier for m in found), default=None)
        return [_summary(m) for m in found if m.tier == best]

    def stamp(self) -> tuple:
        """Changes whenever a document is added, replaced or removed (ids only grow)."""
        with self._read() as conn:
            return tuple(conn.execute(select(func.count(documents.c.id), func.max(documents.c.id))).one())

    def name_index(self) -> NameIndex:
        """The in-memory name index, rebuilt when the store has changed."""
        stamp = self.stamp()
        with self._lock:
            if self._index is None or self._index[0] != stamp:
                self._index = (stamp, _build_index(self))
            return self._index[1]

    def entity(self, name_or_id: str, year: int | None = None, type: str | None = None) -> EntityCard | None:
        """Everything known about one entity, by id, name or film label ("Heat (1995)"); None when no
        entity has that id or name (`search` is the forgiving lookup). Four indexed queries."""
        with self._read() as conn:
            row = resolve_entity(conn, name_or_id, year, type)
            if row is None:
                return None
            eid, name = row.id, row.name.lower()
            params = {"eid": eid, "name": name}
            fact_list = fact_views(conn, CARD_FACTS, params=params)
            found = quote_views(conn, CARD_QUOTES, params=params)
            refs = doc_refs(conn, CARD_DOCUMENTS, params)
        refs.update({e.document.id: e.document for f in fact_list for e in f.evidence})
        by = [q for q in found if q.speaker_id == eid or (q.speaker_id is None and (q.speaker or "").lower() == name)]
        by_ids = {q.id for q in by}
        about = [q for q in found if q.id not in by_ids][:ABOUT_QUOTES]
        subject_facts = [f for f in fact_list if f.s_id == eid]
        return EntityCard(row.id, row.type, row.name, row.year, row.catalog_key, fact_list, by, about,
                          [refs[i] for i in sorted(refs)], contradictions_among(subject_facts))

    def neighbourhood(self, entity_id: str, depth: int = 1, max_nodes: int = 500) -> dict[str, list[dict[str, Any]]]:
        """Entities linked to one entity through facts, up to `depth` hops: {"nodes": [...], "edges": [...]}."""
        if not 0 <= depth <= 3:
            raise ValueError("depth must be between 0 and 3")
        with self._read() as conn:
            row = resolve_entity(conn, entity_id, None, None)
            if row is None:
                raise LookupError(f"no entity {entity_id!r}")
            hops = {row.id: 0}
            edges: dict[int, Any] = {}
            frontier = [row.id]
            for hop in range(1, depth + 1):
                found = []
                for chunk in chunks(frontier):
                    found += conn.execute(_LINKS_OF, {"ids": chunk}).all()
                frontier = []
                for f in found:
                    edges[f.id] = f
                    for node in (f.s_id, f.o_id):
                        if node not in hops and len(hops) < max_nodes:
                            hops[node] = hop
                            frontier.append(node)
            known = {r.id: r for chunk in chunks(list(hops)) for r in conn.execute(_ENTITIES_IN, {"ids": chunk})}
            labels = {f.s_id: f.s for f in edges.values()} | {f.o_id: f.o for f in edges.values()}
            support = corroboration(conn, list(edges))
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
        check_choice("predicate", p, PREDICATES)
        check_choice("status", status, STATUS_FILTERS)
        where = facts.c.id.is_not(None)
        if status == STATED:
            where &= facts.c.qualifiers.not_like('%"status": %')
        elif status:
            where &= facts.c.qualifiers.like(f'%"status": "{status}"%')
        if s:
            where &= or_(facts.c.s_id == s, func.lower(facts.c.s) == s.lower())
        if p:
            where &= facts.c.p == p
        if o:
            where &= or_(facts.c.o_id == o, func.lower(facts.c.o) == o.lower())
        with self._read() as conn:
            return fact_views(conn, where, limit=check_limit(limit), offset=check_offset(offset))

    def quotes(self, speaker: str | None = None, film: str | None = None, outlet: str | None = None,
               limit: int = 100, offset: int = 0) -> list[QuoteView]:
        """Quotes by a speaker (id, full name, surname or a close misspelling: see `speakers`), in
        documents that mention a film, or via an outlet."""
        where = quotes.c.id.is_not(None)
        if speaker:
            people = self.speakers(speaker)
            where &= or_(quotes.c.speaker_id.in_([e.id for e in people] or [""]),
                         func.lower(quotes.c.speaker).in_([speaker.strip().lower()] + [e.name.lower() for e in people]))
        if outlet:
            where &= func.lower(quotes.c.outlet) == outlet.lower()
        with self._read() as conn:
            if film:
                row = resolve_entity(conn, film, None, None, types=("film", "series"))
                if row is None:
                    return []
                where &= quotes.c.document_id.in_(select(mentions.c.document_id).where(mentions.c.entity_id == row.id))
            return quote_views(conn, where, limit=check_limit(limit), offset=check_offset(offset))

    def documents(self, limit: int = 100, offset: int = 0) -> list[DocumentSummary]:
        with self._read() as conn:
            rows = conn.execute(summary_select().order_by(documents.c.id)
                                .limit(check_limit(limit)).offset(check_offset(offset)))
            return [DocumentSummary(**r._mapping) for r in rows]

    def document(self, doc_id_or_key: int | str) -> DocumentView | None:
        """One document with its text, mentions, facts (with evidence) and quotes, by id, doc_key or sha256."""
        key = str(doc_id_or_key).strip()
        with self._read() as conn:
            if key.isdigit():
                row = conn.execute(_DOCUMENT_BY_ID, {"doc": int(key)}).first()
            else:
                row = conn.execute(_DOCUMENT_BY_KEY, {"key": key}).first()
            if row is None:
                return None
            params = {"doc": row.id}
            found = conn.execute(_DOCUMENT_MENTIONS, params)
            return DocumentView(
                row.id, row.doc_key, row.source, row.title, row.url, row.sha256, row.ingested_at, row.text,
                [dict(m._mapping) for m in found], fact_views(conn, _DOCUMENT_FACTS, params=params),
                quote_views(conn, _DOCUMENT_QUOTES, params=params))

    def contradictions(self, subject: str | None = None) -> list[Contradiction]:
        """Single-valued facts (year, budget, box office per scope, director) stated with different values."""
        with self._read() as conn:
            subject_id = None
            if subject:
                row = resolve_entity(conn, subject, None, None)
                if row is None:
                    return []
                subject_id = row.id
            return _contradictions(conn, subject_id)

    def _read(self) -> Connection:
        return self.store.engine.connect()


def open(db: str = DEFAULT_URL) -> Graph:  # noqa: A001 - reelgraph.open(...) reads like a file open
    """Open the graph in a SQLite file (path) or any SQLAlchemy URL, creating tables if missing."""
    return Graph(connect(db))


# Statements built once: a neighbourhood's hops, and a document's view.
_LINKS_OF = select(facts).where(or_(facts.c.s_id.in_(bindparam("ids", expanding=True)),
                                    facts.c.o_id.in_(bindparam("ids", expanding=True))),
                                facts.c.s_id.is_not(None), facts.c.o_id.is_not(None))
_ENTITIES_IN = select(entities).where(entities.c.id.in_(bindparam("ids", expanding=True)))
_DOCUMENT_BY_ID = select(documents).where(documents.c.id == bindparam("doc"))
_DOCUMENT_BY_KEY = (select(documents).where(or_(documents.c.doc_key == bindparam("key"),
                                                documents.c.sha256 == bindparam("key")))
                    .order_by(documents.c.id.desc()))
_DOCUMENT_MENTIONS = (select(mentions.c.entity_id, entities.c.type, entities.c.name, mentions.c.start, mentions.c.end,
                             mentions.c.text).join(entities, entities.c.id == mentions.c.entity_id)
                      .where(mentions.c.document_id == bindparam("doc")).order_by(mentions.c.start, mentions.c.end))
_DOCUMENT_FACTS = fact_select(facts.c.id.in_(select(evidence.c.fact_id).where(evidence.c.document_id == bindparam("doc"))))
_DOCUMENT_QUOTES = quote_select(quotes.c.document_id == bindparam("doc"), order=(quotes.c.start,))


def _summary(m: Match) -> EntitySummary:
    return EntitySummary(**{**m.entry.to_dict(), "matched": m.alias})


def _build_index(graph: Graph) -> NameIndex:
    """Names, mention texts, fact and document counts of every entity: four queries."""
    with graph._read() as conn:
        n_facts: dict[str, int] = {}
        for column in (facts.c.s_id, facts.c.o_id):
            for eid, n in conn.execute(select(column, func.count()).where(column.is_not(None)).group_by(column)):
                n_facts[eid] = n_facts.get(eid, 0) + n
        n_docs = dict(conn.execute(select(mentions.c.entity_id, func.count(func.distinct(mentions.c.document_id)))
                                   .group_by(mentions.c.entity_id)).tuples().all())
        entries = [EntitySummary(r.id, r.type, r.name, r.year, r.catalog_key, n_facts.get(r.id, 0), n_docs.get(r.id, 0))
                   for r in conn.execute(select(entities))]
        aliases = conn.execute(select(mentions.c.entity_id, mentions.c.text).distinct()).tuples().all()
    return NameIndex(entries, aliases)
