"""Who said a quote, and to which outlet.

Per quoted segment, in text order: a cue right after it ('"...," Mann said'), one before it
('She mused: "', 'Mortensen says, "', 'From X:'), a speech verb elsewhere in its sentence
('Ivey wrote that "..."'), "according to X" / "reportedly", then the segment it continues
(split quotes, next sentence or paragraph). Pronouns go to the person in focus (latest
main-clause subject or speaker); role nouns ("the director", "the studio") to the latest
matching person or organisation. Outlets are capitalised names filling generic phrasings
("told X", "(via X)", "according to X"); nothing here names a real person or outlet.
The document's lookup tables live in `quote_context.py`.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..names import fold
from ..types import Document, Entity, Span
from .quote_context import SUBJECT_DEPS
from .quote_cues import (ANONYMOUS, CONTINUE_VERBS, FIRST_SECOND, ORG_ROLES, PERSON_PRONOUNS, PERSON_ROLES,
                         REPORTEDLY, SPEECH_VERBS, UTTERANCE_NOUNS, clean_name)
from .quote_types import RawQuote
from .speaker_roles import RoleResolver


_NP_POS = {"PRON", "PROPN", "NOUN", "DET", "ADJ", "NUM", "ADV", "PUNCT", "PART", "ADP"}
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
    rule: str = "none"  # the step that decided: after_cue, before_cue, ..., none


class Attributor(RoleResolver):
    """Attribution context for one document; call `attribute(i)` for i = 0, 1, 2... in order."""

    def __init__(self, doc: Document, parsed: Doc, view: str, quotes: Sequence[RawQuote],
                 people: Sequence[Entity], publications: Sequence[Entity] = (),
                 all_quotes: Sequence[RawQuote] | None = None) -> None:
        super().__init__(doc, parsed, view, quotes, people, publications, all_quotes)
        self.results: list[Attribution] = []
        self.roles: dict[str, str] = {}  # person id -> "director" / "actor", from the fact stage

    # ------------------------------------------------------------------ naming a subject

    def _person(self, ent: Entity | None, cue: Span | None, conf: float) -> Attribution | None:
        return None if ent is None else Attribution(ent.name, ent.id, None, cue, conf, "person")

    def _previous(self) -> Attribution | None:
        return self.results[-1] if self.results else None

    def classify(self, head: Token, pos: int, cue: Span | None) -> Attribution | None:
        """The speaker a subject token names. Attribution(speaker=None) means "decided: nobody
        named" (I, critics, a friend); None means "not a usable subject"."""
        low = head.lower_
        ent = self.person_at(head.idx, head.idx + len(head.text))
        if ent is not None and not self._possessive(head):
            return self._person(ent, cue, 0.9)
        if low in PERSON_PRONOUNS:
            named = self._role_subject_before(pos)  # "The actor was more cautious. '...,' he said"
            found = self._person(named or self.focus(pos, low), cue, 0.8)
            return found or Attribution(cue=cue)
        if low in FIRST_SECOND:
            return Attribution(cue=cue, confidence=0.6)
        if (relative := self._relative(head, pos)) is not None:  # "her son said", "his family said"
            name, ent = relative
            return self._person(ent, cue, 0.75) if ent else Attribution(name, None, None, cue, 0.7, "org")
        if low in UTTERANCE_NOUNS or low == "they":
            prev = self._previous()
            recent = prev and prev.speaker and pos - self.quotes[len(self.results) - 1].end < 400
            if recent and (low != "they" or prev.kind != "person"):
                return Attribution(prev.speaker, prev.speaker_id, prev.outlet, cue, 0.7, prev.kind)
            source = self._utterance_source(pos) if low != "they" else None  # "a statement from X ... it read"
            if isinstance(source, Entity):
                return self._person(source, cue, 0.65)
            if source:
                return Attribution(source, None, None, cue, 0.65, "outlet" if fold(source) in self._outlet_names else "org")
            if prev and prev.speaker and (low != "they" or prev.kind != "person"):
                return Attribution(prev.speaker, prev.speaker_id, prev.outlet, cue, 0.6, prev.kind)
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
            subj = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
            if subj:
                return subj[0]
            if node.dep_ not in ("xcomp", "pcomp", "prep", "conj", "pobj") or node.head is node:
                return None
            node = node.head
        return None

    def _span(self, a: Token, b: Token) -> Span:
        first, last = (a, b) if a.i <= b.i else (b, a)
        start = first.left_edge.idx if first.dep_ in SUBJECT_DEPS else first.idx
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
        toks = self.tokens(q.close + 1, end)[:14]  # room for "X's head of distribution, Name, told"
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
                [u for u in subj if u.dep_ in SUBJECT_DEPS] or \
                [u for u in subj if self.pos(u) in ("PRON", "PROPN", "NOUN") or u.lower_ == "old"]
            if not heads:
                return None
            head = heads[0] if j > 0 and heads[0].dep_ in SUBJECT_DEPS else heads[-1]
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
        subj = next((t for t in toks if t.dep_ in SUBJECT_DEPS and t.head.idx < colon), None)
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
            if k < len(self._bounds) and self._bounds[k] <= q.close + 3 and self.view[q.end - 1:q.end] in ("!", "?"):
                k += 1  # "'Wow!' James said": the quote's own mark ends no sentence
            end = min(end, self._bounds[k]) if k < len(self._bounds) else end

        steps = [("byline", lambda: self._byline_speaker(q) if q.block else None),
                 ("after_cue", lambda: self._after_cue(q, end) if q.close is not None else None),
                 ("before_cue", lambda: None if q.block else self._before_cue(q, region)),
                 ("paragraph_intro", lambda: self._paragraph_intro(q) if initial else None),
                 ("embedded", lambda: self._embedded(sent if initial else region, end, q)),
                 ("previous_subject", lambda: self._previous_subject(sent, line_start) if initial else None),
                 ("inherit", lambda: self._inherit(q, prev, same_line) if (
                     initial or (same_line and not self._boundary_between(prev, q))) and
                     not self.person_at(q.end, end) else None),  # '"...", a confié X': someone else, unparsed
                 ("next_paragraph", lambda: self._next_paragraph(q) if initial else None),
                 ("interviewee", lambda: self._interviewee_speaker() if q.block else None)]
        found, rule = None, "none"
        for rule, step in steps:
            if (found := step()) is not None:
                break
        else:
            rule = "none"
        continued, inherited = rule == "previous_subject", rule == "inherit"
        found = found or Attribution()
        found.rule = rule
        if found.kind == "outlet" and found.outlet is None:
            found.outlet = found.speaker  # a publication's own wording ("The Atlantic called it ...")
        if not inherited and found.outlet is None:
            found.outlet = self._outlet(q, found, region, end, same_line, continued)
        if found.kind == "person" and found.speaker_id in self._by_id:
            insort(self._focus, ((found.cue.start if found.cue else q.start), self._by_id[found.speaker_id]),
                   key=lambda f: f[0])
        self.results.append(found)
        return found

    def _byline_speaker(self, q: RawQuote) -> Attribution | None:
        """An embedded post signed "— Name (@handle) date": the signer."""
        name = self.byline(q)
        if not name:
            return None
        ent = self._by_name.get(fold(name))
        return self._person(ent, None, 0.85) if ent else Attribution(name, None, None, None, 0.8, "person")

    def _interviewee_speaker(self) -> Attribution | None:
        who = self.interviewee
        if who is None:
            return None
        return self._person(who, None, 0.6) if isinstance(who, Entity) else Attribution(who, None, None, None, 0.5, "person")

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
                      for t in self.tokens(p0, s0)[:None if self._deps else 4] if t.dep_ in SUBJECT_DEPS or not self._deps)
        return hit[0] if named or pronoun else None
