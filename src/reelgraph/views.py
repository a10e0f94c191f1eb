"""Result types of the query API: plain dataclasses, each with `to_dict()` giving JSON-ready data.

`reelgraph.graph.Graph` builds them; the CLI, HTTP API and web pages render them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """JSON-ready data: like `dataclasses.asdict`, without its deep copies (several times faster)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if hasattr(kind, "__dataclass_fields__"):
        return {k: plain(v) for k, v in value.__dict__.items()}
    return value


class _Plain:
    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass
class DocumentRef(_Plain):
    id: int
    doc_key: str
    title: str | None
    source: str
    url: str | None


@dataclass
class EvidenceView(_Plain):
    document: DocumentRef
    start: int
    end: int
    text: str  # the supporting sentence
    confidence: float | None
    sources: list[str] = field(default_factory=list)  # rule and model ids that found it in this document


@dataclass
class FactView(_Plain):
    id: int
    s: str
    s_id: str | None
    p: str
    o: str
    o_id: str | None
    o_num: float | None
    qualifiers: dict[str, Any]
    evidence: list[EvidenceView]
    corroboration: int  # distinct documents that state it
    sources: list[str] = field(default_factory=list)  # rule and model ids, over all its evidence


@dataclass
class QuoteView(_Plain):
    id: int
    text: str
    speaker: str | None
    speaker_id: str | None
    outlet: str | None
    document: DocumentRef
    start: int
    end: int
    cue: dict[str, Any] | None
    confidence: float | None
    sources: list[str] = field(default_factory=list)  # rule and model ids that attributed it


@dataclass
class EntitySummary(_Plain):
    id: str
    type: str
    name: str
    year: int | None
    catalog_key: str | None
    facts: int
    documents: int
    matched: str | None = None  # in a search: the name or mention text that matched the query


@dataclass
class ContradictionValue(_Plain):
    value: str
    o_id: str | None
    fact_id: int
    evidence: list[EvidenceView]


@dataclass
class Contradiction(_Plain):
    subject: str
    subject_id: str | None
    predicate: str
    scope: str | None
    values: list[ContradictionValue]


@dataclass
class EntityCard:
    id: str
    type: str
    name: str
    year: int | None
    catalog_key: str | None
    facts: list[FactView]  # where it is the subject or the object
    quotes_by: list[QuoteView]  # said by it
    quotes_about: list[QuoteView]  # other quotes in documents that mention it
    documents: list[DocumentRef]
    contradictions: list[Contradiction]

    @property
    def quotes(self) -> list[QuoteView]:
        """Quotes said by this entity, then other quotes from articles that mention it."""
        return self.quotes_by + self.quotes_about

    def subject_facts(self) -> list[FactView]:
        return [f for f in self.facts if f.s_id == self.id]

    def object_facts(self) -> list[FactView]:
        return [f for f in self.facts if f.o_id == self.id and f.s_id != self.id]

    def to_dict(self) -> dict[str, Any]:
        out = plain(self)
        for fact, row in zip(self.facts, out["facts"]):
            row["role"] = "subject" if fact.s_id == self.id else "object"
        return out


@dataclass
class _DocumentHeader(_Plain):
    """The stored document's own columns, shared by the listing row and the full view."""

    id: int
    doc_key: str
    source: str
    title: str | None
    url: str | None
    sha256: str
    ingested_at: str


@dataclass
class DocumentSummary(_DocumentHeader):
    entities: int
    facts: int
    quotes: int


@dataclass
class DocumentView(_DocumentHeader):
    text: str
    mentions: list[dict[str, Any]] = field(default_factory=list)  # entity id/type/name + span
    facts: list[FactView] = field(default_factory=list)  # with all evidence; this document's highlights
    quotes: list[QuoteView] = field(default_factory=list)
