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

from ..graph import Graph
from .jsonld import to_jsonld
from .quickstatements import to_quickstatements
from .snapshot import document_iri, entity_iri
from .turtle import to_turtle

__all__ = ["FORMATS", "document_iri", "entity_iri", "export_graph", "to_jsonld", "to_quickstatements", "to_turtle"]

FORMATS = ("jsonld", "turtle", "quickstatements")
_ALIASES = {"json-ld": "jsonld", "ttl": "turtle", "qs": "quickstatements"}


def export_graph(graph: Graph, fmt: str) -> str:
    """The whole graph as text in one of FORMATS."""
    name = _ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
    if name not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}': choose jsonld, turtle or quickstatements")
    if name == "jsonld":
        return json.dumps(to_jsonld(graph), indent=2, ensure_ascii=False) + "\n"
    return to_turtle(graph) if name == "turtle" else to_quickstatements(graph)
