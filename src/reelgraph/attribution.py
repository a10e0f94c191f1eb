"""Who said a quote, and to which outlet.

Per quoted segment, in text order: a cue right after it ('"...," Mann said'), one before it
('She mused: "', 'Mortensen says, "', 'From X:'), a speech verb elsewhere in its sentence
('Ivey wrote that "..."'), "according to X" / "reportedly", then the segment it continues
(split quotes, next sentence or paragraph). Pronouns go to the person in focus (latest
main-clause subject or speaker); role nouns ("the director", "the studio") to the latest
matching person or organisation. Outlets are capitalised names filling generic phrasings
("told X", "(via X)", "according to X"); nothing here names a real person or outlet.
Every lookup is a bisect into position-sorted tables, so a document costs O(n log n).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .names import fold
from .quotes import (ANONYMOUS, CONTINUE_VERBS, FIRST_SECOND, INTERVIEWEE, NAME_BEFORE_REPORTED, NAME_PART,
                     NOT_OUTLETS, ORG_ROLES, OUTLET_PATTERNS, PERSON_PRONOUNS, PERSON_ROLES, REPORTED,
                     REPORTEDLY, SAYS_AFTER, SPEECH_VERBS, UTTERANCE_NOUNS, RawQuote, clean_name, lines_of)
from .types import Document, Entity, Span


_BOUNDARY = re.compile(r"[.!?\u2026]+[\"\u201d\u2019')\]]*\s+(?=[\"\u201c\u2018'(\[]?[A-Z0-9])")
_ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,2}|\b[A-Z](?:\.[A-Z])+|\b[a-z]{1,3})\.$")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_NP_POS = {"PRON", "PROPN", "NOUN", "DET", "ADJ", "NUM", "ADV", "PUNCT", "PART"}
_GUESS_POS = {**{w: "CCONJ" for w in "and but or nor so yet".split()},
              **{w: "SCONJ" for w in "if because while when as that which who whom whose although though since "
                                     "before after until unless whether where".split()},
              **{w: "ADP" for w in "in on at to from with by for of about into over under through during".split()},
              **{w: "DET" for w in "the a an this these those his its their our my your another".split()},
              **{w: "AUX" for w in "is are was were be been being has have had do does did will would can could "
                                   "may might should must".split()},
              **{w: "ADV" for w in "later also then still once now again never always just even really often "
                                   "soon already later modestly".split()}}
_LOOSE_END = ",!?\u2026-\u2013\u2014"


@dataclass
class Attribution:
    speaker: str | None = None
    speaker_id: str | None = None
    outlet: str | None = None
    cue: Span | None = None
    confidence: float = 0.5
    kind: str = "none"  # person | org | outlet | none
    verb: str = ""


class Attributor:
    """Attribution context for one document; call `attribute(i)` for i = 0, 1, 2... in order."""

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
        self.interviewee = self._interviewee()
        self.results: list[Attribution] = []

    # ------------------------------------------------------------------ lookups

    def in_quote(self, pos: int) -> bool:
        k = bisect_right(self._q_opens, pos) - 1
        return k >= 0 and pos < self._q_ends[k] and pos != self._q_opens[k]

    def tokens(self, start: int, end: int) -> list[Token]:
        """Parsed tokens starting in [start, end), outside quotes and not blank."""
        lo, hi = bisect_left(self._tok_starts, start), bisect_left(self._tok_starts, end)
        return [t for t in self.parsed[lo:hi] if t.text.strip() and not self.in_quote(t.idx)]

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
            ents, first = set(), b
            while k < len(self._mentions) and self._m_starts[k] < b:
                if self._m_starts[k] >= a:
                    ents.add(self._mentions[k][2].id)
                    first = min(first, self._mentions[k][1])
                k += 1
            if len(ents) == 1:  # pronouns after the mention ("Her partner X" says nothing of X)
                words = [t.lower_ for t in self.tokens(first, b)]
                he = sum(w in ("he", "him", "his", "himself") for w in words)
                she = sum(w in ("she", "her", "hers", "herself") for w in words)
                key = next(iter(ents))
                score[key] = score.get(key, 0) + (he > 0) - (she > 0)
        return score

    # ------------------------------------------------------------------ document tables

    def _sentence_starts(self) -> list[int]:
        starts = {a for a, b in self.lines if self.view[a:b].strip()} | {0}
        for m in _BOUNDARY.finditer(self.view):
            if not self.in_quote(m.end() - 1) and not _ABBREV.search(self.view[max(0, m.start() - 12):m.start() + 1]):
                starts.add(m.end())
        return sorted(starts)

    def _organisations(self, publications: Sequence[Entity]) -> list[tuple[int, str, bool]]:
        found = [(e.start_char, clean_name(re.sub(r"^the\s+", "", e.text)), e.root.dep_ in _SUBJECT_DEPS)
                 for e in self.parsed.ents if e.label_ == "ORG" and not self.in_quote(e.start_char)
                 and not self.person_at(e.start_char, e.end_char)]
        found += [(m.start, e.name, False) for e in publications for m in e.mentions if not self.in_quote(m.start)]
        return sorted(found)

    def _find_outlets(self, known: list[str]) -> list[tuple[int, int, str, str]]:
        """(start, end, canonical name, kind) of every outlet phrase outside quotes."""
        hits = []
        for pattern, kind in OUTLET_PATTERNS:
            for m in pattern.finditer(self.view):
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
        return sorted({(s, e, self._canonical(n), k) for s, e, n, k in hits})

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
                main = head.dep_ in _SUBJECT_DEPS and (verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT"))
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

    # ------------------------------------------------------------------ naming a subject

    def _person(self, ent: Entity | None, cue: Span | None, conf: float) -> Attribution | None:
        return None if ent is None else Attribution(ent.name, ent.id, None, cue, conf, "person")

    def _previous(self) -> Attribution | None:
        return self.results[-1] if self.results else None

    def _role_person(self, role: str, pos: int) -> Entity | None:
        """Latest person described by `role` ("director X", "X, the director"), else focus."""
        k = bisect_left(self._m_starts, pos) - 1
        while k >= 0 and pos - self._m_starts[k] < 4000:
            s, e, ent = self._mentions[k]
            before = re.sub(r"[^\w\s-]", " ", self.view[max(0, s - 30):s].lower()).split()[-2:]
            after = self.view[e:e + 50].lower()
            if any(w == role or w.endswith("-" + role) for w in before) or \
                    re.match(rf",?\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,2}}{re.escape(role)}\b", after):
                return ent
            k -= 1
        return self.focus(pos)

    def _role_org(self, role: str, pos: int) -> str | None:
        """Latest organisation whose name holds the role word, else the latest subject one."""
        k = bisect_left(self._org_starts, pos) - 1
        lo = max(0, k - 200)
        named = [o for o in self._orgs[lo:k + 1] if role in fold(o[1]).split()]
        subjects = [o for o in self._orgs[lo:k + 1] if o[2] and pos - o[0] < 1500]
        near = [o for o in self._orgs[lo:k + 1] if pos - o[0] < 600]
        pick = (named or subjects or near or [None])[-1]
        return pick[1] if pick else None

    def classify(self, head: Token, pos: int, cue: Span | None) -> Attribution | None:
        """The speaker a subject token names. Attribution(speaker=None) means "decided: nobody
        named" (I, critics, a friend); None means "not a usable subject"."""
        low = head.lower_
        ent = self.person_at(head.idx, head.idx + len(head.text))
        if ent is not None and not self._possessive(head):
            return self._person(ent, cue, 0.9)
        if low in PERSON_PRONOUNS:
            found = self._person(self.focus(pos, low), cue, 0.8)
            if found is not None:  # the cue's pronoun is evidence of that person's gender
                self._gender[found.speaker_id] = self._gender.get(found.speaker_id, 0) + (1 if low in ("he", "him") else -1)
            return found or Attribution(cue=cue)
        if low in FIRST_SECOND:
            return Attribution(cue=cue, confidence=0.6)
        if low in UTTERANCE_NOUNS or low == "they":
            prev = self._previous()
            if prev and prev.speaker and (low != "they" or prev.kind != "person"):
                return Attribution(prev.speaker, prev.speaker_id, prev.outlet, cue, 0.7, prev.kind)
            return Attribution(cue=cue)
        if self._plural(head) or low in ANONYMOUS:
            return Attribution(cue=cue)
        if self.pos(head) == "PROPN":
            named = self._by_name.get(fold(head.text))
            if named is not None:
                return self._person(named, cue, 0.85)
            k = bisect_right(self._org_starts, head.idx) - 1
            org = self._orgs[k][1] if k >= 0 and head.idx < self._orgs[k][0] + len(self._orgs[k][1]) + 1 else None
            name = self._canonical(org or clean_name(re.sub(r"^(?:the|a|an)\s+", "", self._compound(head))))
            kind = "outlet" if fold(name) in self._outlet_names else "org"
            return Attribution(name, None, None, cue, 0.75, kind)
        k = bisect_right(self._org_starts, head.idx) - 1
        if k >= 0 and head.left_edge.idx <= self._orgs[k][0] < head.idx:  # "a Disney spokesperson"
            return Attribution(self._orgs[k][1], None, None, cue, 0.7, "org")
        dets = list(head.children) if self._deps else self.parsed[max(0, head.i - 2):head.i]
        if any(c.lower_ in ("a", "an", "another", "one") and (c.dep_ == "det" or not self._deps) for c in dets):
            return Attribution(cue=cue)  # "a spokesperson said": someone unnamed
        if low in ORG_ROLES:
            org = self._role_org(low, pos)
            return Attribution(org, None, None, cue, 0.7, "org") if org else Attribution(cue=cue)
        left = self.doc.text[head.left_edge.idx:head.idx + len(head.text)].lower()
        if low in PERSON_ROLES or re.search(r"\d+-year-old|-of-", left) or low == "old":
            return self._person(self._role_person(low, pos), cue, 0.75) or Attribution(cue=cue)
        return Attribution(cue=cue) if self.pos(head) in ("NOUN", "PRON", "DET", "ADJ") else None

    def _compound(self, head: Token) -> str:
        parts = [t for t in head.children if t.dep_ in ("compound", "det", "amod") and t.i < head.i]
        first = min([head, *parts], key=lambda t: t.i)
        while not self._deps and first.i > 0 and self.pos(self.parsed[first.i - 1]) in ("PROPN", "DET"):
            first = self.parsed[first.i - 1]
        return self.doc.text[first.idx:head.idx + len(head.text)]

    def _subject_of(self, verb: Token) -> Token | None:
        if not self._deps:  # no parser: the noun phrase right before the verb, or a name right after
            left = []
            for u in reversed(self.tokens(max(self.sentence_start(verb.idx), verb.idx - 120), verb.idx)[-8:]):
                if self.pos(u) in ("PUNCT", "CCONJ", "SCONJ", "VERB", "AUX"):
                    break
                left.append(u)
            named = [u for u in left if self.person_at(u.idx, u.idx + 1) and not self._possessive(u)]
            proper = [u for u in left if self.pos(u) in ("PRON", "PROPN")]
            nouns = [u for u in left if self.pos(u) == "NOUN" or u.lower_ == "old"]
            after = [u for u in self.tokens(verb.idx + 1, verb.idx + 60)[:3] if self.person_at(u.idx, u.idx + 1)]
            return (named or proper or nouns or after or [None])[0]
        node = verb
        for _ in range(4):
            subj = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
            if subj:
                return subj[0]
            if node.dep_ not in ("xcomp", "pcomp", "prep", "conj", "pobj") or node.head is node:
                return None
            node = node.head
        return None

    def _span(self, a: Token, b: Token) -> Span:
        first, last = (a, b) if a.i <= b.i else (b, a)
        start = first.left_edge.idx if first.dep_ in _SUBJECT_DEPS else first.idx
        start = max(start, self.doc.text.rfind("\n", 0, first.idx) + 1)
        return self.doc.span(start, last.idx + len(last.text))

    def _named_by(self, verb: Token, subj: Token | None) -> Attribution | None:
        found = None if subj is None else self.classify(subj, subj.idx, self._span(subj, verb))
        if found is not None:
            found.verb = verb.lower_
        return found

    # ------------------------------------------------------------------ cues

    def _after_cue(self, q: RawQuote, end: int) -> Attribution | None:
        """'"...," Mann said' / '"...," says Mann' / '"...," the studio said in a statement'."""
        toks = self.tokens(q.close + 1, end)[:9]
        while toks and toks[0].text in ",-\u2013\u2014":
            toks = toks[1:]
        cut = next((j for j, t in enumerate(toks) if t.text in ".;:!?" or self.pos(t) in ("CCONJ", "SCONJ")), len(toks))
        toks = toks[:cut]
        loose = self.doc.text[q.end - 1:q.end] in _LOOSE_END
        for j, t in enumerate(toks):
            if t.lower_ not in SPEECH_VERBS and not (loose and t.pos_ == "VERB" and t.tag_ in ("VBD", "VBZ", "VBP")):
                continue
            if j == 0:  # inverted: "says Mann", "reads a line from the description"
                subj = []
                for u in toks[1:]:
                    if self.pos(u) in ("ADP", "VERB", "AUX") or u.text == ",":
                        break
                    subj.append(u)
            elif any(self.pos(u) not in _NP_POS for u in toks[:j]):
                return None
            else:
                subj = toks[:j]
            heads = [u for u in subj if not self._possessive(u) and self.person_at(u.idx, u.idx + 1)][-1:] or \
                [u for u in subj if u.dep_ in _SUBJECT_DEPS] or \
                [u for u in subj if self.pos(u) in ("PRON", "PROPN", "NOUN") or u.lower_ == "old"]
            if not heads:
                return None
            head = heads[0] if j > 0 and heads[0].dep_ in _SUBJECT_DEPS else heads[-1]
            first, last = min(subj[0], t, key=lambda u: u.i), max(subj[-1], t, key=lambda u: u.i)
            found = self.classify(head, first.idx, self.doc.span(first.idx, last.idx + len(last.text)))
            if found is not None:
                found.verb = t.lower_
            return found
        return None

    def _before_cue(self, q: RawQuote, start: int) -> Attribution | None:
        """Colon introductions ('She mused: "', 'From X:') and 'X says, "'."""
        stripped = self.view[start:q.open].rstrip()
        if stripped.endswith(":"):
            clause = start + max(stripped[:-1].rfind(c) for c in ".;:!?") + 1
            return self._colon_intro(clause, start + len(stripped) - 1)
        if stripped.endswith(","):
            for t in reversed(self.tokens(start, start + len(stripped))[-10:]):
                if t.lower_ in SPEECH_VERBS and (found := self._named_by(t, self._subject_of(t))):
                    return found
        return None

    def _colon_intro(self, start: int, colon: int) -> Attribution:
        source = self._outlet_in(start, colon)
        if source and source[1] == "report" and re.match(r"\s*(?:From|According|Via)\b", self.view[start:colon]):
            return Attribution(source[0], None, source[0], self.doc.span(start, colon), 0.8, "outlet")
        toks = self.tokens(start, colon)
        subj = next((t for t in toks if t.dep_ in _SUBJECT_DEPS and t.head.idx < colon), None)
        if subj is None and not self._deps:
            verb = next((t for t in toks if t.lower_ in SPEECH_VERBS), None)
            subj = self._subject_of(verb) if verb is not None else None
        subj = subj or next((t for t in toks if self.person_at(t.idx, t.idx + 1) or t.lower_ in PERSON_PRONOUNS), None)
        if subj is None and not self._deps:  # "The Doctor ... doesn't instill much confidence:"
            subj = next((t for t in toks[:3] if self.pos(t) in ("PROPN", "PRON") and t.lower_ not in FIRST_SECOND), None)
        found = self._named_by(subj.head if subj.head.idx < colon else subj, subj) if subj is not None else None
        return found or Attribution(cue=self.doc.span(start, colon))

    def _embedded(self, start: int, end: int, q: RawQuote) -> Attribution | None:
        """A speech verb elsewhere in the sentence ('Ivey wrote that "..."'), nearest first;
        then "according to X" and "reportedly" (the latest outlet said to report)."""
        verbs = [t for t in self.tokens(start, end) if t.lower_ in SPEECH_VERBS and self.pos(t) in ("VERB", "AUX", "NOUN")]
        for t in sorted(verbs, key=lambda t: abs(t.idx - q.open)):
            if found := self._named_by(t, self._subject_of(t)):
                return found
        m = re.search(r"\b[Aa]ccording to\b", self.view[start:end])
        if m:
            source = self._outlet_in(start + m.start(), end)
            if source:
                return Attribution(source[0], None, source[0], None, 0.75, "outlet")
            if ent := self.person_at(start + m.end(), start + m.end() + 40):
                return self._person(ent, None, 0.8)
        if REPORTEDLY.search(self.view[start:end]):
            k = bisect_left(self._reports, (q.open,)) - 1
            if k >= 0:
                return Attribution(self._reports[k][1], None, self._reports[k][1], None, 0.6, "outlet")
        return None

    # ------------------------------------------------------------------ main entry

    def attribute(self, i: int) -> Attribution:
        q = self.quotes[i]
        line_start, line_end = self.lines[q.line]
        prev = self.quotes[i - 1] if i > 0 else None
        same_line = prev is not None and prev.line == q.line
        sent = max(line_start, self.sentence_start(q.open))
        region = max(sent, (prev.end if prev.close is None else prev.close + 1) if same_line else sent)
        initial = not self.view[region:q.open].strip(" \t-\u2013\u2014(")
        nxt = self.quotes[i + 1] if i + 1 < len(self.quotes) else None
        end = nxt.open if nxt is not None and nxt.line == q.line else line_end
        if q.close is not None:
            k = bisect_right(self._bounds, q.close + 1)
            end = min(end, self._bounds[k]) if k < len(self._bounds) else end

        found = self._after_cue(q, end) if q.close is not None else None
        if found is None and not q.block:
            found = self._before_cue(q, region)
        if found is None and initial:
            found = self._paragraph_intro(q)
        if found is None:
            found = self._embedded(sent if initial else region, end, q)
        continued = inherited = False
        if found is None and initial:
            found = self._previous_subject(sent, line_start)
            continued = found is not None
        if found is None and (initial or (same_line and not self._boundary_between(prev, q))) and \
                not self.person_at(q.end, end):  # '"...", a confié X': someone else, unparsed
            found = self._inherit(q, prev, same_line)
            inherited = found is not None
        if found is None and initial:
            found = self._next_paragraph(q)
        if found is None and q.block and self.interviewee is not None:
            who = self.interviewee
            found = self._person(who, None, 0.6) if isinstance(who, Entity) else Attribution(who, None, None, None, 0.5, "person")
        found = found or Attribution()
        if found.kind == "outlet" and found.outlet is None:
            found.outlet = found.speaker  # a publication's own wording ("The Atlantic called it ...")
        if not inherited and found.outlet is None:
            found.outlet = self._outlet(q, found, region, end, same_line, continued)
        if found.kind == "person" and found.speaker_id in self._by_id:
            insort(self._focus, ((found.cue.start if found.cue else q.start), self._by_id[found.speaker_id]),
                   key=lambda f: f[0])
        self.results.append(found)
        return found

    def _boundary_between(self, a: RawQuote, b: RawQuote) -> bool:
        k = bisect_right(self._bounds, a.open)
        return k < len(self._bounds) and self._bounds[k] <= b.open

    def _previous_subject(self, sent: int, line_start: int) -> Attribution | None:
        """'Mortensen insists it is not so strange. "Quote."': a sentence-initial quote after a
        sentence, in the same paragraph, whose main subject is a person."""
        if sent <= line_start:
            return None
        start = max(line_start, self.sentence_start(sent - 1))
        toks = self.tokens(start, sent)
        roots = [t for t in toks if t.dep_ == "ROOT"][-1:] if self._deps else \
            [t for t in toks[:6] if self.pos(t) in ("VERB", "AUX") or t.lower_.endswith(("s", "ed"))][:1]
        for root in roots:
            found = self._named_by(root, self._subject_of(root))
            if found is not None and found.kind == "person":
                found.confidence = 0.65
                return found
        return None

    def _paragraph_intro(self, q: RawQuote) -> Attribution | None:
        """A paragraph ending in a colon introduces the quote that opens the next one."""
        n = q.line - 1
        while n >= 0 and n > q.line - 20 and not self.view[slice(*self.lines[n])].strip():
            n -= 1
        if n < 0 or self.view[self.lines[q.line][0]:q.open].strip():
            return None
        a, b = self.lines[n]
        text = self.view[a:b].rstrip()
        if not text.endswith(":") or self.in_quote(a + len(text) - 1):
            return None
        return self._colon_intro(a + max(text[:-1].rfind(c) for c in ".;!?:") + 1, a + len(text) - 1)

    def _next_paragraph(self, q: RawQuote) -> Attribution | None:
        """A paragraph that is all quotation, attributed by the next one's first sentence
        ("That was how Nolan put it to Empire.")."""
        a, b = self.lines[q.line]
        if any(not self.in_quote(p) for p in range(q.end, b) if self.view[p] not in " \t\"'\u201d\u2019.,"):
            return None
        n = q.line + 1
        while n < len(self.lines) and n < q.line + 20 and not self.view[slice(*self.lines[n])].strip():
            n += 1
        if n >= len(self.lines) or self.in_quote(self.lines[n][0] + 1) or \
                self.view[self.lines[n][0]:self.lines[n][1]].lstrip()[:1] in "\"'\u201c\u2018>":
            return None  # the next paragraph is another quotation, not an attribution
        start = self.lines[n][0]
        k = bisect_right(self._bounds, start)
        end = min(self.lines[n][1], self._bounds[k]) if k < len(self._bounds) else self.lines[n][1]
        for t in self.tokens(start, end):
            if t.lower_ in SPEECH_VERBS and self.pos(t) == "VERB":
                found = self._named_by(t, self._subject_of(t) or next(
                    (c for c in t.children if c.dep_ == "agent" for c in c.children), None))
                if found is not None and found.kind == "person":
                    found.confidence = 0.55
                    found.outlet = (self._outlet_in(start, end) or (None,))[0]
                    return found
        return None

    def _inherit(self, q: RawQuote, prev: RawQuote | None, same_line: bool) -> Attribution | None:
        """Continue the previous segment of the paragraph, or the previous paragraph's last one
        when it ran to (or near) that paragraph's end and nothing came between."""
        last = self._previous()
        if prev is None or last is None:
            return None
        if not same_line:
            gap = self.view[(prev.end if prev.close is None else prev.close):self.lines[prev.line][1]]
            between = self.view[self.lines[prev.line][1]:self.lines[q.line][0]]
            if self.view[self.lines[q.line][0]:q.open].strip() or len(gap.strip()) > 120 or between.strip():
                return None
        return Attribution(last.speaker, last.speaker_id, last.outlet, last.cue, 0.7, last.kind)

    def _outlet(self, q: RawQuote, found: Attribution, start: int, end: int, same_line: bool,
                continued: bool) -> str | None:
        """Named in the quote's sentence; else carried from the same speaker's previous segment
        (split quote, next sentence, "she continued"); else named in the previous sentence
        about the same speaker ("Mann spoke at X (via Variety). 'Quote'")."""
        if own := self._outlet_in(start, end):
            return own[0]
        prev = self._previous()
        if prev is not None and found.speaker and prev.speaker == found.speaker:
            last_q = self.quotes[len(self.results) - 1]
            if (same_line and (continued or not self._boundary_between(last_q, q))) or found.verb in CONTINUE_VERBS:
                return prev.outlet
        if found.kind != "person" or not found.speaker:
            return None
        s0 = self.sentence_start(start)
        p0 = self.sentence_start(s0 - 1) if s0 > 0 else s0
        hit = self._outlet_in(p0, s0)
        if hit is None or hit[1] == "report":
            return None
        surname = re.escape(found.speaker.split()[-1])
        named = re.search(rf"\b{surname}\b", self.view[p0:s0])
        pronoun = any(t.lower_ in PERSON_PRONOUNS or t.lower_ in PERSON_ROLES or t.lower_ == "old"
                      for t in self.tokens(p0, s0)[:None if self._deps else 4] if t.dep_ in _SUBJECT_DEPS or not self._deps)
        return hit[0] if named or pronoun else None
