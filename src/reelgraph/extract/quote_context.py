"""Per-document context for quote attribution: position-sorted tables built once per document.

Sentence starts, person mentions, organisations, outlet phrases ("told X", "(via X)"), the
person in focus and the gender the document's own pronouns give each person, and who an
interview is with. Every lookup is a bisect into these tables, so a document costs O(n log n).
`attribution.Attributor` builds on this class.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from spacy.attrs import IDX, IS_SPACE
from spacy.tokens import Doc, Token

from ..names import fold
from ..types import Document, Entity
from .quote_cues import (FIRST_SECOND, INTERVIEWEE, NAME_BEFORE_REPORTED, NAME_PART, NOT_OUTLETS, OUTLET_PATTERNS,
                         PERSON_PRONOUNS, REPORTED, SAYS_AFTER, SPEECH_VERBS, TWEETED, clean_name)
from .quote_types import RawQuote, lines_of


_BOUNDARY = re.compile(r"[.!?\u2026]+[\"\u201d\u2019')\]]*\s+(?=[\"\u201c\u2018'(\[]?[A-Z0-9])")
_ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,2}|\b[A-Z](?:\.[A-Z])+|\b[a-z]{1,3})\.$")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
_GUESS_POS = {**{w: "CCONJ" for w in "and but or nor so yet".split()},
              **{w: "SCONJ" for w in "if because while when as that which who whom whose although though since "
                                     "before after until unless whether where".split()},
              **{w: "ADP" for w in "in on at to from with by for of about into over under through during".split()},
              **{w: "DET" for w in "the a an this these those his its their our my your another".split()},
              **{w: "AUX" for w in "is are was were be been being has have had do does did will would can could "
                                   "may might should must".split()},
              **{w: "ADV" for w in "later also then still once now again never always just even really often "
                                   "soon already later modestly".split()}}


def _short(name: str) -> str:
    """One canonical outlet name: "Empire Magazine" is "Empire"."""
    short = re.sub(r"\s+[Mm]agazine$", "", name)
    return short if short and short not in ("The", "A") else name


class QuoteContext:
    """Lookup tables of one document, for attributing its quotes."""

    def __init__(self, doc: Document, parsed: Doc, view: str, quotes: Sequence[RawQuote],
                 people: Sequence[Entity], publications: Sequence[Entity] = (),
                 all_quotes: Sequence[RawQuote] | None = None) -> None:
        self.doc, self.parsed, self.view, self.quotes = doc, parsed, view, list(quotes)
        self._tagged, self._deps = parsed.has_annotation("TAG"), parsed.has_annotation("DEP")
        masked = sorted(all_quotes if all_quotes is not None else quotes, key=lambda q: q.open)
        self._q_opens = [q.open for q in masked]
        self._q_ends = [q.end if q.close is None else q.close + 1 for q in masked]
        self.lines = lines_of(doc.text)
        self._tok_starts = [t.idx for t in parsed]
        self._kept: list[int] | None = None
        self._kept_starts: list[int] = []
        self._mentions = sorted(((m.start, m.end, e) for e in people for m in e.mentions
                                 if not self.in_quote(m.start)), key=lambda m: (m[0], m[1]))
        self._m_starts = [m[0] for m in self._mentions]
        self._by_id = {e.id: e for e in people}
        self._by_name: dict[str, Entity] = {}
        for e in sorted(people, key=lambda e: -len(e.mentions)):
            parts = fold(e.name).split()
            for key in {" ".join(parts), *(parts[-1:] + parts[:1])}:
                self._by_name.setdefault(key, e)
        self._bounds = self._sentence_starts()
        self._orgs = self._organisations(publications)
        self._org_starts = [o[0] for o in self._orgs]
        self._outlets = self._find_outlets([e.name for e in publications])
        self._outlet_starts = [h[0] for h in self._outlets]
        self._outlet_names = {fold(h[2]) for h in self._outlets} | {fold(e.name) for e in publications}
        self._reports = [(h[0], h[2]) for h in self._outlets if h[3] == "report"]
        self._focus = self._focus_changes()  # (pos, entity), from mentions; speakers join later
        self._gender = self._gender_evidence()  # entity id -> +he / -she
        if self._deps:  # pronouns the parse ties to a person ("X said she", "X and her son") come first
            from .speaker_scope import bound_gender
            bound = bound_gender(self)
            self._gender = {k: bound.get(k) or v for k, v in self._gender.items()} | \
                {k: v for k, v in bound.items() if k not in self._gender}
        self.interviewee = self._interviewee()

    # ------------------------------------------------------------------ lookups

    def in_quote(self, pos: int) -> bool:
        k = bisect_right(self._q_opens, pos) - 1
        return k >= 0 and pos < self._q_ends[k] and pos != self._q_opens[k]

    def tokens(self, start: int, end: int) -> list[Token]:
        """Parsed tokens starting in [start, end), outside quotes and not blank."""
        if self._kept is None:  # token positions once, from arrays: spaCy builds a Token per access
            rows = self.parsed.to_array([IDX, IS_SPACE]).tolist() if len(self.parsed) else []
            self._kept = [i for i, (idx, space) in enumerate(rows) if not space and not self.in_quote(idx)]
            self._kept_starts = [rows[i][0] for i in self._kept]
        lo, hi = bisect_left(self._kept_starts, start), bisect_left(self._kept_starts, end)
        return [self.parsed[i] for i in self._kept[lo:hi]]

    def person_at(self, start: int, end: int) -> Entity | None:
        k = bisect_left(self._m_starts, end) - 1
        while k >= 0 and self._m_starts[k] > start - 80:
            s, e, ent = self._mentions[k]
            if s < end and e > start:
                return ent
            k -= 1
        return None

    def pos(self, t: Token) -> str:
        """The tagger's part of speech, or a guess from the word when no tagger ran."""
        if self._tagged:
            return t.pos_
        low = t.lower_
        if t.is_punct or low in ("'s", "\u2019s", "'"):
            return "PUNCT" if t.is_punct else "PART"
        if low in PERSON_PRONOUNS or low in FIRST_SECOND or low in ("it", "they", "them"):
            return "PRON"
        if low in _GUESS_POS or low in SPEECH_VERBS:
            return _GUESS_POS.get(low, "VERB")
        return "ADV" if low.endswith("ly") else "PROPN" if t.text[:1].isupper() else "NOUN"

    def _plural(self, t: Token) -> bool:
        if self._tagged:
            return t.tag_ in ("NNS", "NNPS")
        return t.lower_.endswith("s") and not t.lower_.endswith("ss") and self.pos(t) == "NOUN"

    def _possessive(self, t: Token) -> bool:
        nxt = self.parsed[t.i + 1].lower_ if t.i + 1 < len(self.parsed) else ""
        return t.dep_ == "poss" or nxt in ("'s", "\u2019s", "'")

    def sentence_start(self, pos: int) -> int:
        return self._bounds[max(0, bisect_right(self._bounds, pos) - 1)]

    def _outlet_in(self, start: int, end: int) -> tuple[str, str] | None:
        k = bisect_left(self._outlet_starts, start)
        return self._outlets[k][2:] if k < len(self._outlets) and self._outlets[k][0] < end else None

    def focus(self, pos: int, pronoun: str = "") -> Entity | None:
        """The person in focus before `pos`; for "he"/"she", the latest one whose gender (as the
        document's own pronouns show it) does not clash, else the latest such mention."""
        k = bisect_left(self._focus, (pos,), key=lambda f: (f[0],)) - 1
        want = {"he": 1, "him": 1, "she": -1, "her": -1}.get(pronoun, 0)
        fits = (lambda e: self._gender.get(e.id, 0) * want >= 0)
        if k < 0 or fits(self._focus[k][1]):
            return self._focus[k][1] if k >= 0 else None
        m = bisect_left(self._m_starts, pos) - 1
        for j in range(m, max(-1, m - 20), -1):  # a clash: the latest fitting mention instead
            if fits(self._mentions[j][2]) and pos - self._m_starts[j] < 3000:
                return self._mentions[j][2]
        return next((f[1] for f in self._focus[k - 1:max(-1, k - 8):-1] if fits(f[1])), self._focus[k][1])

    def _gender_evidence(self) -> dict[str, int]:
        """Pronouns in sentences that mention exactly one person (outside quotes)."""
        score: dict[str, int] = {}
        k = 0
        for a, b in zip(self._bounds, self._bounds[1:] + [len(self.view)]):
            ents, first, modifier = set(), b, False
            while k < len(self._mentions) and self._m_starts[k] < b:
                if self._m_starts[k] >= a:
                    ents.add(self._mentions[k][2].id)
                    first = min(first, self._mentions[k][1])
                    modifier = modifier or self._modifier(*self._mentions[k][:2])
                k += 1
            if len(ents) == 1 and not modifier:  # "the X film", "X's performance ... she": not X  # pronouns after the mention ("Her partner X" says nothing of X)
                words = [t.lower_ for t in self.tokens(first, b)]
                he = sum(w in ("he", "him", "his", "himself") for w in words)
                she = sum(w in ("she", "her", "hers", "herself") for w in words)
                key = next(iter(ents))
                score[key] = score.get(key, 0) + (he > 0) - (she > 0)
        return score

    def _modifier(self, start: int, end: int) -> bool:
        """A mention that only modifies a noun: possessive ("X's film") or compound ("the X film")."""
        toks = self.tokens(start, end)
        if not toks:
            return False
        last = toks[-1]
        return self._possessive(last) or (last.dep_ == "compound" and not start <= last.head.idx < end)

    # ------------------------------------------------------------------ document tables

    def _sentence_starts(self) -> list[int]:
        starts = {a for a, b in self.lines if self.view[a:b].strip()} | {0}
        for m in _BOUNDARY.finditer(self.view):
            if not self.in_quote(m.end() - 1) and not _ABBREV.search(self.view[max(0, m.start() - 12):m.start() + 1]):
                starts.add(m.end())
        return sorted(starts)

    def _organisations(self, publications: Sequence[Entity]) -> list[tuple[int, str, bool]]:
        found = [(e.start_char, clean_name(re.sub(r"^the\s+", "", e.text)), e.root.dep_ in SUBJECT_DEPS)
                 for e in self.parsed.ents if e.label_ == "ORG" and not self.in_quote(e.start_char)
                 and not self.person_at(e.start_char, e.end_char)]
        found += [(m.start, e.name, False) for e in publications for m in e.mentions if not self.in_quote(m.start)]
        return sorted(found)

    def _find_outlets(self, known: list[str]) -> list[tuple[int, int, str, str]]:
        """(start, end, canonical name, kind) of every outlet phrase outside quotes."""
        hits, shows = [], set()
        for pattern, kind in OUTLET_PATTERNS:
            for m in pattern.finditer(self.view):
                if kind == "show":
                    shows.add(m.start())
                elif m.start() in shows or (m.start() + 1) in shows:
                    continue  # "told Someone's The Show": the show, not its owner
                group = "name2" if m.groupdict().get("name2") else "name"
                name = clean_name(m.group(group) or "")
                s = m.start(group)
                if not name or self.in_quote(s) or fold(name) in NOT_OUTLETS:
                    continue
                owner = self.person_at(s, s + 1)
                if owner is not None and len(owner.name.split()) > 1:
                    continue  # "told Mann": a person (a lone one-word "person" may well be an outlet)
                if kind == "interview" and self._looks_like_person(s, name):
                    continue  # "spoke to Jane Doe": an interviewee, not an outlet
                hits.append((s, s + len(name), name, kind))
        hits += [(m.start(), m.end(), "Twitter", "on") for m in TWEETED.finditer(self.view) if not self.in_quote(m.start())]
        for m in REPORTED.finditer(self.view):
            window = max(0, m.start() - 80)
            found = NAME_BEFORE_REPORTED.search(self.view, window, m.start())
            name = clean_name(found.group("name")) if found else ""
            if name and not self.in_quote(m.start()) and fold(name) not in NOT_OUTLETS and \
                    not self.person_at(found.start("name"), found.start("name") + 1):
                hits.append((found.start("name"), found.start("name") + len(name), name, "report"))
        full: dict[str, str] = {}
        for name in sorted(known + [h[2] for h in hits], key=len):
            full[fold(name)] = name
            full["#" + "".join(w[0] for w in name.split() if w[:1].isupper())] = name
        self._canonical = lambda n: full.get("#" + n) if n.isupper() and "#" + n in full else full.get(fold(n), n)
        for s, name, _ in self._orgs:  # "THR says": a known outlet's own words
            if (fold(name) in full or self._canonical(name) != name) and SAYS_AFTER.match(self.view, s + len(name)):
                hits.append((s, s + len(name), name, "report"))
        return sorted({(s, e, _short(self._canonical(n)), k) for s, e, n, k in hits})

    def _looks_like_person(self, start: int, name: str) -> bool:
        """Two or three bare capitalised words that spaCy does not call an organisation."""
        if name.startswith("The ") or not re.fullmatch(rf"{NAME_PART}(?:[ \t]+{NAME_PART}){{1,2}}", name):
            return False
        if re.match(r"[ \t]+(?:about|on)[ \t]+(?:his|her|their)\b|,?[ \t]+who\b", self.view[start + len(name):]):
            return True  # "spoke to X about her new film"
        k = bisect_left(self._tok_starts, start)
        tok = self.parsed[k] if k < len(self.parsed) else None
        return tok is None or tok.ent_type_ in ("", "PERSON")

    def _focus_changes(self) -> list[tuple[int, Entity]]:
        """Where the person in focus changes: a main-clause subject, or the first mention."""
        changes: list[tuple[int, Entity]] = []
        for start, end, ent in self._mentions:
            toks = self.tokens(start, end)
            head = next((t for t in toks if not start <= t.head.idx < end), toks[-1] if toks else None)
            if head is None:
                continue
            while head.dep_ in ("appos", "compound", "flat") and head.head is not head:
                head = head.head  # "Her partner Noah Baumbach was ...": the mention heads the subject
            verb = head.head
            if self._deps:
                main = head.dep_ in SUBJECT_DEPS and (verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT"))
            else:  # no parser: a name opening its sentence, or one followed by a verb
                lead = [t for t in self.tokens(self.sentence_start(start), start) if self.pos(t) not in ("DET", "ADJ", "PROPN")]
                after = self.tokens(end, end + 30)[:2]
                main = not lead or any(self.pos(t) in ("VERB", "AUX") for t in after[:1])
            if main or not changes:
                changes.append((start, ent))
        return changes

    def _interviewee(self) -> Entity | str | None:
        """Who an interview is with ("I spoke to X", "an interview with X")."""
        for m in INTERVIEWEE.finditer(self.view):
            if self.in_quote(m.start()):
                continue
            ent = self.person_at(m.end(), m.end() + 40)
            if ent is not None:
                return ent
            words = []
            for w in self.view[m.end():m.end() + 60].split(" "):
                w = w.rstrip(".,:;")
                if not w[:1].isupper() or not w.replace("-", "").isalpha():
                    break
                words.append(w)
            if 2 <= len(words) <= 4 and not self._outlet_in(m.end(), m.end() + 1):
                return " ".join(words)
        return None
