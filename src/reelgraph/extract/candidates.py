"""Relation candidates: every pair of typed mentions in a sentence that some predicate allows.

The hand rules (`facts.py`, `relations.py`) no longer decide: each fact a rule produces
becomes evidence on the candidate with the same (sentence, subject, predicate, object), and
a trained model (`learn/relations.py`) makes the call. A sentence pairs its mentions with the
film in focus where it does not name it, and its people with the runner-up for the focus
(`focus.FocusTracker.ranked`) as well, for the model to weigh; one that names films but no
person, and says "she" or "the actor", pairs its films with the person last named.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..types import Fact, Mention
from .facts import UNNAMED_SEQUEL, _names_unnamed_relative, first_mention, negated
from .sentences import CODES, DocumentFrames, Frame
from .status import fact_status

PERSON_PREDICATES = ("cast_member", "director", "screenwriter", "producer", "composer")
# (subject code, object code) -> predicates a pair of those slot types may hold
PAIR_PREDICATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("F", "P"): PERSON_PREDICATES + ("based_on", "inspired_by"),
    ("F", "O"): ("studio",),
    ("F", "F"): ("sequel_of", "remake_of", "based_on", "influenced_by"),
    ("F", "A"): ("award",),
    ("P", "A"): ("award",),
    ("F", "E"): ("festival",),
}
YEAR = re.compile(r"(?<![\d$£€.,])(?:19[0-9]\d|20[0-4]\d)(?![\d,]|s\b)")
HEADING = re.compile(r"^[^.!?\n]{2,80}$")  # a short line without a sentence stop
PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im|[Tt]he (?:actor|actress|star|director|filmmaker))\b")
PRONOUN_REACH = 3  # sentences back to the person a pronoun may stand for
NOMINATED = re.compile(r"\bnominat|\bnominee|\bshortlist|\bcontend", re.I)


@dataclass
class Candidate:
    """One (subject, predicate, object) reading of one sentence."""

    frame: int  # index into DocumentFrames.frames
    p: str
    s: Mention
    o: Mention | None  # None for literal objects (years, money)
    literal: Any = None
    s_is_focus: bool = False  # the subject is the film in focus, not named in the sentence
    s_runner_up: bool = False  # the subject is the runner-up for the focus (s_is_focus is set too)
    o_from: str = ""  # "" (named in the sentence), "event_focus", "heading" or "pronoun": carried from earlier text
    rules: dict[str, float] = field(default_factory=dict)  # rule id -> its confidence
    rule_facts: list[Fact] = field(default_factory=list)

    @property
    def s_id(self) -> str:
        return self.s.entity_id or ""

    @property
    def o_key(self) -> Any:
        return self.o.entity_id if self.o is not None else self.literal

    def key(self) -> tuple:
        return (self.frame, self.s_id, self.p, self.o_key)

    def fact_key(self) -> tuple:
        """The document-level fact this candidate argues for."""
        return (self.s_id, self.p, self.o_key)


def _code(m: Mention) -> str:
    return CODES.get(m.type, "?")


def enumerate_candidates(frames: DocumentFrames, rule_facts: list[tuple[str, Fact]]) -> list[Candidate]:
    """All candidates of a document: typed pairs in each sentence, plus every rule fact."""
    by_key: dict[tuple, Candidate] = {}
    frame_at = {(f.start, f.end): i for i, f in enumerate(frames.frames)}
    heading_award: Mention | None = None
    last_person: tuple[int, Mention] | None = None  # (frame index, mention) of the person last named
    for i, frame in enumerate(frames.frames):
        if HEADING.match(frame.text):  # a list heading ("Best Director") holds for the items below it
            awards = [m for m in frame.slots if _code(m) == "A"]
            heading_award = awards[0] if awards else None
        people = [m for m in frame.slots if _code(m) == "P" and m.entity_id]
        # "X passed on Y", "a sequel to Y with Z directing": no pair in such a sentence states a fact
        if not (negated(frame) or UNNAMED_SEQUEL.search(frame.text) or _names_unnamed_relative(frame)):
            found = list(_pairs(frames, frame, i, heading_award))
            if not people and last_person is not None and i - last_person[0] <= PRONOUN_REACH \
                    and PRONOUN.search(frame.text):  # "She starred in X": X with the person last named
                found += _pronoun_pairs(frame, i, last_person[1])
            for cand in found:
                by_key.setdefault(cand.key(), cand)
        if people:
            last_person = (i, people[-1])
    for rule_id, fact in rule_facts:
        i = frame_at.get((fact.evidence.start, fact.evidence.end))
        if i is None or not fact.s_id:
            continue
        frame = frames.frames[i]
        o_key = fact.o_id if fact.o_id else fact.o
        cand = by_key.get((i, fact.s_id, fact.p, o_key))
        if cand is None:
            s = _slot_of(frame, fact.s_id)
            focus = s is None
            s = s or _entity_mention(frames, fact.s_id)
            o = _slot_of(frame, fact.o_id) if fact.o_id else None
            if s is None or (fact.o_id and o is None and frames.entities.get(fact.o_id) is None):
                continue
            if fact.o_id and o is None:
                o = _entity_mention(frames, fact.o_id)
            cand = Candidate(i, fact.p, s, o, None if fact.o_id else fact.o, s_is_focus=focus)
            by_key[cand.key()] = cand
        cand.rules[rule_id] = max(cand.rules.get(rule_id, 0.0), fact.confidence)
        cand.rule_facts.append(fact)
    return list(by_key.values())


def _pairs(frames: DocumentFrames, frame: Frame, index: int, heading_award: Mention | None):
    slots = [m for m in frame.slots if m.entity_id]
    films = [m for m in slots if _code(m) == "F"]
    subjects = list(films)
    focus = first_mention(frame.focus)
    if focus is not None and all(m.entity_id != focus.entity_id for m in films):
        subjects.append(focus)
    else:
        focus = None
    second = first_mention(frame.runner_up)
    if second is not None and all(m.entity_id != second.entity_id for m in subjects):
        subjects.append(second)  # the model weighs it against the film in focus
    else:
        second = None
    for s in subjects + [m for m in slots if _code(m) == "P"]:
        for o in slots:
            if o is s or o.entity_id == s.entity_id:
                continue
            for p in PAIR_PREDICATES.get((_code(s), _code(o)), ()):
                if s is second and p not in PERSON_PREDICATES:
                    continue  # the runner-up stands in for cast and crew only: elsewhere it lost facts in CV
                yield Candidate(index, p, s, o, s_is_focus=s is focus or s is second, s_runner_up=s is second)
    carried = []
    event = frames.entities.get(frame.event_focus or "")
    if event is not None and event.mentions and not any(_code(m) == "E" for m in slots):
        first = event.mentions[0]
        carried.append((Mention(first.start, first.end, first.text, "event", year=event.year, entity_id=event.id),
                        "festival", "event_focus"))
    if heading_award is not None and heading_award not in slots:
        carried.append((heading_award, "award", "heading"))
    for o, p, origin in carried:
        for s in films + ([m for m in slots if _code(m) == "P"] if p == "award" else []):
            yield Candidate(index, p, s, o, o_from=origin)
    for s in (s for s in subjects if s is not second):
        for hit in YEAR.finditer(frame.text):
            yield Candidate(index, "release_year", s, None, int(hit.group(0)), s_is_focus=s is focus)


def _pronoun_pairs(frame: Frame, index: int, person: Mention):
    for s in (m for m in frame.slots if _code(m) == "F" and m.entity_id):
        for p in ("cast_member", "director"):
            yield Candidate(index, p, s, person, o_from="pronoun")


def _slot_of(frame: Frame, entity_id: str | None) -> Mention | None:
    return next((m for m in frame.slots if entity_id and m.entity_id == entity_id), None)


def _entity_mention(frames: DocumentFrames, entity_id: str) -> Mention | None:
    return first_mention(frames.entities.get(entity_id))


def candidate_fact(frames: DocumentFrames, cand: Candidate, confidence: float, sources: list[str]) -> Fact | None:
    """The fact a kept candidate states; qualifiers come from the rules where they fired."""
    s_label = frames.label(cand.s)
    o_label = frames.label(cand.o) if cand.o is not None else cand.literal
    if s_label is None or o_label is None:
        return None
    frame = frames.frames[cand.frame]
    qualifiers: dict[str, Any] = {}
    for fact in cand.rule_facts:
        for k, v in fact.qualifiers.items():
            if v is not None and qualifiers.get(k) is None:
                qualifiers[k] = v
    if cand.p == "cast_member":
        qualifiers.setdefault("character", _character_near(frames, frame, cand.o))
    if cand.p == "award" and "outcome" not in qualifiers:
        qualifiers["outcome"] = "nominated" if NOMINATED.search(frame.text) else "won"
    if not cand.rule_facts:
        status = fact_status(frames, frame, cand.s, cand.p)
        if status:
            qualifiers["status"] = status
    return Fact(s=s_label, p=cand.p, o=o_label, evidence=frames.evidence(frame), confidence=confidence,
                qualifiers=qualifiers, s_id=cand.s.entity_id, o_id=cand.o.entity_id if cand.o else None,
                sources=sources)


def _character_near(frames: DocumentFrames, frame: Frame, person: Mention | None) -> str | None:
    """A character slot right beside the person: "C (P)", "P as C", "P's C", "P plays C"."""
    if person is None or person not in frame.slots:
        return None
    idx = frame.slots.index(person)
    m = re.search(rf"⟦C(\d+)⟧ \((?:[^)⟦]{{0,30}})?⟦P{idx}⟧|⟦P{idx}⟧(?: \([^)]*\))?,? (?:[a-z]+ ){{0,3}}?(?:as|plays|played|playing|voices|portrays)"
                  rf" (?:[a-z-]+ ){{0,3}}?⟦C(\d+)⟧|⟦P{idx}⟧'s? (?:[a-z-]+ )?⟦C(\d+)⟧", frame.masked)
    if not m:
        return None
    c = frame.slots[int(next(g for g in m.groups() if g is not None))]
    entity = frames.entity(c)
    return entity.name if entity is not None else c.text
