"""Outlets that no phrase in a quote's own sentence names: embedded posts and interviews.

Runs after the speakers are decided. An embedded post (a block quotation followed by a
"— Name (@handle) date" signature or a link to a platform) is that platform's. A quote with
no outlet inherits one from the same speaker's earlier quote in the same interview: the
outlet holds until another outlet is named, someone else is quoted, or many paragraphs pass;
beyond the next paragraph only where the article quotes that speaker from one outlet alone.
"""
from __future__ import annotations

from dataclasses import replace

from ..names import fold
from .quote_context import QuoteContext
from .quote_cues import EMBED_PLATFORMS

MAX_PARAGRAPHS = 12  # an interview's outlet holds at most this many paragraphs on


def embed_platform(ctx: QuoteContext, i: int) -> str | None:
    """The platform of an embedded post: a link to it on the quote's line, or, for a block
    quotation, in the signature lines that follow it."""
    q = ctx.quotes[i]
    text = ctx.doc.text
    a, b = ctx.lines[q.line]
    spans = [(q.end, b)]
    if q.block:
        n = q.line + 1
        while n < len(ctx.lines) and n <= q.line + 4:
            la, lb = ctx.lines[n]
            line = text[la:lb].strip()
            if line and not line.startswith(">"):
                break
            spans.append((la, lb))
            n += 1
    else:  # a quotation that is itself a link: '["...".](https://twitter.com/...)'
        spans = [(q.end, min(b, (q.close or q.end) + 12))]
    for s, e in spans:
        chunk = text[s:e].lower()
        for domain, platform in EMBED_PLATFORMS:
            if domain in chunk:
                return platform
    return None


def inherit_outlets(ctx: QuoteContext, results: list) -> list:
    """Each result given the platform of its embed, else the outlet of the same speaker's
    interview when nothing broke it."""
    out = list(results)
    outlets: dict[str, set[str]] = {}  # a speaker quoted from several outlets: a compiled piece
    for found in out:
        if found.speaker and found.outlet:
            outlets.setdefault(_key(found), set()).add(fold(found.outlet))
    for i, found in enumerate(out):
        if found.outlet:
            continue
        if platform := embed_platform(ctx, i):
            out[i] = replace(found, outlet=platform)
            continue
        if not found.speaker:
            continue
        if i == 0 or _key(out[i - 1]) != _key(found) or not out[i - 1].outlet:
            continue  # someone else (or nobody named) was quoted in between
        q, pq = ctx.quotes[i], ctx.quotes[i - 1]
        continued = q.line == pq.line or found.rule == "inherit"
        single = len(outlets.get(_key(found), ())) == 1 and q.line - pq.line <= MAX_PARAGRAPHS * 2
        if (continued or single) and not _outlet_between(ctx, pq.end, q.open):
            out[i] = replace(found, outlet=out[i - 1].outlet)
    return out


def _key(found) -> str:
    return found.speaker_id or fold(found.speaker or "")


def _outlet_between(ctx: QuoteContext, start: int, end: int) -> bool:
    return ctx._outlet_in(start, end) is not None
