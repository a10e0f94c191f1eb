"""The store's tables (SQLAlchemy Core) and the identity of a fact across documents."""
from __future__ import annotations

import hashlib

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

from .names import fold
from .types import Fact

NUMERIC_PREDICATES = ("budget", "box_office", "release_year")
# columns added after v0.1.0: (table, column, SQL type), added to older stores on open
ADDED_COLUMNS = (("documents", "extractor", "VARCHAR(64)"), ("documents", "format", "VARCHAR(16)"),
                 ("documents", "emphasis", "TEXT"), ("mentions", "norm", "TEXT"), ("evidence", "sources", "TEXT"),
                 ("quotes", "sources", "TEXT"))

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_key", String(255), nullable=False),  # the file stem
    Column("source", String(255), nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("sha256", String(64), nullable=False, unique=True),  # one document per content
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),  # ISO 8601, UTC
    Column("extractor", String(64)),  # reelgraph.version.extractor_version() that extracted it
    Column("format", String(16)),  # how `text` was read: text, markdown, auto, or html (text = its main text)
    Column("emphasis", Text),  # JSON [[start, end], ...]: title cues, kept for re-extraction
    sqlite_autoincrement=True,  # a replaced document gets a new id; old links never point at new text
)
document_paths = Table(  # which document each identity (resolved path or --key) holds now
    "document_paths", metadata,
    Column("path", String(1024), primary_key=True),
    Column("doc_key", String(255), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
)
entities = Table(
    "entities", metadata,
    Column("id", String(255), primary_key=True),  # the extractor's stable id
    Column("type", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("year", Integer),
    Column("catalog_key", String(255)),
    Index("ix_entities_name", "name"),
)
mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("entity_id", String(255), ForeignKey("entities.id"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),  # always the document's text[start:end]
    Column("norm", Text),  # the extractor's normalised form, where it differs
)
facts = Table(
    "facts", metadata,
    Column("id", Integer, primary_key=True),
    Column("fact_key", Text, nullable=False),  # (subject, p, object, character, scope), folded
    Column("s_id", String(255), index=True),
    Column("s", Text, nullable=False),  # the subject's label
    Column("p", String(64), nullable=False),
    Column("o", Text, nullable=False),
    Column("o_id", String(255), index=True),
    Column("o_num", Float),  # money and years, for range checks
    Column("qualifiers", Text, nullable=False, default="{}"),  # JSON object
    Index("ux_facts_fact_key", "fact_key", unique=True),
)
evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True),
    Column("fact_id", Integer, ForeignKey("facts.id"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),  # the supporting sentence
    Column("confidence", Float),
    Column("sources", Text),  # JSON list of the rule and model ids that found the fact here
    UniqueConstraint("fact_id", "document_id", name="uq_evidence_fact_document"),
)
quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("speaker", Text),
    Column("speaker_id", String(255), index=True),
    Column("outlet", Text),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("cue_text", Text),
    Column("confidence", Float),
    Column("sources", Text),  # JSON list of the rule and model ids that attributed it
)


def content_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fact_key(fact: Fact) -> str:
    """The identity of a fact across documents: who, what, which object, character and scope."""
    q = fact.qualifiers
    subject = fact.s_id or "~" + fold(fact.s)
    obj = fact.o_id or "~" + fold(str(plain_object(fact.o)))
    parts = [subject, fact.p, obj, fold(str(q.get("character") or "")), fold(str(q.get("scope") or ""))]
    key = " | ".join(parts)
    return key if len(key) <= 400 else "sha256:" + content_sha256(key)


def plain_object(o: str | int | float) -> str | int | float:
    return int(o) if isinstance(o, float) and o.is_integer() else o


def object_number(fact: Fact) -> float | None:
    if isinstance(fact.o, (int, float)) and not isinstance(fact.o, bool):
        return float(fact.o)
    if fact.p in NUMERIC_PREDICATES:
        try:
            return float(str(fact.o).replace(",", ""))
        except ValueError:
            return None
    return None


