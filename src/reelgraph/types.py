"""Plain data types that cross stage boundaries: no I/O here.

Every offset is a character offset into `Document.text`, the article text as read
(the file's text for .txt/.md, trafilatura's main text for HTML).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .vocab import ENTITY_TYPES, FACT_STATUSES, PREDICATES, QUALIFIERS  # noqa: F401 - re-exported


@dataclass(frozen=True)
class Span:
    """A half-open character interval [start, end) with the text it covers."""

    start: int
    end: int
    text: str
    norm: str | None = None  # a normalised form ("Palme d'Or"), when it differs from text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.norm is not None:
            out["norm"] = self.norm
        return out


@dataclass
class Document:
    """One article. `clean` is a same-length view of `text` used for analysis:
    markup characters and boilerplate are blanked with spaces, curly apostrophes
    straightened, so every offset in `clean` is an offset in `text`."""

    id: str
    text: str
    clean: str
    source: str = "-"
    title: str | None = None
    url: str | None = None
    sha256: str = ""
    emphasis: list[tuple[int, int]] = field(default_factory=list)  # italic/bold title cues
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # kept (non-boilerplate) blocks

    def __post_init__(self) -> None:
        if len(self.clean) != len(self.text):
            raise ValueError("Document.clean must be as long as Document.text")

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    @property
    def emphasis_starts(self) -> frozenset[int]:
        """Where an italic or bold span begins: a title cue, never a person's."""
        return frozenset(start for start, _ in self.emphasis)


KEPT_BY_MODEL = "people-model"  # the cue of a one-word name that the learned people stage keeps


@dataclass
class Mention:
    """A typed name found in the text, before linking. `cue` says why it was recognised."""

    start: int
    end: int
    text: str
    type: str
    year: int | None = None
    cue: str = ""
    entity_id: str | None = None  # set by the link stage
    name: str | None = None  # the full name where the text gives part of it ("Joel" of "Joel and Ethan Coen")

    @property
    def full_name(self) -> str:
        return self.name or self.text

    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass
class Entity:
    id: str
    type: str
    name: str
    year: int | None = None
    mentions: list[Span] = field(default_factory=list)
    catalog_key: str | None = None
    confidence: float = 1.0
    catalog_year: int | None = None  # the linked catalog film's year; `year` is only what the text states

    @property
    def known_year(self) -> int | None:
        """The text's year, else the linked catalog film's: for telling films apart and for the graph's
        display, never as an extracted year."""
        return self.year or self.catalog_year

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "name": self.name, "year": self.year,
            "catalog_key": self.catalog_key, "catalog_year": self.catalog_year,
            "confidence": round(self.confidence, 3),
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass
class Fact:
    s: str  # "Title (Year)", "Title" or a person's canonical name
    p: str
    o: str | int
    evidence: Span
    confidence: float = 0.8
    qualifiers: dict[str, Any] = field(default_factory=dict)
    s_id: str | None = None
    o_id: str | None = None
    sources: list[str] = field(default_factory=list)  # ids of the rules and models that produced it

    def key(self) -> tuple:
        q = self.qualifiers
        return (self.s, self.p, self.o, q.get("character"), q.get("scope"))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"s": self.s, "p": self.p, "o": self.o}
        out.update(self.qualifiers)
        out.update({"s_id": self.s_id, "o_id": self.o_id, "confidence": round(self.confidence, 3),
                    "evidence": self.evidence.to_dict(), "sources": list(self.sources)})
        return out


@dataclass
class Quote:
    text: str
    span: Span  # the words between the marks
    speaker: str | None = None
    outlet: str | None = None
    cue: Span | None = None  # the attribution words ("Mann said", "told Variety")
    speaker_id: str | None = None
    confidence: float = 0.8
    sources: list[str] = field(default_factory=list)  # ids of the rules and models that attributed it

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "speaker": self.speaker, "outlet": self.outlet,
            "speaker_id": self.speaker_id, "confidence": round(self.confidence, 3),
            "evidence": self.span.to_dict(), "cue": self.cue.to_dict() if self.cue else None,
            "sources": list(self.sources),
        }


@dataclass
class Extraction:
    """Everything extracted from one document, in the gold shape of FACTS.md plus ids and evidence."""

    doc: Document
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc.id, "source": self.doc.source, "title": self.doc.title,
            "url": self.doc.url, "sha256": self.doc.sha256,
            "entities": [e.to_dict() for e in self.entities],
            "facts": [f.to_dict() for f in self.facts],
            "quotes": [q.to_dict() for q in self.quotes],
        }

