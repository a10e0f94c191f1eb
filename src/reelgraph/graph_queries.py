"""The SQL behind `reelgraph.graph.Graph`: each view is read in one joined, indexed query.

Facts come with their evidence and each evidence's document in one query; quotes with their
documents in one; contradictions are worked out in Python from fact views already read.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from sqlalchemy import Select, bindparam, desc, func, or_, select
from sqlalchemy.engine import Connection

from .names import fold, parse_film_label
from .store import documents, entities, evidence, facts, mentions, quotes
from .views import Contradiction, ContradictionValue, DocumentRef, EvidenceView, FactView, QuoteView

SINGLE_VALUED = ("release_year", "budget", "box_office", "director")
MONEY_TOLERANCE = 0.05  # relative difference below which two amounts agree
CHUNK = 500  # ids per IN (...) list


def check_limit(limit: int) -> int:
    if not 1 <= int(limit) <= 10_000:
        raise ValueError("limit must be between 1 and 10000")
    return int(limit)


def check_offset(offset: int) -> int:
    if int(offset) < 0:
        raise ValueError("offset must not be negative")
    return int(offset)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def chunks(items: list) -> Iterable[list]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def n_facts():
    return (select(func.count(facts.c.id))
            .where(or_(facts.c.s_id == entities.c.id, facts.c.o_id == entities.c.id)).scalar_subquery())


def resolve_entity(conn: Connection, name_or_id: str, year: int | None, type: str | None,
                   types: tuple[str, ...] | None = None):
    """An entity row by exact id, else by name (any case, or folded), preferring the one with most facts."""
    text = name_or_id.strip()
    row = conn.execute(CARD_ENTITY, {"eid": text}).first()
    if row is not None:  # an id: the entity, or None when it is not of the type asked for
        return row if (not type or row.type == type) and (not types or row.type in types) else None
    title, label_year = parse_film_label(text)
    year = year or label_year
    stmt = select(entities, n_facts().label("n_facts")).order_by(desc("n_facts"), entities.c.id)
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
    candidates = conn.execute(stmt.where(func.lower(entities.c.name).like(f"%{like_escape(longest)}%", escape="\\")))
    return next((r for r in candidates if fold(r.name) == fold(title)), None)


def _ref(r) -> DocumentRef:
    return DocumentRef(r.document_id, r.doc_key, r.doc_title, r.doc_source, r.doc_url)


_DOC_COLUMNS = (documents.c.doc_key, documents.c.title.label("doc_title"), documents.c.source.label("doc_source"),
                documents.c.url.label("doc_url"))


def doc_refs(conn: Connection, where, params: dict | None = None) -> dict[int, DocumentRef]:
    """Document references by id, for the documents matching `where` (a clause or a built statement)."""
    stmt = where if isinstance(where, Select) else select(documents.c.id.label("document_id"), *_DOC_COLUMNS).where(where)
    return {r.document_id: _ref(r) for r in conn.execute(stmt, params or {})}


def fact_select(where, order=None, limit: int | None = None, offset: int = 0) -> Select:
    """Facts matching `where` joined to their evidence and its documents; `limit`/`offset` count facts."""
    order = order if order is not None else (facts.c.id,)
    if limit is not None or offset:
        where = facts.c.id.in_(select(facts.c.id).where(where).order_by(*order).limit(limit).offset(offset))
    return (select(facts, evidence.c.document_id, evidence.c.start.label("ev_start"), evidence.c.end.label("ev_end"),
                   evidence.c.text.label("ev_text"), evidence.c.confidence.label("ev_confidence"),
                   evidence.c.sources.label("ev_sources"), *_DOC_COLUMNS)
            .select_from(facts.outerjoin(evidence, evidence.c.fact_id == facts.c.id)
                         .outerjoin(documents, documents.c.id == evidence.c.document_id))
            .where(where).order_by(*order, evidence.c.document_id, evidence.c.start))


def fact_views(conn: Connection, where, order=None, limit: int | None = None, offset: int = 0,
               params: dict | None = None) -> list[FactView]:
    """Facts matching `where` (a clause, or a statement from `fact_select`), each with all its
    evidence and documents: one query."""
    stmt = where if isinstance(where, Select) else fact_select(where, order, limit, offset)
    views: dict[int, FactView] = {}
    for r in conn.execute(stmt, params or {}):
        view = views.get(r.id)
        if view is None:
            view = views[r.id] = FactView(r.id, r.s, r.s_id, r.p, r.o, r.o_id, r.o_num,
                                          json.loads(r.qualifiers or "{}"), [], 0)
        if r.document_id is not None:
            view.evidence.append(EvidenceView(_ref(r), r.ev_start, r.ev_end, r.ev_text, r.ev_confidence,
                                              json.loads(r.ev_sources or "[]")))
    for view in views.values():
        view.corroboration = len({e.document.id for e in view.evidence})
        view.sources = sorted({s for e in view.evidence for s in e.sources})
    return list(views.values())


def quote_select(where, order=None, limit: int | None = None, offset: int = 0) -> Select:
    stmt = (select(quotes, *_DOC_COLUMNS).join(documents, documents.c.id == quotes.c.document_id).where(where)
            .order_by(*(order if order is not None else (quotes.c.document_id, quotes.c.start))))
    return stmt.limit(limit).offset(offset) if limit is not None or offset else stmt


def quote_views(conn: Connection, where, order=None, limit: int | None = None, offset: int = 0,
                params: dict | None = None) -> list[QuoteView]:
    """Quotes matching `where` (a clause, or a statement from `quote_select`) with their documents: one query."""
    stmt = where if isinstance(where, Select) else quote_select(where, order, limit, offset)
    return [quote_view(r) for r in conn.execute(stmt, params or {})]


# The entity card's queries, built once (bind parameters: eid, and name in lower case).
CARD_ENTITY = select(entities).where(entities.c.id == bindparam("eid"))
_MENTIONED_IN = select(mentions.c.document_id).where(mentions.c.entity_id == bindparam("eid"))
CARD_FACTS = fact_select(or_(facts.c.s_id == bindparam("eid"), facts.c.o_id == bindparam("eid")),
                         order=(facts.c.p, facts.c.id))
CARD_SAID = or_(func.coalesce(quotes.c.speaker_id, "") == bindparam("eid"),  # never NULL, so ~said works
                quotes.c.speaker_id.is_(None) & (func.lower(func.coalesce(quotes.c.speaker, "")) == bindparam("name")))
CARD_QUOTES = quote_select(CARD_SAID | quotes.c.document_id.in_(_MENTIONED_IN))
CARD_DOCUMENTS = (select(documents.c.id.label("document_id"), *_DOC_COLUMNS)
                  .where(documents.c.id.in_(_MENTIONED_IN)))


def quote_view(r) -> QuoteView:
    return QuoteView(r.id, r.text, r.speaker, r.speaker_id, r.outlet, _ref(r), r.start, r.end,
                     {"start": r.cue_start, "end": r.cue_end, "text": r.cue_text} if r.cue_text is not None else None,
                     r.confidence, json.loads(r.sources or "[]"))


def corroboration(conn: Connection, fact_ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for chunk in chunks(fact_ids):
        out.update(conn.execute(select(evidence.c.fact_id, func.count(func.distinct(evidence.c.document_id)))
                                .where(evidence.c.fact_id.in_(chunk)).group_by(evidence.c.fact_id)).tuples().all())
    return out


def summary_select():
    def count(table, column=None):
        target = func.count(func.distinct(column)) if column is not None else func.count()
        return select(target).select_from(table).where(table.c.document_id == documents.c.id).scalar_subquery()

    return select(documents.c.id, documents.c.doc_key, documents.c.source, documents.c.title, documents.c.url,
                  documents.c.sha256, documents.c.ingested_at, count(mentions, mentions.c.entity_id).label("entities"),
                  count(evidence).label("facts"), count(quotes).label("quotes"))


# -- contradictions -------------------------------------------------------------------
# Only facts that share subject and predicate with another fact can disagree: these queries read
# those (and facts with an unlinked subject), not every single-valued fact. Built once.
_OTHER = facts.alias("other")
_SHARED = (select(_OTHER.c.id).where(_OTHER.c.s_id == facts.c.s_id, _OTHER.c.p == facts.c.p, _OTHER.c.id != facts.c.id)
           .exists())
_DISAGREEING = facts.c.p.in_(SINGLE_VALUED) & (facts.c.s_id.is_(None) | _SHARED)
ALL_CONTRADICTIONS = fact_select(_DISAGREEING)
SUBJECT_CONTRADICTIONS = fact_select(_DISAGREEING & (facts.c.s_id == bindparam("subject")))


def contradictions(conn: Connection, subject_id: str | None) -> list[Contradiction]:
    if subject_id:
        return contradictions_among(fact_views(conn, SUBJECT_CONTRADICTIONS, params={"subject": subject_id}))
    return contradictions_among(fact_views(conn, ALL_CONTRADICTIONS))


def contradictions_among(found: list[FactView]) -> list[Contradiction]:
    """Single-valued facts of `found` whose values disagree, per (subject, predicate, scope, currency)."""
    groups: dict[tuple, list[FactView]] = defaultdict(list)
    for fact in sorted((f for f in found if f.p in SINGLE_VALUED), key=lambda f: f.id):
        q = fact.qualifiers
        money = fact.p in ("budget", "box_office")
        scope = fold(str(q.get("scope") or "")) if fact.p == "box_office" else ""
        groups[(fact.s_id or "~" + fold(fact.s), fact.p, scope, q.get("currency") if money else None)].append(fact)
    out = []
    for (_, p, _, _), group in groups.items():
        flagged = _flag(p, group)
        if flagged:
            first = flagged[0]
            out.append(Contradiction(
                first.s, first.s_id, p, first.qualifiers.get("scope") if p == "box_office" else None,
                [ContradictionValue(f.o, f.o_id, f.id, f.evidence) for f in flagged]))
    return sorted(out, key=lambda c: (c.subject.lower(), c.predicate, c.scope or ""))


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
