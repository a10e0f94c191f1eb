"""The learned title stage: film, series or neither for every candidate title of a document.

Training (`fit`) runs the rule recogniser over the gold articles, groups its candidates (plus
header lines, quoted spans and WORK_OF_ART names) by folded title (`extract/title_features.py`),
labels each group by the gold film and series entities (FACTS.md title matching), and fits
small gradient-boosted trees with scikit-learn (fixed seed), exported as plain JSON lists.
The film threshold is picked by F1 on out-of-fold probabilities. Inference walks the shipped
trees: no scikit-learn at run time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..matching import film_match
from ..types import Mention

CLASSES = ("none", "film", "series")
TREES = 80
DEPTH = 3
RATE = 0.1
MIN_LEAF = 5
MIN_FEATURE_COUNT = 2
INNER_FOLDS = 3


@dataclass
class TitleModel:
    """Gradient-boosted trees per class (film, series, none), stored as plain lists.
    A tree is [[feature, threshold, left, right] for split nodes, or [value] for leaves]."""

    init: dict[str, float] = field(default_factory=dict)  # class -> initial raw score
    trees: dict[str, list[list[list]]] = field(default_factory=dict)  # class -> trees
    rate: float = 0.1
    threshold: float = 0.5

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        z = {c: self.init[c] + self.rate * sum(_walk(t, features) for t in trees) for c, trees in self.trees.items()}
        top = max(z.values())
        e = {c: math.exp(v - top) for c, v in z.items()}
        total = sum(e.values())
        return {c: v / total for c, v in e.items()}

    def decide(self, features: dict[str, float]) -> str | None:
        """"film", "series" or None."""
        p = self.probabilities(features)
        if p.get("film", 0.0) >= self.threshold and p["film"] >= p.get("series", 0.0):
            return "film"
        if p.get("series", 0.0) > max(p.get("none", 0.0), p.get("film", 0.0)):
            return "series"
        return None

    def select(self, doc, parsed, catalog, candidates: list[Mention], kept: list[Mention],
               people: list[Mention]) -> list[Mention]:
        """The film and series mentions of a document (replaces the rules' own choice)."""
        from ..extract.title_features import accepted_mentions, featurize, title_groups
        from ..extract.titles import propagate_titles

        if not self.init:  # trained on too little to learn anything: the rules decide
            return kept
        groups, ctx = title_groups(doc, parsed, catalog, candidates, kept, people)
        out: list[Mention] = []
        for group in groups:
            kind = self.decide(featurize(group, ctx, catalog))
            if kind is not None:
                out += accepted_mentions(doc.clean, group, kind)
        return out + propagate_titles(doc.clean, out, people)

    def to_json(self) -> dict[str, Any]:
        return {"threshold": round(self.threshold, 4), "rate": self.rate,
                "init": {c: round(v, 6) for c, v in self.init.items()}, "trees": self.trees}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TitleModel:
        return cls(dict(data["init"]), {c: list(t) for c, t in data["trees"].items()}, float(data["rate"]),
                   float(data["threshold"]))


def _walk(tree: list[list], features: dict[str, float]) -> float:
    node = tree[0]
    while len(node) == 4:
        node = tree[node[2] if features.get(node[0], 0.0) <= node[1] else node[3]]
    return node[0]


MODEL = TitleModel


def label_group(text: str, gold: dict[str, Any]) -> str:
    for e in gold.get("entities") or []:
        if e.get("type") in ("film", "series") and film_match(e.get("name"), text):
            return e["type"]
    return "none"


def examples(articles: list, catalog) -> list[tuple[str, dict[str, float], str]]:
    """(article id, features, label) for every candidate group of every article."""
    from ..extract.recognise import rule_candidates
    from ..extract.title_features import featurize, title_groups

    out = []
    for a in articles:
        candidates, kept, people = rule_candidates(a.doc, a.parsed, catalog)
        groups, ctx = title_groups(a.doc, a.parsed, catalog, candidates, kept, people)
        out += [(a.id, featurize(g, ctx, catalog), label_group(g.text, a.gold)) for g in groups]
    return out


def _fit(rows: list[tuple[dict[str, float], str]]) -> TitleModel:
    """Gradient boosting (scikit-learn, fixed seed) exported to plain trees."""
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer

    counts: dict[str, int] = {}
    for feats, _ in rows:
        for k in feats:
            counts[k] = counts.get(k, 0) + 1
    keep = {k for k, n in counts.items() if n >= MIN_FEATURE_COUNT}
    vec = DictVectorizer(sort=True, sparse=False)
    X = vec.fit_transform([{k: v for k, v in feats.items() if k in keep} for feats, _ in rows])
    y = np.array([label for _, label in rows])
    if len(set(y)) < 2:
        return TitleModel()
    model = GradientBoostingClassifier(n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE,
                                       min_samples_leaf=MIN_LEAF, random_state=0)
    model.fit(X, y)
    names = list(vec.get_feature_names_out())
    classes = [str(c) for c in model.classes_]
    raw = model._raw_predict_init(X[:1])[0]
    if len(classes) == 2:  # binary: one tree per stage scores the second class against the first
        init = {classes[0]: 0.0, classes[1]: float(raw[0])}
        columns = {classes[1]: 0}
    else:
        init = {c: float(raw[i]) for i, c in enumerate(classes)}
        columns = {c: i for i, c in enumerate(classes)}
    trees = {c: [_export(model.estimators_[i, col].tree_, names) for i in range(model.estimators_.shape[0])]
             for c, col in columns.items()}
    if len(classes) == 2:
        trees[classes[0]] = []
    return TitleModel({c: round(v, 6) for c, v in init.items()}, trees, RATE)


def _export(tree, names: list[str]) -> list[list]:
    out = []
    for node in range(tree.node_count):
        if tree.children_left[node] < 0:
            out.append([round(float(tree.value[node][0][0]), 6)])
        else:
            out.append([names[tree.feature[node]], round(float(tree.threshold[node]), 6),
                        int(tree.children_left[node]), int(tree.children_right[node])])
    return out


def _best_threshold(scored: list[tuple[float, bool]]) -> float:
    best, best_f1 = 0.5, -1.0
    positives = sum(ok for _, ok in scored)
    for t in [x / 20 for x in range(4, 17)]:
        tp = sum(ok for p, ok in scored if p >= t)
        fp = sum(not ok for p, ok in scored if p >= t)
        f1 = 2 * tp / (2 * tp + fp + (positives - tp)) if positives else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = t, f1
    return best


def fit(articles: list, catalog, models=None) -> TitleModel:
    rows = examples(articles, catalog)
    ids = sorted({doc for doc, _, _ in rows})
    scored: list[tuple[float, bool]] = []
    for i in range(INNER_FOLDS):
        held = set(ids[i::INNER_FOLDS])
        train = [(f, y) for d, f, y in rows if d not in held]
        inner = _fit(train)
        if not inner.init:
            continue
        scored += [(inner.probabilities(f).get("film", 0.0), y == "film") for d, f, y in rows if d in held]
    model = _fit([(f, y) for _, f, y in rows])
    model.threshold = _best_threshold(scored)
    return model
