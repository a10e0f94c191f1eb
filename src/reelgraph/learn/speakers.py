"""The learned speaker stage: a logistic ranker over speaker candidates of each quote.

Training (`fit`) runs quote detection and the attribution rules over the gold articles, matches
each found quote to its gold quote (FACTS.md overlap rule), and labels every candidate of
`extract/speaker_features.py` by the FACTS.md speaker rule ("no speaker" is right only when the
gold has none). Quotes whose gold speaker is no candidate teach nothing and are left out. One
logistic model scores candidates; the best one per quote wins. Inference is a dot product over
the shipped weights: no scikit-learn at run time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from . import frequent_keys

MODEL_ID = "model.speakers"
C = 0.5
MIN_FEATURE_COUNT = 2


@dataclass
class SpeakerModel:
    bias: float = 0.0
    weights: dict[str, float] = field(default_factory=dict)

    def score(self, features: dict[str, float]) -> float:
        return self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())

    def choose(self, cands: list) -> tuple[Any, float]:
        """The best candidate and its probability."""
        scored = [(self.score(c.features), n, c) for n, c in enumerate(cands)]
        z, _, best = max(scored, key=lambda s: (s[0], -s[1]))
        return best, 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def rerank(self, attributor, results: list) -> tuple[list, list[list[str]]]:
        """The rules' attributions with each speaker re-decided; sources name who decided."""
        from ..extract.speaker_features import SpeakerFeatures

        feats = SpeakerFeatures(attributor)
        out, sources = [], []
        for i, found in enumerate(results):
            cands = feats.candidates(i, found, results[:i])
            best, prob = self.choose(cands)
            src = [f"attribution.{found.rule}", MODEL_ID]
            if best.features.get("rule"):
                out.append(replace(found, confidence=round(prob, 3)))
            else:
                kind = "person" if best.kind == "person" else "org" if best.kind == "org" else "none"
                out.append(replace(found, speaker=best.name, speaker_id=best.entity_id, kind=kind,
                                   confidence=round(prob, 3), cue=None if best.kind == "none" else found.cue))
            sources.append(src)
        return out, sources

    def to_json(self) -> dict[str, Any]:
        return {"model": "logistic ranker", "features": "extract/speaker_features.py", "bias": round(self.bias, 4),
                "weights": {k: round(w, 4) for k, w in sorted(self.weights.items()) if round(w, 4)}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpeakerModel:
        return cls(data["bias"], dict(data["weights"]))


MODEL = SpeakerModel


# ----------------------------------------------------------------------------- training data

def quote_groups(article, catalog, models, every: bool = False) -> list[tuple[list[dict[str, float]], list[int]]]:
    """(candidate features, labels) for every found quote of `article` that matches a gold quote
    whose speaker is among its candidates (`every`: also those whose speaker is not)."""
    from ..evaluate import _greedy, _speaker_ok
    from ..extract import analyse_relations
    from ..extract.quotes import attribute_quotes
    from ..extract.speaker_features import SpeakerFeatures
    from ..matching import QUOTE_OVERLAP, _tokens, quote_overlap

    rel = analyse_relations(article.doc, article.parsed, catalog, models)
    people = [e for e in rel.entities if e.type == "person"]
    outlets = [e for e in rel.entities if e.type == "publication"]
    att, kept, results = attribute_quotes(article.doc, article.parsed, people, outlets, rel.frames.roles)
    gold = article.gold.get("quotes") or []
    persons = {_tokens(e.get("name")) for e in article.gold.get("entities") or [] if e.get("type") == "person"} - {()}
    texts = [article.doc.text[q.start:q.end] for q in kept]
    pairs = _greedy([((-ov,), gi, pj) for gi, g in enumerate(gold) for pj, t in enumerate(texts)
                     if (ov := quote_overlap(g.get("text"), t)) >= QUOTE_OVERLAP])
    feats = SpeakerFeatures(att)
    groups = []
    for gi, pj in sorted(pairs, key=lambda p: p[1]):
        cands = feats.candidates(pj, results[pj], results[:pj])
        labels = [int(_speaker_ok(gold[gi].get("speaker"), c.name, persons)) for c in cands]
        if every or any(labels):
            groups.append(([c.features for c in cands], labels))
    return groups


def fit_groups(groups: list[tuple[list[dict[str, float]], list[int]]]) -> SpeakerModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [f for feats, _ in groups for f in feats]
    labels = [y for _, ys in groups for y in ys]
    keep = frequent_keys(rows, MIN_FEATURE_COUNT)
    rows = [{k: v for k, v in f.items() if k in keep} for f in rows]
    if len(set(labels)) < 2:
        return SpeakerModel()
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(rows)
    clf = LogisticRegression(C=C, max_iter=5000, solver="lbfgs")
    clf.fit(x, labels)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0])}
    return SpeakerModel(float(clf.intercept_[0]), weights)


def fit(articles: list, catalog, models) -> SpeakerModel:
    groups = [g for article in articles for g in quote_groups(article, catalog, models)]
    return fit_groups(groups)
