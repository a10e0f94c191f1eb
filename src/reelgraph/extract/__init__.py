"""Extract stage: typed mentions -> linked entities -> candidates -> learned decisions.

`extract(doc, parsed)` is the one entry point; it returns a plain `Extraction`. Hand rules
(`facts.py`, `relations.py`) propose facts; with a trained relation model (`learn/relations.py`)
they are features of candidates and the model decides; without one, the rule facts stand.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from ..catalog import Catalog
from ..learn import Models
from ..link import link
from ..types import Document, Entity, Extraction, Fact
from .candidates import Candidate, enumerate_candidates
from .facts import RULES, negated
from .quotes import extract_quotes
from .recognise import recognise
from .relations import all_relation_rules, sequel_titles
from .sentences import DocumentFrames, build_frames

__all__ = ["extract", "analyse_relations", "rule_id", "RelationInput"]


def rule_id(rule) -> str:
    """The stable id of a rule function: its module's last part and its name."""
    return f"{rule.__module__.rsplit('.', 1)[-1]}.{rule.__name__}"


@dataclass
class RelationInput:
    """What the relation stage sees of one document."""

    entities: list[Entity]
    frames: DocumentFrames
    rule_facts: list[tuple[str, Fact]]  # (rule id, fact)
    candidates: list[Candidate]


def analyse_relations(doc: Document, parsed: Doc, catalog: Catalog, models: Models) -> RelationInput:
    mentions = recognise(doc, parsed, catalog, models.titles, models.people)
    entities = link(doc, mentions, catalog)
    frames = build_frames(doc, parsed, mentions, entities)
    found: list[tuple[str, Fact]] = []
    rules = RULES + all_relation_rules()
    for frame in frames.frames:
        if negated(frame):  # "X passed on making Y": no rule fact in this sentence
            continue
        for rule in rules:
            found += [(rule_id(rule), fact) for fact in rule(frames, frame, catalog)]
    found += [(rule_id(sequel_titles), fact) for fact in sequel_titles(frames, catalog)]
    for rid, fact in found:
        fact.sources.append(rid)
    return RelationInput(entities, frames, found, enumerate_candidates(frames, found))


def extract(doc: Document, parsed: Doc, catalog: Catalog | None = None, models: Models | None = None) -> Extraction:
    catalog = catalog or Catalog.load()
    models = Models.load() if models is None else models
    rel = analyse_relations(doc, parsed, catalog, models)
    if models.relations is not None:
        facts = models.relations.decide(rel, parsed, catalog)
    else:
        facts = [fact for _, fact in rel.rule_facts]
    people = [e for e in rel.entities if e.type == "person"]
    outlets = [e for e in rel.entities if e.type == "publication"]
    quotes = extract_quotes(doc, parsed, people, outlets, roles=rel.frames.roles, speakers=models.speakers)
    return Extraction(doc=doc, entities=[e for e in rel.entities if e.mentions], facts=merge_facts(facts),
                      quotes=quotes)


def merge_facts(facts: list[Fact]) -> list[Fact]:
    """One fact per (s, p, o, qualifiers key): the most confident wins and keeps every source;
    one cast fact per film and person, a named character before none."""
    best: dict[tuple, Fact] = {}
    for fact in facts:
        key = fact.key()
        if key not in best or fact.confidence > best[key].confidence:
            if key in best:
                fact.sources = sorted(set(fact.sources) | set(best[key].sources))
            best[key] = fact
        else:
            best[key].sources = sorted(set(best[key].sources) | set(fact.sources))
    roles: dict[tuple, Fact] = {}  # one cast fact per film and person: a named role first, then confidence
    for f in best.values():
        if f.p == "cast_member":
            rank = (bool(f.qualifiers.get("character")), f.confidence)
            held = roles.get((f.s, f.o))
            if held is None or rank > (bool(held.qualifiers.get("character")), held.confidence):
                roles[(f.s, f.o)] = f
    kept = [f for f in best.values() if f.p != "cast_member" or roles[(f.s, f.o)] is f]
    amounts: dict[tuple, Fact] = {}  # one fact per film and amount, keeping the most specific scope
    for f in kept:
        if f.p in ("budget", "box_office"):
            key = (f.s, f.p, f.o)
            if key not in amounts or len(f.qualifiers.get("scope") or "") > len(amounts[key].qualifiers.get("scope") or ""):
                amounts[key] = f
    return [f for f in kept if f.p not in ("budget", "box_office") or amounts[(f.s, f.p, f.o)] is f]
