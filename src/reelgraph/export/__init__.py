"""Exports of the stored graph, one module per format, each keeping every fact's evidence
(document, title, URL, supporting sentence):
- `jsonld`: schema.org JSON-LD; `turtle`: RDF Turtle in Wikidata's statement model;
  `quickstatements`: Wikidata QuickStatements V1.
- `snapshot`: the one read of the store they share, IRIs and the Wikidata vocabulary.
"""
from __future__ import annotations

import json

from ..graph import Graph
from .jsonld import to_jsonld
from .quickstatements import QuickStatements, build_quickstatements, load_qids, to_quickstatements
from .snapshot import document_iri, entity_iri
from .turtle import to_turtle

__all__ = ["FORMATS", "QuickStatements", "build_quickstatements", "document_iri", "entity_iri", "export_graph",
           "load_qids", "to_jsonld", "to_quickstatements", "to_turtle"]

FORMATS = ("jsonld", "turtle", "quickstatements")
_ALIASES = {"json-ld": "jsonld", "ttl": "turtle", "qs": "quickstatements"}


def export_graph(graph: Graph, fmt: str, qids: dict[str, str] | None = None) -> str:
    """The whole graph as text in one of FORMATS (`qids`: Wikidata items for QuickStatements)."""
    name = format_name(fmt)
    if qids and name != "quickstatements":
        raise ValueError("a QID map is only used by the quickstatements export")
    if name == "jsonld":
        return json.dumps(to_jsonld(graph), indent=2, ensure_ascii=False) + "\n"
    return to_turtle(graph) if name == "turtle" else to_quickstatements(graph, qids=qids)


def format_name(fmt: str) -> str:
    """The canonical name of an export format ("ttl" -> "turtle"); ValueError for an unknown one."""
    name = _ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
    if name not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}': choose jsonld, turtle or quickstatements")
    return name
