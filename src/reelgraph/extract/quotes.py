"""Quote stage: find direct quotations in a document and attribute them (FACTS.md, "Quotes").

Detection scans `Document.text` line by line, once, for quotation marks (straight, curly,
UK single quotes) and Markdown block quotes; `attribution.py` then finds who said each one
and to which outlet. Offsets index `Document.text`; `Document.clean` (boilerplate blanked)
decides what counts as article content.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc

from ..names import fold, slug, strip_accents
from ..types import Document, Entity, Quote, Span
from .attribution import Attributor
from .quote_outlets import inherit_outlets
from .quote_types import RawQuote, lines_of
from .speaker_roles import BYLINE

MIN_WORDS = 4
DUPLICATE_OVERLAP = 0.8

_DOUBLE_OPEN, _DOUBLE_CLOSE = "\u201c\u201e\u00ab", "\u201d\u00bb"
_SINGLE_OPEN, _SINGLE_CLOSE = "\u2018\u2039", "\u2019\u203a"
_OPEN_AFTER = set(" \t([{\u2014\u2013/\u201c\"\u2018'")  # characters that may precede an opening mark
_CLOSE_BEFORE = set(" \t,.;:!?)]}\u201d\"\u2014\u2013-\u2026\u2019'")  # ... and follow a closing one
_ELISION = re.compile(r"(?:\d\ds?\b|(?:em|cause|til|tis|twas|n|bout|round)\b)", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:['\u2019\u00b4]\w+)*")
_POSSESSIVE_BEFORE = re.compile(r"(?<![\w'\u2019])(?!(?:it|that|he|she|there|what|who|here|where|let|this)\W)"
                                r"(\w+)(?:['\u2019\u00b4]s|s['\u2019\u00b4])\s*$", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)\)")
_MD_MARKS = re.compile(r"(?<![\w])[_*]+|[_*]+(?![\w])")
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}|<[^<>\n]{1,200}>")
_TITLE_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "from", "by", "&"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "gov", "sen", "rep", "prof", "lord", "lady"}


# ----------------------------------------------------------------------------- views

def plain_view(doc: Document) -> str:
    """`doc.clean` with any Markdown link targets, emphasis marks and shortcodes still there
    blanked (same length), so name patterns read "[Variety](url)" as "Variety"."""
    view = _SHORTCODE.sub(lambda m: " " * len(m.group()), _restore_block_quotes(doc))
    view = _MD_LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group()) - len(m.group(1)) - 1), view)
    view = _MD_MARKS.sub(lambda m: " " * len(m.group()), view)
    return view.replace("\u00b4", "'")


def _restore_block_quotes(doc: Document) -> str:
    """A block quotation is a quotation even where the read stage blanked it as a repeat of
    the body (a pull quote): bring back such '>' lines that sit between content lines.
    Repeats of other quotes are dropped later by `drop_duplicates`."""
    clean, text = doc.clean, doc.text
    spans = [(a, b) for a, b in lines_of(text) if text[a:b].strip()]
    out: list[str] | None = None
    for k, (a, b) in enumerate(spans):
        stripped = text[a:b].lstrip()
        if not stripped.startswith(">") or clean[a:b].strip():
            continue
        before = k > 0 and clean[slice(*spans[k - 1])].strip()
        after = k + 1 < len(spans) and clean[slice(*spans[k + 1])].strip()
        if before or after:
            out = out if out is not None else list(clean)
            body = a + len(text[a:b]) - len(stripped) + 1
            out[body:b] = text[body:b].replace("\u2019", "'")
    return clean if out is None else "".join(out)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


# ----------------------------------------------------------------------------- detection

def _single_marks(text: str, start: int, end: int, closer: str) -> tuple[list[int], list[int]]:
    """Strong and weak closing positions of one single-quote kind in text[start:end]."""
    strong, weak = [], []
    for i in range(start, end):
        if text[i] != closer:
            continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if prev.isspace() or (prev.isalnum() and nxt.isalnum()):
            continue  # an opening mark or an apostrophe inside a word
        if nxt not in _CLOSE_BEFORE and not nxt.isspace():
            continue
        plural_possessive = prev in "sS" and nxt.isspace() and text[i + 2:i + 3].islower()
        (weak if plural_possessive else strong).append(i)
    return strong, weak


def _is_opener(text: str, i: int, line_start: int, end: int) -> bool:
    prev = text[i - 1] if i > line_start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    if nxt.isspace() or prev not in _OPEN_AFTER:
        return False
    return not _ELISION.match(text, i + 1)


def _scan_line(text: str, start: int, end: int, line: int, next_opens: bool) -> list[RawQuote]:
    """Quoted segments of one line. An unclosed double quote runs to the next opening mark or
    the line's end; an unclosed single quote only does so where it is clearly a quotation."""
    found: list[RawQuote] = []
    d_close = [i for i in range(start, end) if text[i] in _DOUBLE_CLOSE or
               (text[i] == '"' and i > start and not text[i - 1].isspace())]
    d_open = [i for i in range(start, end) if text[i] in _DOUBLE_OPEN or
              (text[i] == '"' and _is_opener(text, i, start, end))]
    singles = {c: _single_marks(text, start, end, c) for c in ("'", "\u2019")}
    i = start
    while i < end:
        c = text[i]
        if c in _DOUBLE_OPEN or (c == '"' and _is_opener(text, i, start, end)):
            k = bisect_right(d_close, i)
            close = d_close[k] if k < len(d_close) else None
            k = bisect_right(d_open, i)
            reopen = d_open[k] if k < len(d_open) else None
            if close is not None and (reopen is None or close <= reopen):
                found.append(RawQuote(i + 1, close, i, close, line))
                i = close + 1
                continue
            stop = reopen if reopen is not None else end
            found.append(RawQuote(i + 1, stop, i, None, line))
            i = stop
            continue
        if (c in _SINGLE_OPEN or c == "'") and _is_opener(text, i, start, end):
            strong, weak = singles["'" if c == "'" else "\u2019"]
            k = bisect_right(strong, i + 1)
            close = strong[k] if k < len(strong) else None
            if close is None:
                k = bisect_right(weak, i + 1)
                close = weak[k] if k < len(weak) else None
            if close is not None:
                found.append(RawQuote(i + 1, close, i, close, line))
                i = close + 1
                continue
            lead = text[start:i].rstrip()
            if not lead or lead.endswith(":") or next_opens:
                found.append(RawQuote(i + 1, end, i, None, line))
                break
        i += 1
    return found


def _starts_with_opener(text: str, start: int, end: int) -> bool:
    head = text[start:end].lstrip()
    return bool(head) and (head[0] in _DOUBLE_OPEN + _SINGLE_OPEN + "\"'")


def detect_quotes(doc: Document, view: str | None = None) -> list[RawQuote]:
    """Every quoted segment of the document's content, in text order (no filtering)."""
    text = doc.text
    view = plain_view(doc) if view is None else view
    spans = lines_of(text)
    content = [bool(view[a:b].strip()) for a, b in spans]
    found: list[RawQuote] = []
    nxt = None  # index of the next content line, found walking backwards
    following: list[int | None] = [None] * len(spans)
    for n in range(len(spans) - 1, -1, -1):
        following[n] = nxt
        if content[n]:
            nxt = n
    for n, (a, b) in enumerate(spans):
        if not content[n]:
            continue
        stripped = text[a:b].lstrip()
        if stripped.startswith(">"):
            body = a + (b - a - len(stripped)) + 1
            found.append(RawQuote(body, b, body - 1, None, n, block=True))
            continue
        f = following[n]
        next_opens = f is not None and _starts_with_opener(text, *spans[f])
        found.extend(_scan_line(text, a, b, n, next_opens))
    return [_trim(q, text) for q in found]


def _trim(q: RawQuote, text: str) -> RawQuote:
    start, end = q.start, q.end
    while start < end and (text[start].isspace() or (q.block and text[start] in "\u201c\u2018\"")):
        start += 1
    while end > start and (text[end - 1].isspace() or (q.block and text[end - 1] in "\u201d\u2019\"")):
        end -= 1
    q.start, q.end = start, end
    return q


# ----------------------------------------------------------------------------- filtering

def _is_title(words: list[str]) -> bool:
    """Title case throughout ("Conversations with the Enemy"): a work's name, not speech."""
    if len(words) > 10:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _TITLE_SMALL for w in words)


def keep_quote(doc: Document, view: str, q: RawQuote) -> bool:
    """Skip short phrases, titles, names used as nouns ("Wallace's 'stand at the door'")
    and segments in blanked (boilerplate) text."""
    body = doc.text[q.start:q.end]
    words = _WORD.findall(view[q.start:q.end]) or []
    if len(words) < MIN_WORDS:
        return False
    if len(view[q.start:q.end].strip()) < 0.5 * len(body.strip()):
        return False  # mostly boilerplate or markup
    if not q.block and _POSSESSIVE_BEFORE.search(doc.text[max(0, q.open - 40):q.open]):
        return False
    if _is_title(words):
        return False
    if q.block and BYLINE.match(doc.text, q.open):
        return False  # an embedded post's signature ("— Name (@handle) date"), not speech
    return not any(abs(a - q.start) <= 1 and abs(b - q.end) <= 2 for a, b in doc.emphasis)


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


def _overlap(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    return sum((Counter(a) & Counter(b)).values()) / min(len(a), len(b))


def drop_duplicates(quotes: list[Quote], blocks: list[bool]) -> list[Quote]:
    """Pull quotes and repeated captions: of two quotes sharing 80% of the shorter one's words,
    keep the running-text one over a block quote, else the longer, else the first. Candidates
    come from shared word trigrams, so only plausible pairs are compared."""
    words = [_WORD.findall(strip_accents(q.text.replace("\u2019", "'")).lower()) for q in quotes]
    index: dict[tuple[str, ...], list[int]] = {}
    alive = [True] * len(quotes)
    for i, w in enumerate(words):
        rivals = {j for s in _shingles(w) for j in index.get(s, ()) if alive[j]}
        for j in sorted(rivals):
            if not alive[i] or _overlap(w, words[j]) < DUPLICATE_OVERLAP:
                continue
            keep_i = (blocks[j] and not blocks[i]) or (blocks[i] == blocks[j] and len(w) > len(words[j]))
            alive[j if keep_i else i] = False
        if alive[i]:
            for s in _shingles(w):
                index.setdefault(s, []).append(i)
    return [q for q, ok in zip(quotes, alive) if ok]


# ----------------------------------------------------------------------------- people fallback

def _person_name(text: str) -> tuple[str, str]:
    """(name, owned): "Michael Mann's Heat" -> ("Michael Mann", "Heat"); honorifics dropped."""
    parts = re.split(r"['\u2019\u00b4]s?(?:\s+|$)", text.strip(), maxsplit=1)
    name = parts[0].strip(" ,.;:-\u2013\u2014\"'")
    words = name.split()
    while words and words[0].rstrip(".").lower() in _HONORIFICS:
        words = words[1:]
    return " ".join(words), (parts[1].strip() if len(parts) > 1 else "")


def people_from_parse(parsed: Doc) -> list[Entity]:
    """Person entities from spaCy's PERSON names, for when no entity stage ran: each full name
    with its mentions; a surname, first name or shorter tail ("De Niro") joins the full name
    it abbreviates (the latest one mentioned when several). Names seen only as the thing
    a person owns ("Mann's Heat") are not people."""
    found: list[tuple[str, Span]] = []
    owned: set[str] = set()
    for ent in parsed.ents:
        if ent.label_ != "PERSON" or (ent.start > 0 and parsed[ent.start - 1].lower_ in ("the", "a", "an")):
            continue  # "the Loft": a place or a title
        name, rest = _person_name(ent.text)
        if rest:
            owned.add(fold(rest))
        if not name or not name[0].isupper() or any(ch.isdigit() for ch in name):
            continue
        start = ent.start_char + max(0, ent.text.find(name.split()[0]))
        found.append((name, Span(start, start + len(name), parsed.text[start:start + len(name)])))
    entities: dict[tuple[str, ...], Entity] = {}
    for name, _ in sorted(found, key=lambda f: -len(f[0].split())):
        key = tuple(fold(name).split())
        if key in entities or any(k[-len(key):] == key or k[:1] == key for k in entities if len(k) > len(key)):
            continue
        if len(key) == 1 and key[0] in owned:
            continue
        entities[key] = Entity(f"person:{slug(name)}", "person", name)
    for name, span in sorted(found, key=lambda f: f[1].start):
        key = tuple(fold(name).split())
        options = [k for k in entities if k == key or (len(k) > len(key) and (k[-len(key):] == key or k[:1] == key))]
        if not options:
            continue
        best = max(options, key=lambda k: (k == key, max((m.start for m in entities[k].mentions), default=-1)))
        entities[best].mentions.append(span)
    people = [e for e in entities.values() if e.mentions]
    return sorted(people, key=lambda e: e.mentions[0].start)


# ----------------------------------------------------------------------------- public API

def attribute_quotes(doc: Document, parsed: Doc, people: Sequence[Entity], publications: Sequence[Entity] = (),
                     roles: dict[str, str] | None = None) -> tuple[Attributor, list[RawQuote], list]:
    """The kept quoted segments of `doc` and the rules' attribution of each (in text order)."""
    if not isinstance(doc, Document):
        raise TypeError(f"extract_quotes needs a Document, got {type(doc).__name__}")
    if len(parsed.text) != len(doc.text):
        raise ValueError("the parse does not cover this document (lengths differ)")
    view = plain_view(doc)
    raw = detect_quotes(doc, view)
    kept = [q for q in raw if keep_quote(doc, view, q)]
    attributor = Attributor(doc, parsed, view, kept, people, publications, all_quotes=raw)
    attributor.roles = roles or {}
    # in order: later segments inherit from earlier ones
    return attributor, kept, [attributor.attribute(i) for i in range(len(kept))]


def extract_quotes(doc: Document, parsed: Doc, people: Sequence[Entity], publications: Sequence[Entity] = (),
                   roles: dict[str, str] | None = None, speakers=None) -> list[Quote]:
    """Direct quotations of `doc` with speaker, outlet and cue, in text order. `roles` maps a
    person id to what the article calls them ("director", "actor"), for "the actor said";
    `speakers` is a trained speaker ranker (`learn/speakers.py`) that re-decides the rules' choice."""
    attributor, kept, results = attribute_quotes(doc, parsed, people, publications, roles)
    sources = [[f"attribution.{found.rule}"] for found in results]
    if speakers is not None:
        results, sources = speakers.rerank(attributor, results)
    results = inherit_outlets(attributor, results)
    quotes = [Quote(text=doc.text[q.start:q.end], span=doc.span(q.start, q.end), speaker=found.speaker,
                    outlet=found.outlet, cue=found.cue, speaker_id=found.speaker_id, confidence=found.confidence,
                    sources=src)
              for q, found, src in zip(kept, results, sources)]
    return drop_duplicates(quotes, [q.block for q in kept])
