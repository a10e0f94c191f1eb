"""Extract stage: typed mentions -> linked entities -> facts and quotes.

`extract(doc, parsed)` is the one entry point; it returns a plain `Extraction`.
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..catalog import Catalog
from ..link import link
from .quotes import extract_quotes
from ..types import Document, Extraction, Fact
from .facts import RULES, negated
from .recognise import recognise
from .relations import all_relation_rules, sequel_titles
from .sentences import build_frames

__all__ = ["extract"]


def extract(doc: Document, parsed: Doc, catalog: Catalog | None = None) -> Extraction:
    catalog = catalog or Catalog.load()
    mentions = recognise(doc, parsed, catalog)
    entities = link(doc, mentions, catalog)
    frames = build_frames(doc, parsed, mentions, entities)
    facts: list[Fact] = []
    rules = RULES + all_relation_rules()
    for frame in frames.frames:
        if negated(frame):  # "X passed on making Y": nothing in this sentence is a fact
            continue
        for rule in rules:
            facts += rule(frames, frame, catalog)
    facts += sequel_titles(frames, catalog)
    people = [e for e in entities if e.type == "person"]
    outlets = [e for e in entities if e.type == "publication"]
    quotes = extract_quotes(doc, parsed, people, outlets, roles=frames.roles)
    return Extraction(doc=doc, entities=[e for e in entities if e.mentions], facts=merge_facts(facts), quotes=quotes)


def merge_facts(facts: list[Fact]) -> list[Fact]:
    """One fact per (s, p, o, character): the most confident wins; a cast fact with a
    character replaces the same cast fact without one."""
    best: dict[tuple, Fact] = {}
    for fact in facts:
        key = fact.key()
        if key not in best or fact.confidence > best[key].confidence:
            best[key] = fact
    named_roles = {(f.s, f.o) for f in best.values() if f.p == "cast_member" and f.qualifiers.get("character")}
    kept = [f for f in best.values()
            if not (f.p == "cast_member" and not f.qualifiers.get("character") and (f.s, f.o) in named_roles)]
    amounts: dict[tuple, Fact] = {}  # one fact per film and amount, keeping the most specific scope
    for f in kept:
        if f.p in ("budget", "box_office"):
            key = (f.s, f.p, f.o)
            if key not in amounts or len(f.qualifiers.get("scope") or "") > len(amounts[key].qualifiers.get("scope") or ""):
                amounts[key] = f
    return [f for f in kept if f.p not in ("budget", "box_office") or amounts[(f.s, f.p, f.o)] is f]
