"""Bounded work per document: long documents are cut into pieces, extracted piece by piece,
and the pieces' extractions merged back with offsets into the whole text.

Every article of the corpora is far below PIECE_CHARS, so ordinary documents are one piece
and extract exactly as before. A pathological input (megabytes on one line, thousands of names
in a row) costs time linear in its size and memory bounded by one piece. Pieces end at a
blank line if there is one in the second half of the window, else at a line break, a sentence
end or a space; names are linked within a piece, so a surname is resolved only against full
names of the same piece.

`time_budget` turns a document that runs past its budget into `BudgetExceeded`.
"""
from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from .errors import BudgetExceeded
from .types import Document, Entity, Extraction, Span

PIECE_CHARS = 20_000
_CUTS = (re.compile(r"\n[^\S\n]*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"')\]]*\s"), re.compile(r"\s"))


def piece_bounds(clean: str, size: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces covering `clean`, each at most `size` characters."""
    bounds, start, n = [], 0, len(clean)
    while n - start > size:
        window = clean[start + size // 2:start + size]
        cut = start + size
        for rx in _CUTS:
            found = None
            for found in rx.finditer(window):
                pass
            if found is not None:
                cut = start + size // 2 + found.end()
                break
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


def split_document(doc: Document, size: int | None = None) -> list[tuple[int, Document]]:
    """(offset, piece) pairs; a document no longer than `size` (PIECE_CHARS) is its own single piece."""
    size = size or PIECE_CHARS
    if len(doc.text) <= size:
        return [(0, doc)]
    out = []
    for s, e in piece_bounds(doc.clean, size):
        if not doc.clean[s:e].strip():
            continue
        out.append((s, Document(
            id=doc.id, text=doc.text[s:e], clean=doc.clean[s:e], source=doc.source, title=doc.title, url=doc.url,
            sha256=doc.sha256, emphasis=[(a - s, b - s) for a, b in doc.emphasis if s <= a and b <= e],
            paragraphs=[(a - s, b - s) for a, b in doc.paragraphs if s <= a and b <= e])))
    return out or [(0, doc)]


def merge_pieces(doc: Document, parts: list[tuple[int, Extraction]]) -> Extraction:
    """One extraction of `doc` from its pieces' extractions (offsets shifted into the whole text)."""
    if len(parts) == 1 and parts[0][0] == 0 and parts[0][1].doc is doc:
        return exact_spans(parts[0][1])
    from .extract import merge_facts

    entities: dict[str, Entity] = {}
    facts, quotes = [], []
    for off, ex in parts:
        for e in ex.entities:
            mentions = [_shift(m, off) for m in e.mentions]
            if e.id in entities:
                kept = entities[e.id]
                kept.mentions.extend(mentions)
                kept.year = kept.year or e.year
                kept.catalog_key = kept.catalog_key or e.catalog_key
                kept.catalog_year = kept.catalog_year or e.catalog_year
                kept.confidence = max(kept.confidence, e.confidence)
            else:
                entities[e.id] = replace(e, mentions=mentions)
        facts += [replace(f, evidence=_shift(f.evidence, off)) for f in ex.facts]
        quotes += [replace(q, span=_shift(q.span, off), cue=_shift(q.cue, off) if q.cue else None) for q in ex.quotes]
    return exact_spans(Extraction(doc=doc, entities=list(entities.values()), facts=merge_facts(facts), quotes=quotes))


def exact_spans(ex: Extraction) -> Extraction:
    """Every span's text becomes the article's text[start:end]; a differing (normalised) text the
    extractor gave moves to `norm`."""
    text = ex.doc.text

    def exact(span: Span | None) -> Span | None:
        if span is None or span.text == text[span.start:span.end]:
            return span
        return Span(span.start, span.end, text[span.start:span.end], norm=span.norm or span.text)

    for e in ex.entities:
        e.mentions = [exact(m) for m in e.mentions]
    ex.facts = [f if exact(f.evidence) is f.evidence else replace(f, evidence=exact(f.evidence)) for f in ex.facts]
    ex.quotes = [replace(q, span=exact(q.span), cue=exact(q.cue)) for q in ex.quotes]
    return ex


def _shift(span: Span, off: int) -> Span:
    return Span(span.start + off, span.end + off, span.text) if off else span


@contextmanager
def time_budget(seconds: float | None, where: str) -> Iterator[None]:
    """Raise BudgetExceeded inside the block once `seconds` have passed (SIGALRM: main thread on
    POSIX only; elsewhere, and with no budget, the block runs unbounded)."""
    usable = bool(seconds) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(_signum, _frame):
        raise BudgetExceeded(f"gave up on {where}: extraction took longer than the {seconds:g} s budget per document")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
