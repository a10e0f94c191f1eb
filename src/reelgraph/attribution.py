"""Who said a quote, and to which outlet.

For each quoted segment, in text order: a cue right after it ("," Mann said"), a cue before
it ("She mused: '", "Mortensen says, '"), a speech verb elsewhere in its sentence ("Ivey
wrote that '...'"), "according to X" / "reportedly", then inheritance from the segment it
continues (split quotes, following sentences and paragraphs). Pronouns go to the person in
focus (the latest main-clause subject or speaker), role nouns ("the director", "the studio")
to the latest matching person or organisation. Vocabulary and outlet phrasings live in
`outlets.py`-style tables below; no names are hard-coded.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .names import fold
from .quotes import RawQuote, lines_of
from .types import Document, Entity, Span

# ---------------------------------------------------------------------- vocabulary
def _inflect(bases: str) -> frozenset[str]:
    forms = set()
    for base in bases.split():
        forms.add(base)
        stem = base[:-1] if base.endswith("e") else base
        forms.update({base + "s", stem + "ed", stem + "ing", base + "d" if base.endswith("e") else base + "ed"})
        if base.endswith("y"):
            forms.update({base[:-1] + "ies", base[:-1] + "ied"})
        if base[-1] in "gtp" and len(base) <= 4:  # grin -> grinned, chat -> chatted
            forms.update({base + base[-1] + "ed", base + base[-1] + "ing"})
    return frozenset(forms)


SPEECH_VERBS = _inflect(
    "say tell add explain muse note state reveal recall remember laugh smile grin chuckle shrug "
    "insist admit continue describe call quip joke claim argue reply respond answer ask declare "
    "announce tweet post comment confirm agree warn suggest praise remark recount acknowledge "
    "observe sigh enthuse gush concede offer share begin conclude promise predict boast complain "
    "deny exclaim mutter whisper shout scream cry beam tease confess reflect elaborate stress "
    "emphasise emphasize opine lament reminisce caption wonder urge plead vow thank rave blast "
    "slam dub label brand term quote read write echo recollect point mention detail summarise "
    "summarize add joke nod smirk giggle chirp gripe muse marvel admit assure"
) | frozenset({"said", "told", "wrote", "written", "began", "begun", "read", "thought", "went", "goes"})

CONTINUE_VERBS = frozenset({"continued", "continues", "continuing", "went", "goes"})

PERSON_ROLES = frozenset(
    "director filmmaker actor actress star writer screenwriter author novelist producer executive "
    "singer rapper comedian comic musician composer critic journalist host presenter mayor governor "
    "president chief founder ceo chairman chairwoman chair creator showrunner artist playwright "
    "helmer auteur performer model designer analyst professor teacher expert man woman mother "
    "father mom dad son daughter wife husband veteran legend icon filmmaker star heartthrob "
    "cinematographer editor novelist poet activist politician boss head organiser organizer "
    "programmer curator spokesman spokeswoman spokesperson".split())
ANONYMOUS = frozenset("source insider friend friends fan fans critic critics people audience".split())
ORG_ROLES = frozenset(
    "studio company university network streamer distributor festival firm agency label channel "
    "broadcaster college school museum institute organisation organization group team league "
    "government ministry department studios service platform outlet paper newspaper magazine "
    "publication site website broadcaster academy council board charity foundation".split())
UTTERANCE_NOUNS = frozenset(
    "statement note release post tweet letter description line message report memo email "
    "announcement caption synopsis logline blurb summary text account press it".split())
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
FIRST_SECOND = frozenset({"i", "we", "you", "me", "us", "one"})
NOT_OUTLETS = frozenset(fold(w) for w in (
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December I He She They We It This That There "
    "Then Now Today Yesterday").split())

_UPPER = "".join(sorted({c for c in map(chr, range(0x250)) if c.isupper()} |
                        {c for c in map(chr, range(0x370, 0x530)) if c.isupper()}))
_CAP = rf"(?:[{_UPPER}][\w&'\u2019!+-]{{0,3}}\.(?!\w)|[{_UPPER}][\w&'\u2019!+-]*)"  # "Bros." keeps its dot
_CONNECT = r"(?:of|the|from|and|&|for|in|de|on|at|to|a)"
NAME = rf"(?:The[ \t]+)?{_CAP}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_CAP})*"
_SUBTITLE = rf"(?:[ \t]*:[ \t]+{_CAP}(?:[ \t]+{_CAP})*)?"

# (pattern, kind): kind "report" marks a source of reported wording ("Deadline reported").
OUTLET_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:told|tells|telling|tell)\s+(?:the\s+)?(?P<name>{NAME})"), "told"),
    (re.compile(rf"\(\s*via\s+(?:the\s+)?(?P<name>{NAME})\s*\)|\bvia\s+(?:the\s+)?(?P<name2>{NAME})"), "via"),
    (re.compile(rf"\binterview\s+(?:published\s+)?(?:with|for|in|to)\s+(?:the\s+)?(?P<name>{NAME})"), "interview"),
    (re.compile(rf"\b(?:speaking|spoke|speaks|speak|talking|talked|talks|talk|chatting|chatted)\s+(?:to|with)\s+"
                rf"(?:the\s+)?(?P<name>{NAME})"), "interview"),
    (re.compile(rf"\b[Aa]ccording\s+to\s+(?:the\s+)?(?P<name>{NAME})"), "report"),
    (re.compile(rf"\b(?:reported|quoted|revealed|obtained)\s+by\s+(?:the\s+)?(?P<name>{NAME})"), "report"),
    (re.compile(rf"(?P<name>{NAME})\s+(?:has\s+|have\s+|also\s+|first\s+)?(?:reported|reports)\b"), "report"),
    (re.compile(rf"(?:^|(?<=[.!?\n])|(?<=[.!?]\s))\s*From\s+(?:the\s+)?(?P<name>{NAME})\s*:"), "report"),
    (re.compile(rf"\bstatement\s+(?:to|for|released\s+to)\s+(?:the\s+)?(?P<name>{NAME})"), "told"),
    (re.compile(rf"\bon\s+(?:the\s+)?(?P<name>{NAME})\s+(?:podcast|show|programme|program|radio\s+show)\b"), "show"),
    (re.compile(rf"\bon\s+(?:the\s+|(?:his|her|their)\s+)?(?:\w+\s+)?(?:podcast|show|programme|program|"
                rf"series|broadcast)\s*,?\s+(?P<name>{NAME}{_SUBTITLE})"), "show"),
    (re.compile(rf"\b(?:wrote|writes|writing|posted|posts|posting|tweeted|shared|announced|said|says|"
                rf"revealed)\s+(?:\w+\s+)?on\s+(?P<name>{NAME})"), "on"),
    (re.compile(rf"\b(?:wrote|writes|writing)\s+(?:\w+\s+)?in\s+(?:the\s+)?(?P<name>{NAME})"), "on"),
    (re.compile(rf"\b(?:op-ed|column|essay|piece|article|feature|profile)\s+(?:for|in)\s+(?:the\s+)?"
                rf"(?P<name>{NAME})"), "on"),
]
SAYS_AFTER = re.compile(r"\s+(?:also\s+)?(?:says|said|writes|wrote|notes|noted|adds|added|reports)\b")
REPORTEDLY = re.compile(r"\b(?:reportedly|it(?:'s| is| was| has been) (?:being )?reported)\b", re.IGNORECASE)
INTERVIEWEE = re.compile(
    r"\b(?:spoke|speaks|speak|spoken|talked|talks|talk|chatted|chats|sat down|caught up|met)\s+(?:to|with)\s+"
    r"|\binterview(?:ed|s|ing)?\s+(?:with\s+)?|\bconversation\s+with\s+(?:\w+\s+)?", re.IGNORECASE)


def clean_name(name: str) -> str:
    """Trim a matched name: trailing sentence dot, possessive, stray punctuation."""
    name = re.sub(r"\s+", " ", name).strip()
    name = re.sub(r"['\u2019]s$", "", name)
    return name.rstrip(".,;:!?'\u2019 ")


def initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def is_speech_word(lower: str) -> bool:
    return lower in SPEECH_VERBS

# ---------------------------------------------------------------------- sentences

_BOUNDARY = re.compile(r"[.!?\u2026]+[\"\u201d\u2019')\]]*\s+(?=[\"\u201c\u2018'(\[]?[A-Z0-9])")
_ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,2}|\b[A-Z](?:\.[A-Z])+|\b[a-z]{1,3})\.$")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_NP_POS = {"PRON", "PROPN", "NOUN", "DET", "ADJ", "NUM", "ADV", "PUNCT", "PART"}
_LOOSE_END = ",!?\u2026-\u2013\u2014"


@dataclass
class Attribution:
    speaker: str | None = None
    speaker_id: str | None = None
    outlet: str | None = None
    cue: Span | None = None
    confidence: float = 0.5
    kind: str = "none"  # person | org | outlet | other | none
    verb: str = ""


class Attributor:
    """Attribution context for one document; call `attribute(i)` for i = 0, 1, 2... in order."""

    def __init__(self, doc: Document, parsed: Doc, view: str, quotes: Sequence[RawQuote],
                 people: Sequence[Entity], publications: Sequence[Entity] = (),
                 all_quotes: Sequence[RawQuote] | None = None) -> None:
        self.doc, self.parsed, self.view, self.quotes = doc, parsed, view, list(quotes)
        masked = sorted(all_quotes if all_quotes is not None else quotes, key=lambda q: q.open)
        self._q_opens = [q.open for q in masked]
        self._q_ends = [q.end if q.close is None else q.close + 1 for q in masked]
        self.lines = lines_of(doc.text)
        self._tok_starts = [t.idx for t in parsed]
        self._mentions = sorted((m.start, m.end, e) for e in people for m in e.mentions
                                if not self.in_quote(m.start))
        self._m_starts = [m[0] for m in self._mentions]
        self._by_name: dict[str, Entity] = {}
        for e in people:
            parts = fold(e.name).split()
            for key in (" ".join(parts), parts[-1] if parts else "", parts[0] if parts else ""):
                self._by_name.setdefault(key, e)
        self._boundaries = self._sentence_starts()
        self._orgs = self._organisations(publications)
        self._outlet_names = [e.name for e in publications]
        self._outlet_hits = self._find_outlets()
        self._reports = [(h[0], h[2]) for h in self._outlet_hits if h[3] == "report"]
        self._focus = self._focus_changes()
        self._speaker_focus: list[tuple[int, Entity]] = []
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
        k = bisect_right(self._m_starts, end - 1) - 1
        while k >= 0 and self._mentions[k][1] > start - 60:
            s, e, ent = self._mentions[k]
            if s < end and e > start:
                return ent
            k -= 1
        return None

    def _starts_person(self, pos: int) -> bool:
        k = bisect_right(self._m_starts, pos) - 1
        return k >= 0 and self._mentions[k][0] <= pos < self._mentions[k][1]

    def person_named(self, text: str) -> Entity | None:
        return self._by_name.get(fold(text))

    def sentence_start(self, pos: int) -> int:
        return self._boundaries[max(0, bisect_right(self._boundaries, pos) - 1)]

    def line_of(self, pos: int) -> int:
        return max(0, bisect_right([a for a, _ in self.lines], pos) - 1)

    # ------------------------------------------------------------------ document-level tables

    def _sentence_starts(self) -> list[int]:
        starts = {a for a, b in self.lines if self.view[a:b].strip()} | {0}
        for m in _BOUNDARY.finditer(self.view):
            ws = m.end() - 1
            if self.in_quote(ws) or _ABBREV.search(self.view[max(0, m.start() - 12):m.start() + 1]):
                continue
            starts.add(m.end())
        return sorted(starts)

    def _organisations(self, publications: Sequence[Entity]) -> list[tuple[int, str, bool]]:
        found = []
        for ent in self.parsed.ents:
            if ent.label_ == "ORG" and not self.in_quote(ent.start_char) and \
                    not self.person_at(ent.start_char, ent.end_char):
                subj = ent.root.dep_ in _SUBJECT_DEPS
                found.append((ent.start_char, clean_name(re.sub(r"^the\s+", "", ent.text)), subj))
        for e in publications:
            found += [(m.start, e.name, False) for m in e.mentions if not self.in_quote(m.start)]
        return sorted(found)

    def _find_outlets(self) -> list[tuple[int, int, str, str]]:
        """(start, end, name, kind) of every outlet phrase outside quotes."""
        hits = []
        for pattern, kind in OUTLET_PATTERNS:
            for m in pattern.finditer(self.view):
                group = "name2" if "name2" in m.groupdict() and m.group("name2") else "name"
                name = clean_name(m.group(group) or "")
                s, e = m.start(group), m.start(group) + len(name)
                if not name or self.in_quote(s) or fold(name) in NOT_OUTLETS or self._starts_person(s):
                    continue
                if kind == "interview" and re.fullmatch(rf"{_CAP}(?:[ \t]+{_CAP}){{1,2}}", name) \
                        and not name.startswith("The "):
                    continue  # "spoke to Ruben Ostlund": an interviewee, not an outlet
                hits.append((s, e, name, kind))
        known = {fold(h[2]) for h in hits} | {fold(n) for n in self._outlet_names}
        for s, _, name, _ in [(o[0], 0, o[1], 0) for o in self._orgs]:
            if fold(name) in known or self._canonical_outlet(name) != name:
                m = SAYS_AFTER.match(self.view, s + len(name))
                if m and not self.in_quote(s):
                    hits.append((s, s + len(name), name, "report"))
        hits = [(s, e, self._canonical_outlet(n), k) for s, e, n, k in hits]
        return sorted(set(hits))

    def _canonical_outlet(self, name: str) -> str:
        """The fullest known form: publications first, then outlets named elsewhere ("THR")."""
        names = self._outlet_names + [h[2] for h in getattr(self, "_outlet_hits", [])]
        key = fold(name)
        for full in sorted(names, key=len, reverse=True):
            if fold(full) == key or (name.isupper() and 2 <= len(name) <= 5 and initials(full) == name):
                return full
        return name

    def _focus_changes(self) -> list[tuple[int, Entity]]:
        """Where the person in focus changes: main-clause subjects, or any first mention."""
        changes: list[tuple[int, Entity]] = []
        for start, end, ent in self._mentions:
            toks = self.tokens(start, end)
            if not toks:
                continue
            head = next((t for t in toks if not (start <= t.head.idx < end)), toks[-1])
            main = head.dep_ in _SUBJECT_DEPS and (head.head.dep_ == "ROOT" or
                                                   (head.head.dep_ == "conj" and head.head.head.dep_ == "ROOT"))
            if main or not changes:
                changes.append((start, ent))
        return changes

    def _interviewee(self) -> Entity | str | None:
        """The person an interview is with ("I spoke to X", "an interview with X")."""
        for m in INTERVIEWEE.finditer(self.view):
            if not self.in_quote(m.start()):
                ent = self.person_at(m.end(), m.end() + 40)
                if ent is not None:
                    return ent
                words = []
                for w in self.view[m.end():m.end() + 60].split(" "):
                    if not w[:1].isupper() or not w.rstrip(".,:;").replace("-", "").isalpha():
                        break
                    words.append(w.rstrip(".,:;"))
                if 2 <= len(words) <= 4 and not self._outlet_in(m.end(), m.end() + 1):
                    return " ".join(words)
        return None

    # ------------------------------------------------------------------ resolution helpers

    def focus(self, pos: int) -> Entity | None:
        k = bisect_left([c[0] for c in self._focus], pos) - 1
        best = self._focus[k] if k >= 0 else None
        spoke = [s for s in self._speaker_focus if s[0] < pos]
        if spoke and (best is None or spoke[-1][0] > best[0]):
            best = spoke[-1]
        return best[1] if best else None

    def _person(self, ent: Entity | None, cue: Span | None, conf: float) -> Attribution | None:
        if ent is None:
            return None
        return Attribution(ent.name, ent.id, None, cue, conf, "person")

    def _previous(self) -> Attribution | None:
        return self.results[-1] if self.results else None

    def _role_person(self, role: str, pos: int) -> Entity | None:
        k = bisect_left(self._m_starts, pos) - 1
        while k >= 0 and pos - self._mentions[k][0] < 4000:
            s, e, ent = self._mentions[k]
            near = self.view[max(0, s - 40):s].lower() + " " + self.view[e:e + 50].lower()
            if re.search(rf"\b{re.escape(role)}\b", near):
                return ent
            k -= 1
        return self.focus(pos)

    def _role_org(self, role: str, pos: int) -> str | None:
        before = [o for o in self._orgs if o[0] < pos]
        for o in reversed(before):
            if role in fold(o[1]).split():
                return o[1]
        subjects = [o for o in before if o[2] and pos - o[0] < 1500]
        if subjects:
            return subjects[-1][1]
        near = [o for o in before if pos - o[0] < 600]
        return near[-1][1] if near else None

    def classify(self, head: Token, pos: int, cue: Span | None) -> Attribution | None:
        """The speaker a subject token names; an Attribution with speaker None means "decided:
        nobody the article names"; None means "this is not a usable subject"."""
        low = head.lower_
        ent = self.person_at(head.idx, head.idx + len(head.text))
        if ent is not None and head.dep_ != "poss":
            return self._person(ent, cue, 0.9)
        if low in PERSON_PRONOUNS:
            return self._person(self.focus(pos), cue, 0.8) or Attribution(cue=cue)
        if low in FIRST_SECOND:
            return Attribution(cue=cue, confidence=0.6)
        left = self.doc.text[head.left_edge.idx:head.idx + len(head.text)]
        if low in UTTERANCE_NOUNS or low == "they":
            prev = self._previous()
            if prev and prev.speaker and (low != "they" or prev.kind != "person"):
                return Attribution(prev.speaker, prev.speaker_id, prev.outlet, cue, 0.7, prev.kind)
            return Attribution(cue=cue)
        if head.tag_ in ("NNS", "NNPS") or low in ANONYMOUS:
            return Attribution(cue=cue)
        if head.pos_ == "PROPN":
            named = self.person_named(head.text)
            if named is not None:
                return self._person(named, cue, 0.85)
            org = next((o[1] for o in self._orgs if o[0] <= head.idx < o[0] + len(o[1]) + 1), None)
            name = org or clean_name(re.sub(r"^(?:the|a|an)\s+", "", self._compound(head)))
            kind = "outlet" if fold(self._canonical_outlet(name)) in {fold(h[2]) for h in self._outlet_hits} else "org"
            return Attribution(self._canonical_outlet(name), None, None, cue, 0.75, kind)
        if low in ORG_ROLES:
            org = self._role_org(low, pos)
            return Attribution(org, None, None, cue, 0.7, "org") if org else Attribution(cue=cue)
        if low in PERSON_ROLES or re.search(r"\d+-year-old|-of-", left.lower()) or low == "old":
            return self._person(self._role_person(low, pos), cue, 0.75) or Attribution(cue=cue)
        if head.pos_ in ("NOUN", "PRON", "DET", "ADJ"):
            return Attribution(cue=cue)
        return None

    def _compound(self, head: Token) -> str:
        parts = [t for t in head.children if t.dep_ in ("compound", "det", "amod") and t.i < head.i]
        first = min([head] + parts, key=lambda t: t.i)
        return self.doc.text[first.idx:head.idx + len(head.text)]

    def _subject_of(self, verb: Token) -> Token | None:
        node = verb
        for _ in range(4):
            subj = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
            if subj:
                return subj[0]
            if node.dep_ not in ("xcomp", "pcomp", "prep", "conj", "pobj") or node.head is node:
                return None
            node = node.head
        return None

    def _outlet_in(self, start: int, end: int) -> tuple[str, str] | None:
        for s, _, name, kind in self._outlet_hits:
            if start <= s < end:
                return name, kind
        return None

    # ------------------------------------------------------------------ cues

    def _after_cue(self, q: RawQuote, end: int) -> Attribution | None:
        """'"...," Mann said' / '"...," says Mann' / '"...," the studio said in a statement'."""
        toks = [t for t in self.tokens(q.close + 1, end)][:9]
        while toks and toks[0].pos_ == "PUNCT" and toks[0].text in ",-\u2013\u2014":
            toks = toks[1:]
        cut = next((j for j, t in enumerate(toks) if t.text in ".;:!?" or t.pos_ in ("CCONJ", "SCONJ")), len(toks))
        toks = toks[:cut]
        loose = self.doc.text[q.end - 1:q.end] in _LOOSE_END
        for j, t in enumerate(toks):
            speech = t.lower_ in SPEECH_VERBS
            if not speech and not (loose and t.pos_ == "VERB" and t.tag_ in ("VBD", "VBZ", "VBP")):
                continue
            if j == 0:  # inverted: says Mann / reads a line from the description
                subj = []
                for u in toks[1:]:
                    if u.pos_ in ("ADP", "VERB", "AUX") or u.text == ",":
                        break
                    subj.append(u)
            else:
                subj = toks[:j]
                if any(u.pos_ not in _NP_POS for u in subj):
                    return None
            heads = [u for u in subj if u.dep_ in _SUBJECT_DEPS] or \
                [u for u in subj if u.pos_ in ("PRON", "PROPN", "NOUN") or u.lower_ == "old"]
            if not heads:
                return None
            head = heads[0] if j > 0 and heads[0].dep_ in _SUBJECT_DEPS else heads[-1]
            first = min(subj[0].idx, t.idx)
            last = max(subj[-1].idx + len(subj[-1].text), t.idx + len(t.text))
            found = self.classify(head, first, self.doc.span(first, last))
            if found is not None:
                found.verb = t.lower_
            return found
        return None

    def _before_cue(self, q: RawQuote, start: int) -> Attribution | None:
        """Colon introductions, 'X says, "..."', 'From X:', 'According to X, ...'."""
        region = self.view[start:q.open]
        stripped = region.rstrip()
        if stripped.endswith(":"):
            clause_start = start + max(stripped[:-1].rfind(c) for c in ".;:!?") + 1
            return self._colon_intro(clause_start, start + len(stripped) - 1)
        if stripped.endswith(","):
            toks = self.tokens(start, start + len(stripped))[-10:]
            for t in reversed(toks):
                if t.lower_ in SPEECH_VERBS:
                    subj = self._subject_of(t)
                    if subj is not None:
                        found = self.classify(subj, subj.idx, self._span(subj, t))
                        if found is not None:
                            found.verb = t.lower_
                            return found
        return None

    def _colon_intro(self, start: int, colon: int) -> Attribution | None:
        source = self._outlet_in(start, colon)
        if source and source[1] == "report" and re.match(r"\s*(?:From|According|Via)\b", self.view[start:colon]):
            return Attribution(source[0], None, source[0], self.doc.span(start, colon), 0.8, "outlet")
        toks = self.tokens(start, colon)
        subj = next((t for t in toks if t.dep_ in _SUBJECT_DEPS and t.head.idx < colon), None)
        if subj is None:
            subj = next((t for t in toks if self.person_at(t.idx, t.idx + 1) or t.lower_ in PERSON_PRONOUNS), None)
        if subj is None:
            return Attribution(cue=self.doc.span(start, colon), confidence=0.5)
        verb = subj.head if subj.head.idx < colon else subj
        found = self.classify(subj, subj.idx, self._span(subj, verb))
        if found is not None:
            found.verb = verb.lower_
        return found if found is not None else Attribution(cue=self.doc.span(start, colon))

    def _span(self, a: Token, b: Token) -> Span:
        first, last = (a, b) if a.i <= b.i else (b, a)
        first = min(first, first.left_edge, key=lambda t: t.i) if first.dep_ in _SUBJECT_DEPS else first
        return self.doc.span(first.idx, last.idx + len(last.text))

    def _embedded(self, start: int, end: int, q: RawQuote) -> Attribution | None:
        """A speech verb anywhere in the sentence ('Ivey wrote that "..."'), nearest first."""
        toks = [t for t in self.tokens(start, end) if t.lower_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX", "NOUN")]
        toks.sort(key=lambda t: abs(t.idx - q.open))
        for t in toks:
            subj = self._subject_of(t)
            if subj is None:
                continue
            found = self.classify(subj, subj.idx, self._span(subj, t))
            if found is not None:
                found.verb = t.lower_
                return found
        m = re.search(r"\b[Aa]ccording to\b", self.view[start:end])
        if m:
            source = self._outlet_in(start + m.start(), end)
            if source:
                return Attribution(source[0], None, source[0], None, 0.75, "outlet")
            ent = self.person_at(start + m.end(), start + m.end() + 40)
            if ent:
                return self._person(ent, None, 0.8)
        if REPORTEDLY.search(self.view[start:end]):
            k = bisect_left([r[0] for r in self._reports], q.open) - 1
            if k >= 0:
                name = self._reports[k][1]
                return Attribution(name, None, name, None, 0.6, "outlet")
        return None

    # ------------------------------------------------------------------ main entry

    def attribute(self, i: int) -> Attribution:
        q = self.quotes[i]
        line_start, line_end = self.lines[q.line]
        prev = self.quotes[i - 1] if i > 0 else None
        same_line = prev is not None and prev.line == q.line
        nxt = self.quotes[i + 1] if i + 1 < len(self.quotes) else None
        sent = max(line_start, self.sentence_start(q.open))
        region = max(sent, (prev.end if prev.close is None else prev.close + 1) if same_line else sent)
        initial = not self.view[region:q.open].strip(" \t-\u2013\u2014(")
        after_end = line_end
        if nxt is not None and nxt.line == q.line:
            after_end = nxt.open
        if q.close is not None:
            k = bisect_right(self._boundaries, q.close + 1)
            if k < len(self._boundaries):
                after_end = min(after_end, self._boundaries[k])
        sent_end = after_end if q.close is not None else line_end

        found = self._after_cue(q, after_end) if q.close is not None else None
        if found is None and not q.block:
            found = self._before_cue(q, region)
        if found is None and initial:
            found = self._paragraph_intro(q)
        if found is None:
            found = self._embedded(region if not initial else sent, sent_end, q)
        inherited = continued = False
        if found is None and initial:
            found = self._previous_subject(q, sent, line_start)
            continued = found is not None
        if found is None and (initial or (same_line and not self._boundary_between(prev, q))):
            found = self._inherit(q, prev, same_line)
            inherited = found is not None
        if found is None and q.block and self.interviewee is not None:
            who = self.interviewee
            found = self._person(who, None, 0.6) if isinstance(who, Entity) else Attribution(who, None, None, None, 0.5, "person")
        found = found or Attribution()
        if not inherited and found.outlet is None:
            found.outlet = self._outlet(q, found, region, sent_end, same_line, continued)
        if found.kind == "person" and found.speaker_id:
            ent = next((m[2] for m in self._mentions if m[2].id == found.speaker_id), None)
            if ent is not None:
                self._speaker_focus.append(((found.cue.start if found.cue else q.start), ent))
        self.results.append(found)
        return found

    def _boundary_between(self, a: RawQuote, b: RawQuote) -> bool:
        k = bisect_right(self._boundaries, a.open)
        return k < len(self._boundaries) and self._boundaries[k] <= b.open

    def _previous_subject(self, q: RawQuote, sent: int, line_start: int) -> Attribution | None:
        """"Mortensen insists it is not so strange. 'Quote.'": a sentence-initial quote after a
        sentence whose main subject is a person, in the same paragraph."""
        if sent <= line_start:
            return None
        k = bisect_left(self._boundaries, sent) - 1
        start = max(line_start, self._boundaries[k]) if k >= 0 else line_start
        roots = [t for t in self.tokens(start, sent) if t.dep_ == "ROOT"]
        for root in roots[-1:]:
            subj = self._subject_of(root)
            if subj is not None:
                found = self.classify(subj, subj.idx, self._span(subj, root))
                if found is not None and found.kind == "person":
                    found.confidence = 0.65
                    return found
        return None

    def _paragraph_intro(self, q: RawQuote) -> Attribution | None:
        """A paragraph that ends with a colon introduces the quote that opens the next one."""
        if self.view[self.lines[q.line][0]:q.open].strip():
            return None
        n = q.line - 1
        while n >= 0 and not self.view[slice(*self.lines[n])].strip():
            n -= 1
        if n < 0:
            return None
        a, b = self.lines[n]
        text = self.view[a:b].rstrip()
        if not text.endswith(":") or self.in_quote(a + len(text) - 1):
            return None
        start = a + max(text[:-1].rfind(c) for c in ".;!?:") + 1
        return self._colon_intro(max(a, start), a + len(text) - 1)

    def _inherit(self, q: RawQuote, prev: RawQuote | None, same_line: bool) -> Attribution | None:
        """A sentence-initial segment continues the previous one in its paragraph, or the last
        one of the previous paragraph when that ran to (or near) the paragraph's end."""
        last = self._previous()
        if prev is None or last is None:
            return None
        if not same_line:
            if self.view[self.lines[q.line][0]:q.open].strip():
                return None
            gap = self.view[(prev.close if prev.close is not None else prev.end):self.lines[prev.line][1]]
            between = self.view[self.lines[prev.line][1]:self.lines[q.line][0]]
            if len(gap.strip()) > 120 or between.strip():
                return None
        return Attribution(last.speaker, last.speaker_id, last.outlet, last.cue, 0.7, last.kind)

    def _outlet(self, q: RawQuote, found: Attribution, start: int, end: int, same_line: bool,
                continued: bool) -> str | None:
        """Named in the quote's sentence; else carried over from the same speaker's previous
        segment (split quote, continuing sentence, "she continued"); else named in the
        previous sentence about the same speaker ("Mann spoke at X (via Variety). 'Quote'")."""
        own = self._outlet_in(start, end)
        if own:
            return own[0]
        prev = self._previous()
        if prev is not None and found.speaker and prev.speaker == found.speaker:
            if same_line and (continued or not self._boundary_between(self.quotes[len(self.results) - 1], q)):
                return prev.outlet
            if found.verb in CONTINUE_VERBS:
                return prev.outlet
        if found.kind != "person" or found.speaker_id is None:
            return None
        s0 = self.sentence_start(start)
        k = bisect_left(self._boundaries, s0) - 1
        if k < 0:
            return None
        p0 = self._boundaries[k]
        hit = self._outlet_in(p0, s0)
        if hit and hit[1] != "report":
            ent = next((m for m in self._mentions if p0 <= m[0] < s0 and m[2].id == found.speaker_id), None)
            subj = [t for t in self.tokens(p0, s0) if t.dep_ in _SUBJECT_DEPS]
            pronoun = any(t.lower_ in PERSON_PRONOUNS or t.lower_ in PERSON_ROLES or t.lower_ == "old" for t in subj)
            if ent or pronoun:
                return hit[0]
        return None
