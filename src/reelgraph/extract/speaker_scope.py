"""Wider context for the speaker ranker (`speaker_features.py`): who the quote's own sentence is
about, who has been doing the talking nearby, which people are written as film roles, and a
gender reading of each person from pronouns the parse ties to that person (`bound_gender`, which
`QuoteContext` also puts ahead of its sentence-level evidence for the rules' "he"/"she").

- Sentence subject: the subject of the verb that governs the quote, else of the sentence's
  root ("X has often spoken of ..., recalling how ... '...'", "Producers A and B said ... '...'",
  "X's character muses about '...'"), with "he"/"she" resolved through the focus.
- Nearby talk: how many of the rules' attributions within a few paragraphs went to a candidate.
- Role-like people: names the article writes as parts ("plays X", "as X", "X (Actor)", "Actor's X").
- Gender: "actress X" / "X, the actor" and pronouns inside the clause whose subject is X ("X
  papered her home", "X said she ...") but not across a coordinated clause ("X did ..., but she ...").

Nothing here names a person or an outlet.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from spacy.tokens import Token

from ..names import fold
from .quote_context import SUBJECT_DEPS
from .quote_types import RawQuote
from .speaker_roles import GENDERED

MALE = frozenset({"he", "him", "his", "himself"})
FEMALE = frozenset({"she", "her", "hers", "herself"})
NEAR_PARAS = 4  # paragraphs either side counted as "nearby talk"


class SpeakerScope:
    """Per-document tables over an `Attributor` whose rules have run (`att.results` is full)."""

    def __init__(self, att, para_of) -> None:
        self.att = att
        self.para_of = para_of
        self.gender = att._gender  # bound pronouns first, then the sentence-level evidence
        self.speaker_paras: list[tuple[int, str]] = []
        for q, r in zip(att.quotes, att.results):
            key = self.key_of(r)
            if key:
                self.speaker_paras.append((para_of(q.open), key))
        self.characters = self._characters()

    def _characters(self) -> set[str]:
        """People the article writes as roles: "plays X", "as X", "X (Actor)", "Actor's X"."""
        att, out = self.att, set()
        for s, e, ent in att._mentions:
            before = att.view[max(0, s - 12):s].lower().split()[-1:]
            if before and before[0] in ("as", "plays", "play", "played", "playing", "character"):
                out.add(ent.id)
                continue
            m = re.match(r"\s*\(\s*(?:played by\s+)?", att.view[e:e + 16])
            other = att.person_at(e + m.end(), e + m.end() + 1) if m and m.group().strip() else None
            if other is not None and other.id != ent.id or att.view[e:e + 12].lower().startswith(", played by"):
                out.add(ent.id)
                continue
            k = bisect_left(att._tok_starts, s) - 1
            if k >= 1 and att.parsed[k].lower_ in ("'s", "\u2019s"):
                owner = att.person_at(att.parsed[k - 1].idx, att.parsed[k - 1].idx + 1)
                if owner is not None and owner.id != ent.id:
                    out.add(ent.id)
        return out

    def key_of(self, r) -> str | None:
        if not r.speaker:
            return None
        if r.speaker_id:
            return r.speaker_id
        ent = self.att._by_name.get(fold(r.speaker))
        return ent.id if ent is not None else "org:" + fold(r.speaker)

    # ------------------------------------------------------------------ nearby talk

    def nearby(self, i: int, qp: int) -> Counter:
        """Rule speakers of the other quotes within NEAR_PARAS paragraphs."""
        counts: Counter[str] = Counter()
        for p, key in self.speaker_paras:
            if abs(p - qp) <= NEAR_PARAS:
                counts[key] += 1
        own = self.key_of(self.att.results[i])
        if own:
            counts[own] -= 1
        return counts

    # ------------------------------------------------------------------ sentence subject

    def sentence_subjects(self, q: RawQuote) -> list[tuple[str, object]]:
        """(feature, entity) for the subject of the verb governing the quote and of the root of
        its sentence: "sent_subj" (named or pronoun), "sent_subj_poss" ("X's character ...")."""
        att = self.att
        if not att._deps:
            return []
        k = bisect_left(att._tok_starts, q.start)
        if k >= len(att.parsed):
            return []
        tok = att.parsed[k]
        verbs: list[Token] = []
        node, steps = tok, 0
        while steps < 12 and node.head.i != node.i:  # out of the quote, up to a verb with a subject
            node, steps = node.head, steps + 1
            if att.in_quote(node.idx) or node.idx >= q.start and node.idx < q.end:
                continue
            if any(c.dep_ in SUBJECT_DEPS for c in node.children):
                verbs.append(node)
                break
        root = tok.sent.root
        if all(v.i != root.i for v in verbs) and not (q.start <= root.idx < q.end):
            verbs.append(root)
        out: list[tuple[str, object]] = []
        for verb in verbs:
            for subj in (c for c in verb.children if c.dep_ in SUBJECT_DEPS):
                if att.in_quote(subj.idx):
                    continue
                found = self._resolve(subj)
                if found is not None:
                    out.append(found)
        return out

    def _resolve(self, subj: Token) -> tuple[str, object] | None:
        att = self.att
        low = subj.lower_
        if low in MALE or low in FEMALE:
            ent = att.focus(subj.idx, low)
            return ("sent_subj_pron", ent) if ent is not None else None
        for t in subj.subtree:  # "Producers A and B", "A, who ...": the first person named
            if att.in_quote(t.idx):
                continue
            ent = att.person_at(t.idx, t.idx + 1)
            if ent is None and t.pos_ == "PROPN":
                ent = att._by_name.get(fold(t.text))
            if ent is None:
                continue
            if att._possessive(t) and t.head.i == subj.i:
                return "sent_subj_poss", ent
            if not att._possessive(t):
                return "sent_subj", ent
        return None

    def gender_of(self, eid: str | None) -> int:
        g = self.gender.get(eid or "", 0)
        return (g > 0) - (g < 0)


def bound_gender(att) -> dict[str, int]:
    """+he / -she per person id, from role nouns beside a mention and pronouns bound to it."""
    score: Counter[str] = Counter()
    for s, e, ent in att._mentions:
        toks = att.tokens(s, e)
        if not toks:
            continue
        head = next((t for t in toks if not s <= t.head.idx < e), toks[-1])
        before = att.parsed[toks[0].i - 1].lower_ if toks[0].i > 0 else ""
        role = GENDERED.get(before, 0)  # "actress X"; "X, the actor"
        if att.view[e:e + 6].startswith(", the "):
            nxt = att.view[e + 6:e + 20].split()
            role = role or (GENDERED.get(nxt[0].strip(",.;"), 0) if nxt else 0)
        if role and not att._possessive(head):
            score[ent.id] += 2 * role
        if head.dep_ not in SUBJECT_DEPS or att._possessive(head):
            continue
        verb = head.head
        for p in verb.subtree:
            low = p.lower_
            if (low not in MALE and low not in FEMALE) or att.in_quote(p.idx) or s <= p.idx < e:
                continue
            if not (p.dep_ == "poss" or low.endswith("self") or (p.dep_ in SUBJECT_DEPS and p.head.i != verb.i)):
                continue  # "X called her ...": an object pronoun is someone else
            node, ok = p, True
            while node.i != verb.i and node.head.i != node.i:
                if node.dep_ in ("conj", "parataxis"):
                    ok = False
                    break
                node = node.head
            if ok and node.i == verb.i:
                score[ent.id] += 1 if low in MALE else -1
    return dict(score)
