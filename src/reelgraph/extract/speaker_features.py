"""Speaker candidates and their features, for the learned speaker ranker (`learn/speakers.py`).

For each quote, after the hand rules of `attribution.py` have run: every person, organisation
and publication named near it, the speakers of the previous quotes, the interviewee, the rules'
own choice, and "no speaker". Each candidate gets a sparse feature dict: how close its nearest
mention is (tokens, paragraphs, before or after), whether that mention is the subject of a
speech verb or sits right beside one, what kind of mention it is, whether it spoke the previous
quotes, how prominent it is in the article, Q&A and embed-byline shapes, and the rules' choice;
from `speaker_scope.py`: the subject of the quote's own sentence, who spoke nearby, role-like
names ("plays X") and whether the candidate's gender fits the cue's pronoun or role noun.
Nothing here names a person or an outlet.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..names import fold
from .attribution import Attribution, Attributor
from .quote_context import SUBJECT_DEPS
from .quote_cues import PERSON_PRONOUNS, SPEECH_VERBS
from .quote_types import RawQuote
from .speaker_roles import GENDERED
from .speaker_scope import FEMALE, MALE, SpeakerScope

NONE = "<none>"
WINDOW_BEFORE, WINDOW_AFTER = 1500, 400  # characters around the quote where mentions are candidates
ORG_WINDOW = 600
_CROSSED = ("top", "focus", "prev1", "run", "before_same_sentence", "before_subject", "before_para=0",
            "before_para=1", "interviewee", "in_lede", "sent_subj", "sent_subj_poss", "sent_subj_pron",
            "near_top")
_QUESTION_END = re.compile(r"\?[\s*_\"\u201d]*$")


@dataclass
class SpeakerCandidate:
    key: str  # entity id, "org:<folded name>" or NONE
    name: str | None
    entity_id: str | None
    kind: str  # person | org | none
    features: dict[str, float] = field(default_factory=dict)


def _bucket(n: float) -> str:
    """0, 1, 2-3, 4-7, ... as a label."""
    return "0" if n <= 0 else str(min(8, int(math.log2(n)) + 1))


class SpeakerFeatures:
    """Candidate generation and features over one document's `Attributor` (rules already run)."""

    def __init__(self, att: Attributor) -> None:
        self.att = att
        view = att.view
        self.paras = [a for a, b in att.lines if view[a:b].strip()]
        counts: dict[str, int] = {}
        for _, _, ent in att._mentions:
            counts[ent.id] = counts.get(ent.id, 0) + 1
        self.mention_counts = counts
        ranked = sorted(counts, key=lambda k: -counts[k])
        self.rank = {k: i for i, k in enumerate(ranked)}
        self.total = max(1, sum(counts.values()))
        self.lede_end = self.paras[min(2, len(self.paras) - 1)] if self.paras else 0
        self.scope = SpeakerScope(att, self.para)
        self._subjects: list[tuple[str, object]] = []

    def para(self, pos: int) -> int:
        return bisect_right(self.paras, pos) - 1

    # ------------------------------------------------------------------ candidates

    def candidates(self, i: int, rule: Attribution, previous: list[Attribution]) -> list[SpeakerCandidate]:
        att, q = self.att, self.att.quotes[i]
        out: dict[str, SpeakerCandidate] = {}

        def add(key: str, name: str | None, eid: str | None, kind: str) -> SpeakerCandidate:
            if key not in out:
                out[key] = SpeakerCandidate(key, name, eid, kind)
            return out[key]

        lo = bisect_left(att._m_starts, q.open - WINDOW_BEFORE)
        hi = bisect_left(att._m_starts, q.end + WINDOW_AFTER)
        for _, _, ent in att._mentions[lo:hi]:
            add(ent.id, ent.name, ent.id, "person")
        lo = bisect_left(att._org_starts, q.open - ORG_WINDOW)
        hi = bisect_left(att._org_starts, q.end + 200)
        for _, name, _ in att._orgs[lo:hi]:
            self._add_named(add, name, "org")
        for prev in previous[-3:] + [rule]:
            if prev.speaker:
                if prev.speaker_id in att._by_id:
                    add(prev.speaker_id, prev.speaker, prev.speaker_id, "person")
                else:
                    self._add_named(add, prev.speaker, "org" if prev.kind != "person" else "person")
        who = att.interviewee
        if who is not None and not isinstance(who, str):
            add(who.id, who.name, who.id, "person")
        self._subjects = self.scope.sentence_subjects(q)
        for _, ent in self._subjects:
            add(ent.id, ent.name, ent.id, "person")
        add(NONE, None, None, "none")
        cands = list(out.values())
        for cand in cands:
            cand.features = self.features(i, q, cand, rule, previous)
        return cands

    def _add_named(self, add, name: str, kind: str) -> None:
        ent = self.att._by_name.get(fold(name))
        if ent is not None:
            add(ent.id, ent.name, ent.id, "person")
        else:
            add("org:" + fold(name), name, None, kind)

    # ------------------------------------------------------------------ features

    def _same(self, cand: SpeakerCandidate, attr: Attribution | None) -> bool:
        if attr is None:
            return False
        if cand.kind == "none":
            return not attr.speaker
        if not attr.speaker:
            return False
        if cand.entity_id and attr.speaker_id:
            return cand.entity_id == attr.speaker_id
        got = self.att._by_name.get(fold(attr.speaker))
        return (got is not None and got.id == cand.entity_id) or fold(attr.speaker) == fold(cand.name or "")

    def features(self, i: int, q: RawQuote, cand: SpeakerCandidate, rule: Attribution,
                 previous: list[Attribution]) -> dict[str, float]:
        att = self.att
        f: dict[str, float] = {f"kind={cand.kind}": 1.0}
        chosen = self._same(cand, rule)
        if chosen:
            f["rule"] = 1.0
            f[f"rule={rule.rule}"] = 1.0
            f["rule_conf"] = rule.confidence
            if rule.cue is not None and any(w in PERSON_PRONOUNS for w in rule.cue.text.lower().split()):
                f["rule_pronoun"] = 1.0
        for back, prev in enumerate(previous[-3:][::-1], 1):
            if self._same(cand, prev):
                f[f"prev{back}"] = 1.0
        qp = self.para(q.open)
        prev_q = att.quotes[i - 1] if i > 0 else None
        if prev_q is not None and self.para(prev_q.open) >= qp - 1 and previous and self._same(cand, previous[-1]):
            f["run"] = 1.0  # a run of quotes in this or the previous paragraph
        qa = self._qa_turn(q)
        byline = self._byline(q)
        self._scope_features(f, i, q, cand, rule, qp)
        if cand.kind == "none":
            return self._none_features(f, q, rule, qa, byline)
        if cand.entity_id is not None:
            count = self.mention_counts.get(cand.entity_id, 0)
            f["share"] = count / self.total
            f["top"] = float(self.rank.get(cand.entity_id, 99) == 0)
            f[f"mentions={_bucket(count)}"] = 1.0
            if att.interviewee is not None and getattr(att.interviewee, "id", None) == cand.entity_id:
                f["interviewee"] = 1.0
                if qa:
                    f["qa_interviewee"] = 1.0
            focus = att.focus(q.open)
            if focus is not None and focus.id == cand.entity_id:
                f["focus"] = 1.0
            self._mention_features(f, q, cand, qp)
        else:
            f["org_outlet"] = float(fold(cand.name or "") in att._outlet_names)
            self._org_features(f, q, cand, qp)
        if qa:
            f["qa_top"] = f.get("top", 0.0)
        if byline is not None:
            f["byline"] = float(fold(byline) == fold(cand.name or "") or
                                (cand.name is not None and fold(byline).split()[-1:] == fold(cand.name).split()[-1:]))
        if not rule.speaker:  # the rules found nobody: which cues still point at this candidate
            for k in _CROSSED:
                if f.get(k):
                    f["rn:" + k] = f[k]
        return f

    def _scope_features(self, f: dict[str, float], i: int, q: RawQuote, cand: SpeakerCandidate,
                        rule: Attribution, qp: int) -> None:
        """The quote's sentence subject, who spoke nearby, role-like mentions, gender."""
        scope = self.scope
        if cand.kind == "none":
            f["none_sent_subj"] = float(bool(self._subjects))
            return
        key = cand.key
        for name, ent in self._subjects:
            if ent.id == cand.entity_id:
                f[name] = 1.0
        near = scope.nearby(i, qp)
        if near.get(key, 0) > 0:
            f[f"near_talk={_bucket(near[key])}"] = 1.0
            if near[key] == max(near.values()):
                f["near_top"] = 1.0
        if cand.entity_id in scope.characters:
            f["character"] = 1.0
        want = 0
        if rule.cue is not None:
            words = [w.strip(",.;:'\u2019") for w in rule.cue.text.lower().split()]
            want = next((1 if w in MALE else -1 if w in FEMALE else GENDERED.get(w, 0)
                         for w in words if w in MALE or w in FEMALE or w in GENDERED), 0)
        g = scope.gender_of(cand.entity_id)
        if want and g:
            f["gender_agree" if want == g else "gender_clash"] = 1.0

    def _none_features(self, f: dict[str, float], q: RawQuote, rule: Attribution, qa: bool,
                       byline: str | None) -> dict[str, float]:
        att = self.att
        a, b = att.lines[q.line]
        para_words = [t for t in att.tokens(a, b)]
        f["none_no_verb"] = float(not any(t.lower_ in SPEECH_VERBS for t in para_words))
        f["none_no_person"] = float(not any(a <= s < b for s in att._m_starts))
        lead = att.view[max(a, q.open - 3):q.open].strip()
        f["none_mid_sentence"] = float(bool(lead) and lead[-1:].isalnum())
        body = att.doc.text[q.start:q.end].lstrip("\"'\u2018\u201c ")
        f["none_lower_start"] = float(body[:1].islower())
        f["none_block"] = float(q.block)
        f["none_rule_none"] = float(not rule.speaker)
        f["none_qa"] = float(qa)
        f["none_byline"] = float(byline is not None)
        return f

    def _nearest(self, starts: list[int], pos: int, before: bool) -> int | None:
        if before:
            k = bisect_left(starts, pos) - 1
            return k if k >= 0 else None
        k = bisect_left(starts, pos)
        return k if k < len(starts) else None

    def _mention_features(self, f: dict[str, float], q: RawQuote, cand: SpeakerCandidate, qp: int) -> None:
        att = self.att
        q_end = q.end if q.close is None else q.close + 1
        mine = [(s, e) for s, e, ent in att._mentions if ent.id == cand.entity_id]
        before = [m for m in mine if m[0] < q.open]
        after = [m for m in mine if m[0] >= q_end]
        s0 = att.sentence_start(q.open)
        if before:
            s, e = before[-1]
            toks = len(att.tokens(e, q.open))
            f[f"before_tok={_bucket(toks)}"] = 1.0
            f[f"before_para={min(3, qp - self.para(s))}"] = 1.0
            f["before_same_sentence"] = float(s >= s0)
            self._mention_shape(f, s, e, "before")
            between = [k for k in att._m_starts if e <= k < q.open]
            f["before_others_between"] = min(3.0, len(between) - len([m for m in mine if e <= m[0] < q.open]))
        else:
            f["before_none"] = 1.0
        if after:
            s, e = after[0]
            toks = len(att.tokens(q_end, s))
            if self.para(s) == qp:
                f[f"after_tok={_bucket(toks)}"] = 1.0
                self._mention_shape(f, s, e, "after")
            elif self.para(s) == qp + 1:
                f["after_next_para"] = 1.0
        if mine and mine[0][0] < self.lede_end:
            f["in_lede"] = 1.0

    def _mention_shape(self, f: dict[str, float], s: int, e: int, side: str) -> None:
        """What kind of mention, and how it stands to a speech verb."""
        att = self.att
        toks = att.tokens(s, e)
        if not toks:
            return
        f[f"{side}_surname_only"] = float(len(toks) == 1)
        head = toks[-1]
        verb = head.head
        if head.dep_ in SUBJECT_DEPS:
            f[f"{side}_subject"] = 1.0
            if verb.lower_ in SPEECH_VERBS:
                f[f"{side}_subject_speech"] = 1.0
        if head.dep_ == "poss" or (head.i + 1 < len(att.parsed) and att.parsed[head.i + 1].lower_ in ("'s", "\u2019s")):
            f[f"{side}_possessive"] = 1.0
        near = att.tokens(max(0, s - 40), e + 40)
        for t in near:
            if t.lower_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX") and abs(t.i - head.i) <= 3:
                f[f"{side}_verb_{'right' if t.i > head.i else 'left'}"] = 1.0

    def _org_features(self, f: dict[str, float], q: RawQuote, cand: SpeakerCandidate, qp: int) -> None:
        att = self.att
        key = fold(cand.name or "")
        spots = [o for o in att._orgs if fold(o[1]) == key]
        before = [o for o in spots if o[0] < q.open]
        if before:
            s = before[-1][0]
            f[f"before_tok={_bucket(len(att.tokens(s, q.open)))}"] = 1.0
            f[f"before_para={min(3, qp - self.para(s))}"] = 1.0
            f["before_subject"] = float(before[-1][2])
        else:
            f["before_none"] = 1.0
        f[f"org_mentions={_bucket(len(spots))}"] = 1.0

    # ------------------------------------------------------------------ shapes

    def _qa_turn(self, q: RawQuote) -> bool:
        """An answer paragraph: the quote opens its paragraph and the previous one is a question."""
        att = self.att
        a, _ = att.lines[q.line]
        if att.view[a:q.open].strip():
            return False
        k = self.para(a) - 1
        if k < 0:
            return False
        pa = self.paras[k]
        pb = next(b for x, b in att.lines if x == pa)
        return bool(_QUESTION_END.search(att.view[pa:pb].rstrip()))

    def _byline(self, q: RawQuote) -> str | None:
        return self.att.byline(q)
