"""Speakers named by a description rather than a name: role nouns ("the actress", "the
director"), relatives ("her son", "his family"), organisations by kind ("the company", "the
academy"), an utterance's source ("it read" after "a statement from X") and the signature of
an embedded post ("— Name (@handle) date"). Generic words only: nothing here names a person
or an organisation. `attribution.Attributor` builds on this class.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Token

from ..names import fold
from ..types import Entity
from .quote_context import QuoteContext
from .quote_cues import NAME, UTTERANCE_NOUNS, clean_name
from .quote_types import RawQuote

ROLE_SUBJECT = re.compile(r"(?:^|[.!?]\s+)[Tt]he (actor|actress|director|filmmaker|star|writer|producer)\b[^.!?\"\u201c]*[.!?]")
# role nouns that say the person's gender (+1 he, -1 she)
GENDERED = {**{w: -1 for w in "actress woman mother mom daughter wife spokeswoman chairwoman sister widow "
                                "girlfriend grandmother aunt niece businesswoman lady queen princess".split()},
            **{w: 1 for w in "man father dad son husband spokesman chairman brother widower boyfriend "
                             "grandfather uncle nephew businessman king prince".split()}}
RELATIVES = frozenset("family son daughter wife husband mother father mom dad brother sister parents children "
                      "widow widower partner fiance fiancee grandson granddaughter kids estate".split())
BYLINE = re.compile(r"[\s>]*[\u2014\u2013-]{1,2}\s*(?P<name>[^\n(@]{2,60}?)\s*\(@[\w\\]+\)")
_UTTERANCE = re.compile(r"\b(?:" + "|".join(sorted(w for w in UTTERANCE_NOUNS if w != "it")) + r")s?\b", re.I)
_SOURCE = re.compile(rf"\s+(?:from|by|of)\s+(?:(?:the|his|her|their|its)\s+[\w-]+(?:\s+[\w-]+)?,\s+)?"
                     rf"(?P<name>{NAME})")  # "a statement from her agency, X,"
_PUBLICATION_ROLES = frozenset("paper newspaper magazine publication site website outlet".split())


class RoleResolver(QuoteContext):
    """Who a description points at, over one document's tables."""

    roles: dict[str, str]

    def fits_gender(self, ent: Entity, want: int) -> bool:
        return self._gender.get(ent.id, 0) * want >= 0

    def _role_person(self, role: str, pos: int) -> Entity | None:
        """Latest person described by `role` ("director X", "X, the director"), else the latest
        one the article calls that, else the focus; a gendered role skips the other gender."""
        want = GENDERED.get(role, 0)
        k = bisect_left(self._m_starts, pos) - 1
        while k >= 0 and pos - self._m_starts[k] < 4000:
            s, e, ent = self._mentions[k]
            before = re.sub(r"[^\w\s-]", " ", self.view[max(0, s - 30):s].lower()).split()[-2:]
            after = self.view[e:e + 50].lower()
            if any(w == role or w.endswith("-" + role) for w in before) or \
                    re.match(rf",?\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,2}}{re.escape(role)}\b", after):
                return ent
            k -= 1
        found = self._latest_with_role(role, pos)
        if found is not None and self.fits_gender(found, want):
            return found
        return self.focus(pos, {1: "he", -1: "she"}.get(want, ""))

    def _role_subject_before(self, pos: int) -> Entity | None:
        """The person behind a sentence that opens with "The actor/director ..." just before
        `pos`, when no one else is named in between."""
        start = max(0, pos - 240)
        hits = list(ROLE_SUBJECT.finditer(self.view[start:pos]))
        if not hits:
            return None
        after = start + hits[-1].end()
        if any(after <= s < pos for s in self._m_starts):
            return None
        return self._latest_with_role(hits[-1].group(1).lower(), start + hits[-1].start())

    def _latest_with_role(self, role: str, pos: int) -> Entity | None:
        """The person named last before `pos` whom the article elsewhere calls a `role`."""
        kind = {"actress": "actor", "star": "actor", "filmmaker": "director"}.get(role, role)
        want = GENDERED.get(role, 0)
        k = bisect_left(self._m_starts, pos) - 1
        while k >= 0:
            ent = self._mentions[k][2]
            if self.roles.get(ent.id) == kind and self.fits_gender(ent, want):
                return ent
            k -= 1
        return None

    def _role_org(self, role: str, pos: int) -> str | None:
        """Latest organisation whose name holds the role word, else the latest subject one, else
        a near one, else the one the article names most in the last few paragraphs."""
        k = bisect_left(self._org_starts, pos) - 1
        lo = max(0, k - 200)
        every = self._orgs[lo:k + 1]
        window = every if role in _PUBLICATION_ROLES else [o for o in every if fold(o[1]) not in self._outlet_names]
        named = [o for o in window if role in fold(o[1]).split()]
        subjects = [o for o in window if o[2] and pos - o[0] < 1500]
        near = [o for o in window if pos - o[0] < 600]
        pick = (named or subjects or [None])[-1]
        if pick is not None:
            return pick[1]
        names = {o[1] for o in every if pos - o[0] < 4000 and len(o[1]) > 2}
        counts = {n: len(re.findall(rf"(?<!\w){re.escape(n)}(?!\w)", self.view)) for n in names}
        best = max(counts.values(), default=0)
        if best >= 2:  # the organisation the article keeps naming
            return next(o[1] for o in reversed(every) if counts.get(o[1]) == best)
        return near[-1][1] if near else None

    def _relative(self, head: Token, pos: int) -> tuple[str, Entity | None] | None:
        """"her son said", "his family said": the relative named beside the noun ("her son,
        Jo Doe"), else "<person>'s <noun>" for the person the possessive points at."""
        low = head.lower_
        if low not in RELATIVES:
            return None
        owners = [c for c in head.children if c.dep_ == "poss"]
        if not owners and head.i > 0 and self.parsed[head.i - 1].lower_ in ("his", "her", "their"):
            owners = [self.parsed[head.i - 1]]
        if not owners:
            return None
        end = head.idx + len(head.text)
        named = self.person_at(end + 1, end + 40) if re.match(r",?\s+[A-Z]", self.view[end:end + 3]) else None
        if named is not None and low != "family":
            return named.name, named
        owner = owners[0]
        if owner.lower_ in ("his", "her"):
            person = self._latest_fitting(pos, 1 if owner.lower_ == "his" else -1) or self.focus(pos, owner.lower_)
        elif owner.lower_ == "their":
            person = None
        else:
            person = self.person_at(owner.idx, owner.idx + len(owner.text))
        if person is None:
            return None
        return f"{person.name}'s {low}", None

    def _latest_fitting(self, pos: int, want: int, within: int = 1500) -> Entity | None:
        """The person named last before `pos` (within `within` characters) whose gender fits."""
        k = bisect_left(self._m_starts, pos) - 1
        while k >= 0 and pos - self._m_starts[k] < within:
            if self.fits_gender(self._mentions[k][2], want):
                return self._mentions[k][2]
            k -= 1
        return None

    def _utterance_source(self, pos: int) -> str | Entity | None:
        """"A statement from X called it sad. '...,' it read": the organisation (else the
        person) named right after a statement, post or note in the last two sentences."""
        s0 = self.sentence_start(pos)
        start = self.sentence_start(s0 - 1) if s0 > 0 else s0
        for m in reversed(list(_UTTERANCE.finditer(self.view, start, pos))):
            if self.in_quote(m.start()):
                continue
            k = bisect_left(self._org_starts, m.end())
            if k < len(self._orgs) and self._orgs[k][0] < min(pos, m.end() + 60):
                return self._orgs[k][1]
            tail = _SOURCE.match(self.view, m.end())
            if tail:
                ent = self.person_at(tail.start("name"), tail.end("name"))
                return ent if ent is not None else clean_name(tail.group("name"))
        return None

    def byline(self, q: RawQuote) -> str | None:
        """The signature of an embedded post ("— Name (@handle) date") on the quote's line or
        on the block-quotation lines right after it."""
        text = self.doc.text
        for n in range(q.line, min(len(self.lines), q.line + 5)):
            a, b = self.lines[n]
            line = text[a:b].strip()
            if n > q.line and line and not line.startswith(">"):
                return None
            m = BYLINE.match(text, a, b)
            if m:
                name = re.sub(r"[^\w.)\]]+$", "", m.group("name").strip(" *_[")).strip()
                return name.replace("\\", "") or None
        return None
