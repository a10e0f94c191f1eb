"""Exports of the stored graph: schema.org JSON-LD, Wikidata-style RDF Turtle, QuickStatements V1.

Every format keeps each fact's evidence (document, title, URL, supporting sentence).
- JSON-LD: films are `Movie`, cast is `PerformanceRole`, quotes are `Quotation`; each fact is also
  an `rg:Statement` node whose `rg:evidence` are schema.org `Claim`s (rg = https://reelgraph.dev/ns#).
- Turtle: Wikidata's statement model (`p:`/`ps:`/`pq:`, `prov:wasDerivedFrom` reference nodes with
  `pr:P854` URL, `pr:P1476` title, `pr:P1683` quotation). `festival` has no Wikidata property and
  is `rg:festival`; `remake_of` is P144 "based on", as Wikidata models remakes, and every statement
  says its reelgraph predicate in `rg:predicate`. Contested facts get `rg:contested true`.
- QuickStatements: see `to_quickstatements`.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import quote

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib import Graph as RDFGraph
from rdflib.namespace import PROV, RDF, RDFS, XSD
from sqlalchemy import select

from .graph import DocumentRef, DocumentSummary, EvidenceView, FactView, Graph, QuoteView
from .names import fold, parse_film_label
from .store import entities as entity_table

FORMATS = ("jsonld", "turtle", "quickstatements")
_ALIASES = {"json-ld": "jsonld", "ttl": "turtle", "qs": "quickstatements"}
BASE = "https://reelgraph.dev/"
RG = Namespace(BASE + "ns#")
SCHEMA = Namespace("http://schema.org/")  # what schema.org's own JSON-LD context expands to
WD, WDT = Namespace("http://www.wikidata.org/entity/"), Namespace("http://www.wikidata.org/prop/direct/")
P, PS = Namespace("http://www.wikidata.org/prop/"), Namespace("http://www.wikidata.org/prop/statement/")
PSV = Namespace("http://www.wikidata.org/prop/statement/value/")
PQ, PR = Namespace("http://www.wikidata.org/prop/qualifier/"), Namespace("http://www.wikidata.org/prop/reference/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")

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
JSONLD_PROPS = {"director": "director", "screenwriter": "author", "producer": "producer", "composer": "musicBy",
                "studio": "productionCompany", "based_on": "isBasedOn"}  # the rest: rg:<camelCase predicate>
OBJECT_KINDS = {"cast_member": "person", "director": "person", "screenwriter": "person", "producer": "person",
                "composer": "person", "studio": "organization", "remake_of": "film", "sequel_of": "film",
                "festival": "event", "award": "award"}
MONEY = ("budget", "box_office")
WORLDWIDE_SCOPES = {"", "worldwide", "global", "total", "worldwide total", "total worldwide", "global total"}
QS_MAX_STRING = 1500  # Wikidata's limit for string and monolingual text values
_PAGE = 10_000


def export_graph(graph: Graph, fmt: str) -> str:
    """The whole graph as text in one of FORMATS."""
    name = _ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
    if name not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}': choose jsonld, turtle or quickstatements")
    if name == "jsonld":
        return json.dumps(to_jsonld(graph), indent=2, ensure_ascii=False) + "\n"
    return to_turtle(graph) if name == "turtle" else to_quickstatements(graph)


# -- one read of the store, shared by all formats -------------------------------------
class _Entity(NamedTuple):
    id: str
    type: str
    name: str
    year: int | None
    catalog_key: str | None


@dataclass(frozen=True)
class _Node:
    """An entity, or a name the extractor did not link (`entity` None), with its IRI."""

    iri: str
    name: str
    kind: str | None
    entity: _Entity | None = None
    year: int | None = None


@dataclass
class _Snapshot:
    entities: dict[str, _Entity]
    facts: list[FactView]
    quotes: list[QuoteView]
    documents: dict[int, DocumentSummary]
    contested: set[int]  # ids of facts that graph.contradictions() flags
    by_name: dict[str, list[_Entity]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for e in self.entities.values():
            self.by_name[fold(e.name)].append(e)

    def node(self, eid: str | None, label: str, kind: str | None) -> _Node:
        entity = self.entities.get(eid or "")
        if entity is not None:
            return _Node(entity_iri(entity.id), entity.name, entity.type, entity, entity.year)
        title, year = parse_film_label(label) if kind in ("film", None) else (label, None)
        iri = entity_iri(eid) if eid else f"{BASE}name/{kind or 'thing'}/{quote(fold(label) or label, safe='')}"
        return _Node(iri, title, kind, None, year)

    def subject(self, fact: FactView) -> _Node:
        return self.node(fact.s_id, fact.s, None if fact.p in ("influenced_by", "award") else "film")

    def object(self, fact: FactView) -> _Node:
        return self.node(fact.o_id, fact.o, OBJECT_KINDS.get(fact.p))

    def named(self, name: str | None, kind: str | None, types: tuple[str, ...]) -> _Node | None:
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


def _load(graph: Graph) -> _Snapshot:
    with graph.store.engine.connect() as conn:  # the query API has no "all entities" listing
        rows = conn.execute(select(entity_table).order_by(entity_table.c.id)).all()
    quotes = {q.id: q for q in _pages(graph.quotes)}  # dedupe: quotes page by (document, start)
    return _Snapshot({r.id: _Entity(r.id, r.type, r.name, r.year, r.catalog_key) for r in rows},
                     _pages(graph.facts), list(quotes.values()), {d.id: d for d in _pages(graph.documents)},
                     {v.fact_id for c in graph.contradictions() for v in c.values})


def _speaker(snap: _Snapshot, q: QuoteView) -> _Node | None:
    if q.speaker_id:
        return snap.node(q.speaker_id, q.speaker or q.speaker_id, "person")
    return snap.named(q.speaker, "person", ("person", "organization", "publication", "character"))


def _speaker_property(speaker: _Node | None) -> str:
    return "spokenByCharacter" if speaker is not None and speaker.kind == "character" else "creator"


def entity_iri(entity_id: str) -> str:
    return f"{BASE}entity/{quote(entity_id, safe='')}"


def document_iri(doc: DocumentRef | DocumentSummary) -> str:
    return f"{BASE}document/{quote(doc.source, safe='')}/{quote(doc.doc_key, safe='')}"


def _wikipedia(key: str) -> str:
    return "https://en.wikipedia.org/wiki/" + quote(key.replace(" ", "_"), safe="_()',!-.:")


def _web_iri(url: str | None) -> str | None:
    """A URL as a safe IRI (unsafe characters percent-encoded), or None when it is not http(s)."""
    if not url or not re.match(r"https?://", url.strip(), re.I):
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")


def _number(fact: FactView) -> int | float | None:
    n = fact.o_num
    if n is None:
        try:
            n = float(str(fact.o).replace(",", ""))
        except ValueError:
            return None
    return int(n) if float(n).is_integer() else n


def _property(fact: FactView) -> str | None:
    if fact.p == "award" and str(fact.qualifiers.get("outcome") or "").lower() == "nominated":
        return NOMINATED_FOR
    return PROPERTIES.get(fact.p)


def _camel(word: str) -> str:
    head, *rest = word.split("_")
    return head + "".join(w.title() for w in rest)


# -- JSON-LD ----------------------------------------------------------------------------
def to_jsonld(graph: Graph) -> dict[str, Any]:
    """schema.org JSON-LD: one `@graph` of entities, documents, `rg:Statement` facts and quotes."""
    snap = _load(graph)
    nodes: dict[str, dict[str, Any]] = {}

    def node(ref: _Node) -> dict[str, Any]:
        if ref.iri not in nodes:
            entity = ref.entity
            nodes[ref.iri] = _without_none({
                "@id": ref.iri, "@type": SCHEMA_TYPES.get(ref.kind or "", "Thing"), "name": ref.name,
                "identifier": entity and entity.id, "sameAs": entity and entity.catalog_key and _wikipedia(entity.catalog_key),
                "datePublished": str(ref.year) if ref.year and ref.kind in ("film", "series") else None})
        return nodes[ref.iri]

    for e in snap.entities.values():
        node(snap.node(e.id, e.name, e.type))
    for d in snap.documents.values():
        nodes[document_iri(d)] = _without_none({"@id": document_iri(d), "@type": "Article", "name": d.title,
                                                "url": _web_iri(d.url), "identifier": d.doc_key, "rg:source": d.source})
    statements = [_jsonld_fact(snap, fact, node) for fact in snap.facts]
    quotes = []
    for q in snap.quotes:
        speaker, outlet = _speaker(snap, q), snap.named(q.outlet, "publication", ("publication", "organization"))
        quotes.append(_without_none({
            "@id": f"{BASE}quote/{q.id}", "@type": "Quotation", "text": q.text,
            _speaker_property(speaker): speaker and {"@id": node(speaker)["@id"]},
            "publisher": outlet and {"@id": node(outlet)["@id"]},
            "isPartOf": {"@id": document_iri(q.document)}, "rg:start": q.start, "rg:end": q.end}))
    return {"@context": ["https://schema.org", {"rg": str(RG)}], "@graph": list(nodes.values()) + statements + quotes}


def _without_none(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if v is not None and v != ""}


def _add(node: dict[str, Any], key: str, value: Any) -> None:
    """Set a JSON-LD property, turning it into a list on a second distinct value."""
    if key not in node:
        node[key] = value
        return
    values = node[key] if isinstance(node[key], list) else [node[key]]
    if value not in values:
        node[key] = values + [value]


def _jsonld_fact(snap: _Snapshot, fact: FactView, node) -> dict[str, Any]:
    subject, q, number = node(snap.subject(fact)), fact.qualifiers, _number(fact)
    obj: Any
    if fact.p == "release_year":
        obj = str(fact.o if number is None else number)
        _add(subject, "datePublished", obj)
    elif fact.p in MONEY:
        obj = _without_none({"@type": "MonetaryAmount", "value": fact.o if number is None else number,
                             "currency": q.get("currency"), "rg:scope": q.get("scope")})
        _add(subject, "rg:" + _camel(fact.p), obj)
    else:
        target = node(snap.object(fact))
        obj = {"@id": target["@id"]}
        if fact.p == "cast_member":
            _add(subject, "actor", _without_none({"@type": "PerformanceRole", "actor": obj,
                                                  "characterName": q.get("character")}))
        elif fact.p == "award":  # schema.org `award` is the award's name, for awards won
            _add(subject, "rg:nominatedFor" if _property(fact) == NOMINATED_FOR else "award", target["name"])
        else:
            _add(subject, JSONLD_PROPS.get(fact.p, "rg:" + _camel(fact.p)), obj)
    statement = {"@id": f"{BASE}statement/{fact.id}", "@type": "rg:Statement", "rg:subject": {"@id": subject["@id"]},
                 "rg:predicate": fact.p, "rg:object": obj, "rg:corroboration": fact.corroboration,
                 "rg:contested": fact.id in snap.contested}
    statement.update({"rg:" + _camel(k): v for k, v in sorted(q.items()) if v is not None})
    statement["rg:evidence"] = [_without_none({
        "@type": "Claim", "text": ev.text, "appearance": {"@id": document_iri(ev.document)},
        "rg:start": ev.start, "rg:end": ev.end, "rg:confidence": ev.confidence}) for ev in fact.evidence]
    return statement


# -- RDF Turtle -------------------------------------------------------------------------
def to_turtle(graph: Graph) -> str:
    """RDF Turtle in Wikidata's statement model; entities are IRIs under https://reelgraph.dev/entity/."""
    snap = _load(graph)
    g = RDFGraph()
    for prefix, ns in (("rg", RG), ("schema", SCHEMA), ("wd", WD), ("wdt", WDT), ("p", P), ("ps", PS), ("psv", PSV),
                       ("pq", PQ), ("pr", PR), ("prov", PROV), ("wikibase", WIKIBASE)):
        g.bind(prefix, ns, override=True, replace=True)
    for e in snap.entities.values():
        _rdf_node(g, snap.node(e.id, e.name, e.type))
    for d in snap.documents.values():
        _put(g, URIRef(document_iri(d)), (RDF.type, SCHEMA.Article), (RG.docKey, Literal(d.doc_key)),
             (SCHEMA.name, d.title and Literal(d.title, lang="en")), (SCHEMA.url, _web_ref(d.url)))
    for fact in snap.facts:
        _rdf_fact(g, snap, fact)
    for q in snap.quotes:
        speaker, outlet = _speaker(snap, q), snap.named(q.outlet, "publication", ("publication", "organization"))
        _put(g, URIRef(f"{BASE}quote/{q.id}"), (RDF.type, SCHEMA.Quotation), (SCHEMA.text, Literal(q.text, lang="en")),
             (SCHEMA.isPartOf, URIRef(document_iri(q.document))), (RG.start, Literal(q.start)), (RG.end, Literal(q.end)),
             (SCHEMA[_speaker_property(speaker)], speaker and _rdf_node(g, speaker)),
             (SCHEMA.publisher, outlet and _rdf_node(g, outlet)))
    return g.serialize(format="turtle")


def _put(g: RDFGraph, subject, *pairs) -> None:
    """Add (subject, predicate, object) for every pair whose object is set."""
    for predicate, obj in pairs:
        if obj is not None and obj != "":
            g.add((subject, predicate, obj))


def _web_ref(url: str | None) -> URIRef | None:
    iri = _web_iri(url)
    return URIRef(iri) if iri else None


def _rdf_node(g: RDFGraph, ref: _Node) -> URIRef:
    iri, kind_class, entity = URIRef(ref.iri), SCHEMA_TYPES.get(ref.kind or "", "Thing"), ref.entity
    _put(g, iri, (RDF.type, RG[kind_class[3:]] if kind_class.startswith("rg:") else SCHEMA[kind_class]),
         (RDFS.label, Literal(ref.name, lang="en")), (WDT.P31, WD[CLASS_QIDS[ref.kind]] if ref.kind in CLASS_QIDS else None),
         (RG.year, Literal(str(ref.year), datatype=XSD.gYear) if ref.year else None),
         (SCHEMA.sameAs, URIRef(_wikipedia(entity.catalog_key)) if entity and entity.catalog_key else None))
    return iri


def _rdf_fact(g: RDFGraph, snap: _Snapshot, fact: FactView) -> None:
    subject, q = _rdf_node(g, snap.subject(fact)), fact.qualifiers
    stmt, pid, number = URIRef(f"{BASE}statement/{fact.id}"), _property(fact), _number(fact)
    if fact.p == "release_year" or fact.p in MONEY:
        kind = XSD.gYear if fact.p == "release_year" else XSD.decimal
        value = Literal(str(number), datatype=kind) if number is not None else Literal(fact.o)
    else:
        value = _rdf_node(g, snap.object(fact))
    if pid:
        _put(g, subject, (WDT[pid], value), (P[pid], stmt))
        _put(g, stmt, (RDF.type, WIKIBASE.Statement), (PS[pid], value))
    else:  # festival: no Wikidata property
        _put(g, subject, (RG[_camel(fact.p)], value), (RG.statement, stmt))
        _put(g, stmt, (RDF.type, RG.Statement), (RG.value, value))
    _put(g, stmt, (RG.predicate, Literal(fact.p)), (RG.corroboration, Literal(fact.corroboration)),
         (RG.contested, Literal(True) if fact.id in snap.contested else None))
    for key, qv in sorted(q.items()):
        if key == "character" and qv:
            role = _rdf_node(g, snap.named(str(qv), "character", ("character",)))
            _put(g, stmt, (PQ[CHARACTER_ROLE], role), (PQ[CHARACTER_NAME], Literal(str(qv))))
        elif key == "year" and str(qv).isdigit():
            g.add((stmt, PQ[POINT_IN_TIME], Literal(str(qv), datatype=XSD.gYear)))
        elif qv is not None:
            g.add((stmt, RG[_camel(key)], Literal(qv)))
    currency = CURRENCY_QIDS.get(str(q.get("currency") or "").upper())
    if pid and fact.p in MONEY and currency and number is not None:
        amount = BNode()  # Wikidata's full value node: the amount with its unit
        g.add((stmt, PSV[pid], amount))
        _put(g, amount, (RDF.type, WIKIBASE.QuantityValue), (WIKIBASE.quantityUnit, WD[currency]),
             (WIKIBASE.quantityAmount, Literal(str(number), datatype=XSD.decimal)))
    for ev in fact.evidence:
        ref = URIRef(f"{BASE}reference/{fact.id}-{ev.document.id}")
        g.add((stmt, PROV.wasDerivedFrom, ref))
        _put(g, ref, (RDF.type, WIKIBASE.Reference), (PR.P854, _web_ref(ev.document.url)),
             (PR.P1476, ev.document.title and Literal(ev.document.title, lang="en")),
             (PR.P1683, Literal(ev.text, lang="en")), (RG.document, URIRef(document_iri(ev.document))),
             (RG.start, Literal(ev.start)), (RG.end, Literal(ev.end)))


# -- QuickStatements V1 -------------------------------------------------------------------
def to_quickstatements(graph: Graph, qids: dict[str, str] | None = None, create: bool = True) -> str:
    """Wikidata QuickStatements V1 (tab-separated), one line per fact and evidence document.

    `qids` maps reelgraph entity ids or catalog keys (enwiki titles such as "Heat_(1995_film)")
    to Wikidata items. With `create`, a film entity without a QID and without a catalog key is
    created (CREATE, label, description, P31 film, then its statements on LAST), but only when at
    least one of its statements can be written; a catalog key means an English Wikipedia article,
    hence an item to map rather than duplicate. Statements that need a missing QID are `#` comment
    lines with `{entity id}` placeholders, for a user to map and uncomment; so are contested,
    optional or hedged facts, festivals (no Wikidata property), box office with a scope other than
    worldwide, and money in a currency without a known QID. References on every statement: S854
    article URL, S1476 title, S1683 the supporting sentence, S813 date retrieved (ingested).
    V1 has no escape syntax: a value is everything between its column's first and last double
    quote, so inner quotes stay as they are; tabs and newlines become spaces.
    """
    snap = _load(graph)
    known = _check_qids(qids or {})
    lines = ["# reelgraph export, QuickStatements V1. Lines starting with # are not commands: replace",
             "# the {entity id} placeholders with QIDs (or pass a qids mapping) and remove the #."]
    groups: dict[str, list[FactView]] = defaultdict(list)
    for fact in snap.facts:
        groups[fact.s_id or "~" + fold(fact.s)].append(fact)
    for key in sorted(groups, key=lambda k: (fold(groups[k][0].s), k)):
        facts = sorted(groups[key], key=lambda f: (f.p, f.id))
        node = snap.subject(facts[0])
        subject = _qid(known, node)
        if subject is None and create and node.entity and node.kind == "film" and not node.entity.catalog_key:
            block = [line for fact in facts for line in _qs_fact(snap, known, fact, "LAST", node)]
            if any(not line.startswith("#") for line in block):
                lines += ["CREATE", f"LAST\tLen\t{_qs_string(node.name)}",
                          f"LAST\tDen\t{_qs_string(f'{node.year} film' if node.year else 'film')}",
                          f"LAST\tP31\t{CLASS_QIDS['film']}", *block]
                continue
        lines += [line for fact in facts for line in _qs_fact(snap, known, fact, subject, node)]
    return "\n".join(lines) + "\n"


def _check_qids(qids: dict[str, str]) -> dict[str, str]:
    for key, qid in qids.items():
        if not re.fullmatch(r"Q[1-9]\d*", str(qid).strip()):
            raise ValueError(f"qids: {qid!r} for {key!r} is not a Wikidata item id like Q42")
    return {k: str(v).strip() for k, v in qids.items()}


def _qid(known: dict[str, str], node: _Node | None) -> str | None:
    if node is None or node.entity is None:
        return None
    return known.get(node.entity.id) or known.get(node.entity.catalog_key or "")


def _placeholder(node: _Node, label: str) -> str:
    return "{" + (node.entity.id if node.entity else "~" + label) + "}"


def _qs_time(year: int) -> str:
    return f"+{year:04d}-00-00T00:00:00Z/9"


def _qs_fact(snap: _Snapshot, known: dict[str, str], fact: FactView, subject: str | None, node: _Node) -> list[str]:
    q, pid, number = fact.qualifiers, _property(fact) or "P?", _number(fact)
    problems = [] if subject else ["subject needs a QID"]
    qualifiers: list[str] = []
    if fact.p == "release_year":
        value = _qs_time(number) if isinstance(number, int) and 0 < number < 10_000 else None
        problems += [] if value else ["year is not a number"]
    elif fact.p in MONEY:
        currency = CURRENCY_QIDS.get(str(q.get("currency") or "").upper())
        value = f"{number}U{currency[1:]}" if currency and number is not None else None
        problems += [] if value else [f"no QID for currency {q.get('currency')!r}"]
        if fact.p == "box_office" and fold(str(q.get("scope") or "")) not in WORLDWIDE_SCOPES:
            problems.append(f"box office scope {q.get('scope')!r} has no qualifier here")
    else:
        target = snap.object(fact)
        value = _qid(known, target)
        problems += [] if value else ["object needs a QID"]
        value = value or _placeholder(target, fact.o)
        if q.get("character"):
            role = _qid(known, snap.named(str(q["character"]), "character", ("character",)))
            qualifiers += [CHARACTER_ROLE, role] if role else [CHARACTER_NAME, _qs_string(str(q["character"]))]
        if str(q.get("year") or "").isdigit():
            qualifiers += [POINT_IN_TIME, _qs_time(int(q["year"]))]
    problems += [] if pid != "P?" else ["no Wikidata property for " + fact.p]
    problems += ["contested by another document"] if fact.id in snap.contested else []
    problems += ["hedged or optional in the text"] if q.get("optional") or q.get("hedge") else []
    out = []
    for ev in fact.evidence:
        line = "\t".join([subject or _placeholder(node, fact.s), pid, value or _qs_string(str(fact.o)), *qualifiers,
                          *_qs_references(snap, ev)])
        out.append(f"# [{'; '.join(problems)}] {line}" if problems else line)
    return out


def _qs_references(snap: _Snapshot, ev: EvidenceView) -> list[str]:
    url, refs = _web_iri(ev.document.url), []
    if url:
        refs += ["S854", _qs_string(url)]
    if ev.document.title:
        refs += ["S1476", "en:" + _qs_string(ev.document.title)]
    refs += ["S1683", "en:" + _qs_string(ev.text)]
    summary = snap.documents.get(ev.document.id)
    if summary is not None and re.match(r"\d{4}-\d\d-\d\d", summary.ingested_at or ""):
        refs += ["S813", f"+{summary.ingested_at[:10]}T00:00:00Z/11"]
    return refs


def _qs_string(text: str) -> str:
    """A QuickStatements string: one line, no tabs, no '/*' (a trailing /* */ is read as an edit summary)."""
    flat = " ".join(text.split()).replace("/*", "/ *")
    if len(flat) > QS_MAX_STRING:
        flat = flat[:QS_MAX_STRING - 1].rsplit(" ", 1)[0] + "\u2026"
    return f'"{flat}"'
