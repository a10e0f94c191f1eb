"""Read stage, boilerplate part: paragraphs of the clean view, and the blanking of bylines,
"RELATED:" links, share prompts, comment footers, credits, link rails and captions that only
repeat the body. Everything here works on the same-length character list of `read.py`."""
from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz


def blank(chars: list[str], start: int, end: int) -> None:
    """Spaces over chars[start:end], newlines kept."""
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


# ---------------------------------------------------------------- paragraphs

def _continues(prev: str, nxt: str) -> bool:
    """A hard-wrapped line: long, no closing punctuation, next line starts in lower case."""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    return len(prev) >= 60 and prev[-1] not in ".!?:;\"')]…”’*" and nxt[:1].islower()


_BLOCK = re.compile(r"\S[^\n]*(?:\n[^\S\n]*\S[^\n]*)*")  # lines up to a blank line


def paragraphs(clean: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank block: blank-line separated, each line its own
    paragraph unless it is a hard-wrapped continuation; trimmed of blank edges."""
    out = []
    for m in _BLOCK.finditer(clean):
        start = pos = m.start()
        lines = m.group().split("\n")
        for k, line in enumerate(lines):
            end = pos + len(line)
            if k + 1 == len(lines) or not _continues(line, lines[k + 1]):
                out.append(trim(clean, start, end))
                start = end + 1
            pos = end + 1
    return out


def trim(clean: str, start: int, end: int) -> tuple[int, int]:
    while start < end and clean[start].isspace():
        start += 1
    while end > start and clean[end - 1].isspace():
        end -= 1
    return start, end


# ---------------------------------------------------------------- boilerplate

_I = re.I
_NAME = r"[A-Z][\w.'-]*(?:[ \t]+(?:[A-Z][\w.'-]*|and|&|de|da|van|von|der|le|la|del|di|bin|al)){0,5}"
_LINE_RULE = re.compile("|".join(f"(?i:{p})" if f else f"(?:{p})" for p, f in (
    (r"(?:related|read more|read also|also read|see also|more from|recommended|recommended reading)\s*:.*", _I),
    (r"(?:share (?:this|on|via)\b|click to (?:share|print|email)\b|sign up (?:for|to)\b|subscribe (?:to|for|now)\b"
     r"|follow us\b|scroll down for\b|story continues below\b).{0,120}", _I),
    (r"(?:share|tweet|email|print|pin it|advertisement|comments?|\d+ comments?|leave a (?:comment|reply)"
     r"|join the (?:discussion|conversation)|discussion about this (?:post|article))\.?", _I),
    (rf"By[ \t]+{_NAME}(?:[ \t]*(?:[|•–—-]|[Ff]or\b|,[ \t]*(?:Staff|Senior|Contributing|Special)\b).{{0,150}})?", 0),
    (r"(?:first |last )?(?:published|updated|posted)(?: on)?\s*:.{0,80}\d.{0,80}", _I),
    (r"(?:first |last )?(?:published|updated|posted)(?: on)?\s+[^.]{0,50}\d[^.]{0,30}", _I),  # no full stop
    (r"(?:TODO|FIXME|TK|XXX)\b\s*[:\-].*", 0),
    (r"\(?(?:photo|photograph|photos|image|picture)s?\s*(?:credits?\s*)?:.{1,200}", _I),
    (r"\(?(?:image|photo|picture) (?:credit|courtesy|via)\b.{1,200}", _I),
)))
_FOOTER = re.compile(r"(?:discussion about this (?:post|article)|join the (?:discussion|conversation)"
                     r"|leave a (?:comment|reply)|\d+ comments?|comments are closed|(?:show|view|load) comments)\.?", _I)
_INLINE_CREDIT = re.compile(r"\((?:image|photo|photograph|picture)s?(?:\s*credits?\s*:|\s*:|\s+(?:courtesy|by|via)\b)"
                            r"[^()\n]{1,150}\)", _I)
_LINK_ITEM = re.compile(r"[ \t]*(?:[*+-]|\d+[.)])[ \t]+\[[^\]\n]+\]\([^)\n]*\)[ \t]*")
_LABEL = re.compile(r"([A-Z][\w'&.-]*(?:[ \t]+[\w'&.-]+){0,5})[ \t]*:[ \t]+(\S.*)", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])['\"”’)]*\s+")
_PIECE_END = re.compile(_SENTENCE_END.pattern + r"|:\s+")
_QUOTE_MARKS = "'\"“‘"
_CAPTION_GLUE = re.compile(r"\((?:pictured|left|right|centre|center|above|below|top|bottom|inset)\b[^()\n]{0,60}\)", _I)
_COMMON_TOKEN = 50  # tokens in more paragraphs than this say nothing about which one matches


def blank_boilerplate(text: str, chars: list[str]) -> None:
    clean = "".join(chars)
    for m in _INLINE_CREDIT.finditer(clean):
        blank(chars, m.start(), m.end())
    for m in re.finditer(r"[^\n]+", clean):
        s, e = m.span()
        line = m.group().strip()
        if (_FOOTER.fullmatch(line) or line.lower() in ("comments", "comment")) and s > len(clean) // 2:
            blank(chars, s, len(chars))  # a comment section runs to the end
            break
        if len(line) <= 300 and _LINE_RULE.fullmatch(line):
            blank(chars, s, e)
    _blank_link_rails(text, chars)
    _blank_repeats(chars)


def _blank_link_rails(text: str, chars: list[str]) -> None:
    """Blank blocks made only of link bullets ("more news" rails) and their short heading."""
    prev: tuple[int, int] | None = None
    for m in _BLOCK.finditer(text):
        s, e = m.span()
        lines = [line for line in m.group().split("\n") if line.strip()]
        if lines and all(_LINK_ITEM.fullmatch(line) for line in lines):
            blank(chars, s, e)
            head = text[prev[0]:prev[1]].strip() if prev else ""
            if head and "\n" not in head and len(head.split()) <= 6 and head[-1] not in ".!?\"'”’":
                blank(chars, prev[0], prev[1])
        prev = (s, e)


def _fold(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", s.lower()).split())


def _pieces(s: str, colons: bool) -> list[str]:
    """Folded sentences (and colon-separated parts) of 5+ words; a lead-in to a quote is skipped."""
    s = _CAPTION_GLUE.sub(" ", s)
    rx = _PIECE_END if colons else _SENTENCE_END
    parts = rx.split(s)
    seps = [m.group() for m in rx.finditer(s)]
    out = []
    for i, part in enumerate(parts):
        intro = i < len(seps) and seps[i].startswith(":") and parts[i + 1][:1] in _QUOTE_MARKS
        if not intro and len(part.split()) >= 5:
            out.append(_fold(part))
    return out


def _blank_repeats(chars: list[str]) -> None:
    """Blank captions and copies that only repeat other paragraphs. Each sentence is looked
    up through an index of its rarest words, then checked with rapidfuzz: near-linear."""
    clean = "".join(chars)
    paras = paragraphs(clean)
    texts = [clean[s:e] for s, e in paras]
    folded = [_fold(t) if t.count(" ") >= 4 else "" for t in texts]  # under 5 words: never compared
    words = [{w for w in f.split() if len(w) > 3} for f in folded]
    index: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        for w in ws:
            index.setdefault(w, []).append(i)
    labelled = {}
    for i, t in enumerate(texts):
        m = _LABEL.fullmatch(t)
        if (m and "\n" not in t and len(m.group(1)) <= 40 and m.group(2)[0] not in _QUOTE_MARKS
                and len(m.group(2).split()) >= 8):  # short rests are list data ("Best Actor: X")
            labelled[i] = m.group(2)
    excluded = set(labelled)  # captions and dropped copies never count as the body

    def covered(piece: str, own: int, min_len: int) -> bool:
        toks = {w for w in piece.split() if len(w) > 3}
        rare = sorted((w for w in toks if 0 < len(index.get(w, ())) <= _COMMON_TOKEN), key=lambda w: len(index[w]))
        votes = Counter(j for w in rare[:8] for j in index[w] if j != own and j not in excluded)
        for j, _ in votes.most_common(3):
            share = len(toks & words[j]) / len(toks)
            if share < 0.5 or len(folded[j]) < max(min_len, len(piece) - 5):
                continue
            if fuzz.partial_ratio(piece, folded[j]) >= 90 or (len(toks) >= 8 and share >= 0.9):
                return True
        return False

    def repeats(i: int, body: str, min_len: int = 0) -> bool:
        pieces = _pieces(body, colons=i in labelled)
        return bool(pieces) and all(covered(p, i, min_len) for p in pieces)

    dropped = [i for i, rest in labelled.items() if repeats(i, rest)]  # "Label: sentence" captions
    plain = sorted((i for i in range(len(paras)) if i not in labelled and len(texts[i].split()) >= 8),
                   key=lambda i: (len(folded[i]), -i))
    for i in plain:  # unlabelled copies: the shorter (or later) one goes
        if repeats(i, texts[i], len(folded[i])):
            dropped.append(i)
            excluded.add(i)
    for i in dropped:
        blank(chars, *paras[i])
