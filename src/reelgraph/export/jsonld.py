"""schema.org JSON-LD export: films are `Movie`, cast is `PerformanceRole`, quotes are `Quotation`.

Each fact is also an `rg:Statement` node whose `rg:evidence` are schema.org `Claim`s
(rg = https://reelgraph.dev/ns#).
"""
from __future__ import annotations

from typing import Any

from ..graph import FactView, Graph
from .snapshot import (BASE, MONEY, NOMINATED_FOR, RG, SCHEMA_TYPES, Node, Snapshot, camel, document_iri,
                       load_snapshot, number_of, speaker_node, speaker_property, web_iri, wikidata_property,
                       wikipedia_url)

JSONLD_PROPS = {"director": "director", "screenwriter": "author", "producer": "producer", "composer": "musicBy",
                "studio": "productionCompany", "based_on": "isBasedOn"}  # the rest: rg:<camelCase predicate>


def to_jsonld(graph: Graph) -> dict[str, Any]:
    """schema.org JSON-LD: one `@graph` of entities, documents, `rg:Statement` facts and quotes."""
    snap = load_snapshot(graph)
    nodes: dict[str, dict[str, Any]] = {}

    def node(ref: Node) -> dict[str, Any]:
        if ref.iri not in nodes:
            entity = ref.entity
            nodes[ref.iri] = _without_none({
                "@id": ref.iri, "@type": SCHEMA_TYPES.get(ref.kind or "", "Thing"), "name": ref.name,
                "identifier": entity and entity.id, "sameAs": entity and entity.catalog_key and wikipedia_url(entity.catalog_key),
                "datePublished": str(ref.year) if ref.year and ref.kind in ("film", "series") else None})
        return nodes[ref.iri]

    for e in snap.entities.values():
        node(snap.node(e.id, e.name, e.type))
    for d in snap.documents.values():
        nodes[document_iri(d)] = _without_none({"@id": document_iri(d), "@type": "Article", "name": d.title,
                                                "url": web_iri(d.url), "identifier": d.doc_key, "rg:source": d.source})
    statements = [_jsonld_fact(snap, fact, node) for fact in snap.facts]
    quotes = []
    for q in snap.quotes:
        speaker, outlet = speaker_node(snap, q), snap.named(q.outlet, "publication", ("publication", "organization"))
        quotes.append(_without_none({
            "@id": f"{BASE}quote/{q.id}", "@type": "Quotation", "text": q.text,
            speaker_property(speaker): speaker and {"@id": node(speaker)["@id"]},
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


def _jsonld_fact(snap: Snapshot, fact: FactView, node) -> dict[str, Any]:
    subject, q, number = node(snap.subject(fact)), fact.qualifiers, number_of(fact)
    obj: Any
    if fact.p == "release_year":
        obj = str(fact.o if number is None else number)
        _add(subject, "datePublished", obj)
    elif fact.p in MONEY:
        obj = _without_none({"@type": "MonetaryAmount", "value": fact.o if number is None else number,
                             "currency": q.get("currency"), "rg:scope": q.get("scope")})
        _add(subject, "rg:" + camel(fact.p), obj)
    else:
        target = node(snap.object(fact))
        obj = {"@id": target["@id"]}
        if fact.p == "cast_member":
            _add(subject, "actor", _without_none({"@type": "PerformanceRole", "actor": obj,
                                                  "characterName": q.get("character")}))
        elif fact.p == "award":  # schema.org `award` is the award's name, for awards won
            _add(subject, "rg:nominatedFor" if wikidata_property(fact) == NOMINATED_FOR else "award", target["name"])
        else:
            _add(subject, JSONLD_PROPS.get(fact.p, "rg:" + camel(fact.p)), obj)
    statement = {"@id": f"{BASE}statement/{fact.id}", "@type": "rg:Statement", "rg:subject": {"@id": subject["@id"]},
                 "rg:predicate": fact.p, "rg:object": obj, "rg:corroboration": fact.corroboration,
                 "rg:contested": fact.id in snap.contested}
    statement.update({"rg:" + camel(k): v for k, v in sorted(q.items()) if v is not None})
    statement["rg:evidence"] = [_without_none({
        "@type": "Claim", "text": ev.text, "appearance": {"@id": document_iri(ev.document)},
        "rg:start": ev.start, "rg:end": ev.end, "rg:confidence": ev.confidence}) for ev in fact.evidence]
    return statement
