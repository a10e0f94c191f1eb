"""RDF Turtle export in Wikidata's statement model.

`p:`/`ps:`/`pq:` statements with `prov:wasDerivedFrom` reference nodes (`pr:P854` URL, `pr:P1476`
title, `pr:P1683` quotation). `festival` has no Wikidata property and is `rg:festival`;
`remake_of` is P144 "based on", as Wikidata models remakes, and every statement says its
reelgraph predicate in `rg:predicate`. Contested facts get `rg:contested true`.
"""
from __future__ import annotations

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib import Graph as RDFGraph
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..graph import FactView, Graph
from .snapshot import (BASE, CHARACTER_NAME, CHARACTER_ROLE, CLASS_QIDS, CURRENCY_QIDS, MONEY, POINT_IN_TIME, RG,
                       SCHEMA_TYPES, Node, Snapshot, camel, document_iri, load_snapshot, number_of, speaker_node,
                       speaker_property, web_iri, wikidata_property, wikipedia_url)

SCHEMA = Namespace("http://schema.org/")  # what schema.org's own JSON-LD context expands to
WD, WDT = Namespace("http://www.wikidata.org/entity/"), Namespace("http://www.wikidata.org/prop/direct/")
P, PS = Namespace("http://www.wikidata.org/prop/"), Namespace("http://www.wikidata.org/prop/statement/")
PSV = Namespace("http://www.wikidata.org/prop/statement/value/")
PQ, PR = Namespace("http://www.wikidata.org/prop/qualifier/"), Namespace("http://www.wikidata.org/prop/reference/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")


def to_turtle(graph: Graph) -> str:
    """RDF Turtle in Wikidata's statement model; entities are IRIs under https://reelgraph.dev/entity/."""
    snap = load_snapshot(graph)
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
        speaker, outlet = speaker_node(snap, q), snap.named(q.outlet, "publication", ("publication", "organization"))
        _put(g, URIRef(f"{BASE}quote/{q.id}"), (RDF.type, SCHEMA.Quotation), (SCHEMA.text, Literal(q.text, lang="en")),
             (SCHEMA.isPartOf, URIRef(document_iri(q.document))), (RG.start, Literal(q.start)), (RG.end, Literal(q.end)),
             (SCHEMA[speaker_property(speaker)], speaker and _rdf_node(g, speaker)),
             (SCHEMA.publisher, outlet and _rdf_node(g, outlet)))
    return g.serialize(format="turtle")


def _put(g: RDFGraph, subject, *pairs) -> None:
    """Add (subject, predicate, object) for every pair whose object is set."""
    for predicate, obj in pairs:
        if obj is not None and obj != "":
            g.add((subject, predicate, obj))


def _web_ref(url: str | None) -> URIRef | None:
    iri = web_iri(url)
    return URIRef(iri) if iri else None


def _rdf_node(g: RDFGraph, ref: Node) -> URIRef:
    iri, kind_class, entity = URIRef(ref.iri), SCHEMA_TYPES.get(ref.kind or "", "Thing"), ref.entity
    _put(g, iri, (RDF.type, RG[kind_class[3:]] if kind_class.startswith("rg:") else SCHEMA[kind_class]),
         (RDFS.label, Literal(ref.name, lang="en")), (WDT.P31, WD[CLASS_QIDS[ref.kind]] if ref.kind in CLASS_QIDS else None),
         (RG.year, Literal(str(ref.year), datatype=XSD.gYear) if ref.year else None),
         (SCHEMA.sameAs, URIRef(wikipedia_url(entity.catalog_key)) if entity and entity.catalog_key else None))
    return iri


def _rdf_fact(g: RDFGraph, snap: Snapshot, fact: FactView) -> None:
    subject, q = _rdf_node(g, snap.subject(fact)), fact.qualifiers
    stmt, pid, number = URIRef(f"{BASE}statement/{fact.id}"), wikidata_property(fact), number_of(fact)
    if fact.p == "release_year" or fact.p in MONEY:
        kind = XSD.gYear if fact.p == "release_year" else XSD.decimal
        value = Literal(str(number), datatype=kind) if number is not None else Literal(fact.o)
    else:
        value = _rdf_node(g, snap.object(fact))
    if pid:
        _put(g, subject, (WDT[pid], value), (P[pid], stmt))
        _put(g, stmt, (RDF.type, WIKIBASE.Statement), (PS[pid], value))
    else:  # festival: no Wikidata property
        _put(g, subject, (RG[camel(fact.p)], value), (RG.statement, stmt))
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
            g.add((stmt, RG[camel(key)], Literal(qv)))
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
