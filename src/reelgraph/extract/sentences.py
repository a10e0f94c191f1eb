"""Sentence frames: each sentence with its mentions replaced by typed slots.

"Michael Mann's Heat stars Al Pacino" becomes "⟦P0⟧'s ⟦F1⟧ stars ⟦P2⟧", so a rule is
a regular expression over mention types, never over particular names.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..names import film_label
from ..types import Document, Entity, Mention, Span

CODES = {"film": "F", "series": "F", "person": "P", "character": "C", "organization": "O",
         "publication": "U", "event": "E", "award": "A"}
SLOT = re.compile(r"⟦([A-Z])(\d+)⟧")


def slot(code: str, name: str = "") -> str:
    """Regex for one slot of a type; `name` makes it a named group holding the index."""
    inner = rf"(?P<{name}>\d+)" if name else r"\d+"
    return rf"⟦{code}{inner}⟧"


@dataclass
class Frame:
    """One sentence: its span, masked text and the mentions behind each slot."""

    start: int
    end: int
    text: str
    masked: str
    slots: list[Mention]
    focus: Entity | None = None  # the film the discourse is about when the sentence names none

    def mention(self, index: str | int) -> Mention:
        return self.slots[int(index)]

    def of_type(self, code: str) -> list[Mention]:
        return [self.slots[int(i)] for c, i in SLOT.findall(self.masked) if c == code]


@dataclass
class DocumentFrames:
    doc: Document
    frames: list[Frame]
    entities: dict[str, Entity] = field(default_factory=dict)

    def entity(self, m: Mention) -> Entity | None:
        return self.entities.get(m.entity_id or "")

    def label(self, m: Mention) -> str | None:
        e = self.entity(m)
        if e is None:
            return None
        return film_label(e.name, e.year) if e.type in ("film", "series") else e.name

    def evidence(self, frame: Frame) -> Span:
        return self.doc.span(frame.start, frame.end)


def build_frames(doc: Document, parsed: Doc, mentions: list[Mention], entities: list[Entity]) -> DocumentFrames:
    by_id = {e.id: e for e in entities}
    linked = sorted((m for m in mentions if m.entity_id in by_id), key=lambda m: m.start)
    main_film = _main_film(linked, by_id)
    frames: list[Frame] = []
    focus = main_film
    i = 0
    for sent in parsed.sents:
        start, end = sent.start_char, sent.end_char
        raw = doc.clean[start:end]
        if not raw.strip():
            continue
        while i < len(linked) and linked[i].start < start:
            i += 1
        inside = []
        j = i
        while j < len(linked) and linked[j].end <= end:
            inside.append(linked[j])
            j += 1
        frames.append(_frame(start, end, raw, inside, focus))
        films = [m for m in inside if CODES.get(m.type) == "F"]
        if films:
            focus = by_id[films[0].entity_id]
    return DocumentFrames(doc, frames, by_id)


def _frame(start: int, end: int, raw: str, inside: list[Mention], focus: Entity | None) -> Frame:
    parts, cursor = [], start
    for n, m in enumerate(inside):
        parts.append(raw[cursor - start:m.start - start])
        parts.append(f"⟦{CODES[m.type]}{n}⟧")
        cursor = m.end
    parts.append(raw[cursor - start:])
    masked = re.sub(r"\s+", " ", "".join(parts))
    return Frame(start, end, raw, masked, inside, focus)


def _main_film(mentions: list[Mention], by_id: dict[str, Entity]) -> Entity | None:
    counts = Counter(m.entity_id for m in mentions if CODES.get(m.type) == "F")
    if not counts:
        return None
    return by_id[counts.most_common(1)[0][0]]
