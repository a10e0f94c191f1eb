"""Shared by every export format: one read of the store, IRIs, and the mapping of reelgraph
predicates and types to Wikidata and schema.org."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote

from rdflib import Namespace
from sqlalchemy import select

from ..graph import DocumentRef, DocumentSummary, FactView, Graph, QuoteView
from ..names import fold, parse_film_label
from ..store import entities as entity_table

BASE = "https://reelgraph.dev/"
RG = Namespace(BASE + "ns#")

PROPERTIES = {  # reelgraph predicate -> Wikidata property (festival has none)
    "cast_member": "P161", "director": "P57", "screenwriter": "P58", "producer": "P162", "composer": "P86",
    "studio": "P272", "release_year": "P577", "budget": "P2130", "box_office": "P2142", "based_on": "P144",
    "remake_of": "P144", "sequel_of": "P155", "influenced_by": "P737", "inspired_by": "P941", "award": "P166",
}
NOMINATED_FOR, CHARACTER_ROLE, CHARACTER_NAME, POINT_IN_TIME = "P1411", "P453", "P4633", "P585"
CURRENCY_QIDS = {"USD": "Q4917", "EUR": "Q4916", "GBP": "Q25224", "JPY": "Q8146", "CAD": "Q1104069", "AUD": "Q259502"}
CLASS_QIDS = {"film": "Q11424", "person": "Q5"}
SCHEMA_TYPES = {"film": "Movie", "series": "CreativeWorkSeries", "person": "Person", "character": "rg:Character",
                "organization": "Organization", "publication": "NewsMediaOrganization", "event": "Event",
                "award": "rg:Award"}
OBJECT_KINDS = {"cast_member": "person", "director": "person", "screenwriter": "person", "producer": "person",
                "composer": "person", "studio": "organization", "remake_of": "film", "sequel_of": "film",
                "festival": "event", "award": "award"}
MONEY = ("budget", "box_office")
_PAGE = 10_000


class _Entity(NamedTuple):
    id: str
    type: str
    name: str
    year: int | None
    catalog_key: str | None


@dataclass(frozen=True)
class Node:
    """An entity, or a name the extractor did not link (`entity` None), with its IRI."""

    iri: str
    name: str
    kind: str | None
    entity: _Entity | None = None
    year: int | None = None


@dataclass
class Snapshot:
    entities: dict[str, _Entity]
    facts: list[FactView]
    quotes: list[QuoteView]
    documents: dict[int, DocumentSummary]
    contested: set[int]  # ids of facts that graph.contradictions() flags
    by_name: dict[str, list[_Entity]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for e in self.entities.values():
            self.by_name[fold(e.name)].append(e)

    def node(self, eid: str | None, label: str, kind: str | None) -> Node:
        entity = self.entities.get(eid or "")
        if entity is not None:
            return Node(entity_iri(entity.id), entity.name, entity.type, entity, entity.year)
        title, year = parse_film_label(label) if kind in ("film", None) else (label, None)
        iri = entity_iri(eid) if eid else f"{BASE}name/{kind or 'thing'}/{quote(fold(label) or label, safe='')}"
        return Node(iri, title, kind, None, year)

    def subject(self, fact: FactView) -> Node:
        return self.node(fact.s_id, fact.s, None if fact.p in ("influenced_by", "award") else "film")

    def object(self, fact: FactView) -> Node:
        return self.node(fact.o_id, fact.o, OBJECT_KINDS.get(fact.p))

    def named(self, name: str | None, kind: str | None, types: tuple[str, ...]) -> Node | None:
        """A name as a node: the entity of the first of `types` with that folded name, else unlinked."""
        if not name:
            return None
        found = [e for e in self.by_name.get(fold(name), []) if e.type in types]
        best = min(found, key=lambda e: (types.index(e.type), e.id)) if found else None
        return self.node(best.id if best else None, name, kind)


def _pages(fetch) -> list:
    out, offset = [], 0
    while True:
        page = fetch(limit=_PAGE, offset=offset)
        out += page
        if len(page) < _PAGE:
            return out
        offset += _PAGE


def load_snapshot(graph: Graph) -> Snapshot:
    with graph.store.engine.connect() as conn:  # the query API has no "all entities" listing
        rows = conn.execute(select(entity_table).order_by(entity_table.c.id)).all()
    quotes = {q.id: q for q in _pages(graph.quotes)}  # dedupe: quotes page by (document, start)
    return Snapshot({r.id: _Entity(r.id, r.type, r.name, r.year, r.catalog_key) for r in rows},
                     _pages(graph.facts), list(quotes.values()), {d.id: d for d in _pages(graph.documents)},
                     {v.fact_id for c in graph.contradictions() for v in c.values})


def speaker_node(snap: Snapshot, q: QuoteView) -> Node | None:
    if q.speaker_id:
        return snap.node(q.speaker_id, q.speaker or q.speaker_id, "person")
    return snap.named(q.speaker, "person", ("person", "organization", "publication", "character"))


def speaker_property(speaker: Node | None) -> str:
    return "spokenByCharacter" if speaker is not None and speaker.kind == "character" else "creator"


def entity_iri(entity_id: str) -> str:
    return f"{BASE}entity/{quote(entity_id, safe='')}"


def document_iri(doc: DocumentRef | DocumentSummary) -> str:
    return f"{BASE}document/{quote(doc.source, safe='')}/{quote(doc.doc_key, safe='')}"


def wikipedia_url(key: str) -> str:
    return "https://en.wikipedia.org/wiki/" + quote(key.replace(" ", "_"), safe="_()',!-.:")


def web_iri(url: str | None) -> str | None:
    """A URL as a safe IRI (unsafe characters percent-encoded), or None when it is not http(s)."""
    if not url or not re.match(r"https?://", url.strip(), re.I):
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")


def number_of(fact: FactView) -> int | float | None:
    n = fact.o_num
    if n is None:
        try:
            n = float(str(fact.o).replace(",", ""))
        except ValueError:
            return None
    return int(n) if float(n).is_integer() else n


def wikidata_property(fact: FactView) -> str | None:
    if fact.p == "award" and str(fact.qualifiers.get("outcome") or "").lower() == "nominated":
        return NOMINATED_FOR
    return PROPERTIES.get(fact.p)


def camel(word: str) -> str:
    head, *rest = word.split("_")
    return head + "".join(w.title() for w in rest)
