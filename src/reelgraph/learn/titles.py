"""The learned title stage: film, series or neither for every candidate title of a document.

Training (`fit`) runs the rule recogniser over the gold articles, groups its candidates (plus
header lines, quoted spans and WORK_OF_ART names) by folded title (`extract/title_features.py`),
labels each group by the gold film and series entities (FACTS.md title matching), and fits
small gradient-boosted trees with scikit-learn (fixed seed), exported as plain JSON lists.
One tree feature is the score of a logistic model over the words around the title's mentions
(`context.py`). The film threshold is picked by F1 on out-of-fold probabilities. Inference walks
the shipped trees: no scikit-learn at run time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..matching import film_match
from ..types import Mention
from . import context, frequent_keys

LEARNS_FROM_ENTITIES = True  # labels come from gold entities alone: entity-only annotations teach it too
TREES = 160  # 80 trees of depth 3 before the entity-only articles tripled the examples
DEPTH = 4
RATE = 0.1
MIN_LEAF = 10
SUBSAMPLE = 0.7
SEEDS = 5  # ensembles averaged
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
    context: dict[str, float] = field(default_factory=dict)  # context word -> weight ("" is the intercept)
    _forest: dict[str, _Forest] | None = field(default=None, repr=False, compare=False)
    CONTEXT_FEATURE = "ctx_film"  # the context model's score, one tree feature

    def with_context(self, features: dict[str, float], mentions: list[Mention], parsed) -> dict[str, float]:
        """`features` with the context model's score of the mentions (when there is a model)."""
        from ..extract.people_features import context_words

        if self.context:
            features[self.CONTEXT_FEATURE] = context.score(self.context, context_words(mentions, parsed))
        return features

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        if self._forest is None:
            self._forest = {c: _Forest.build(trees) for c, trees in self.trees.items()}
        z = {c: self.init[c] + self.rate * self._forest[c].total(features) for c in self.trees}
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
               people: list[Mention], characters: list[Mention] = ()) -> list[Mention]:
        """The film and series mentions of a document (replaces the rules' own choice)."""
        from ..extract.title_features import accepted_mentions, featurize, title_groups
        from ..extract.titles import propagate_titles, with_title_heads

        if not self.init or "\n" not in doc.clean.strip():
            return kept  # trained on too little, or a one-line text with no article around it: the rules decide
        groups, ctx = title_groups(doc, parsed, catalog, candidates, kept, people, characters)
        out: list[Mention] = []
        for group in groups:
            kind = self.decide(self.with_context(featurize(group, ctx, catalog), group.mentions, parsed))
            if kind is not None:
                out += accepted_mentions(doc.clean, group, kind)
        out = with_title_heads(doc.clean, out)
        return out + propagate_titles(doc.clean, out, people)

    def to_json(self) -> dict[str, Any]:
        return {"threshold": round(self.threshold, 4), "rate": self.rate,
                "init": {c: round(v, 6) for c, v in self.init.items()}, "trees": self.trees, "context": self.context}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TitleModel:
        return cls(dict(data["init"]), {c: list(t) for c, t in data["trees"].items()}, float(data["rate"]),
                   float(data["threshold"]), context=dict(data.get("context") or {}))


def _walk(tree: list[list], features: dict[str, float]) -> float:
    node = tree[0]
    while len(node) == 4:
        node = tree[node[2] if features.get(node[0], 0.0) <= node[1] else node[3]]
    return node[0]


@dataclass
class _Forest:
    """All trees of one class as flat arrays, walked together level by level (numpy): the same
    sums as `_walk` over every tree, without a Python loop per node."""

    names: list[str]
    feature: Any  # node -> column in the feature vector
    threshold: Any
    left: Any
    right: Any
    value: Any  # leaf value (0 at split nodes)
    roots: Any
    depth: int

    @classmethod
    def build(cls, trees: list[list[list]]) -> _Forest:
        import numpy as np

        names = sorted({node[0] for tree in trees for node in tree if len(node) == 4})
        column = {n: i for i, n in enumerate(names)}
        feature, threshold, left, right, value, roots = [], [], [], [], [], []
        for tree in trees:
            base = len(feature)
            roots.append(base)
            for i, node in enumerate(tree):
                if len(node) == 4:  # split
                    feature.append(column[node[0]]), threshold.append(node[1])
                    left.append(base + node[2]), right.append(base + node[3]), value.append(0.0)
                else:  # a leaf points at itself
                    feature.append(0), threshold.append(math.inf)
                    left.append(base + i), right.append(base + i), value.append(node[0])
        return cls(names, np.array(feature, dtype=np.int64), np.array(threshold), np.array(left, dtype=np.int64),
                   np.array(right, dtype=np.int64), np.array(value), np.array(roots, dtype=np.int64),
                   max((_depth(t) for t in trees), default=0))

    def total(self, features: dict[str, float]) -> float:
        import numpy as np

        if not len(self.roots):
            return 0.0
        x = np.array([features.get(n, 0.0) for n in self.names] or [0.0])
        nodes = self.roots
        for _ in range(self.depth):
            nodes = np.where(x[self.feature[nodes]] <= self.threshold[nodes], self.left[nodes], self.right[nodes])
        return float(self.value[nodes].sum())


def _depth(tree: list[list], node: int = 0) -> int:
    if len(tree[node]) != 4:
        return 0
    return 1 + max(_depth(tree, tree[node][2]), _depth(tree, tree[node][3]))


MODEL = TitleModel


def label_group(text: str, gold: dict[str, Any]) -> str:
    for e in gold.get("entities") or []:
        if e.get("type") in ("film", "series") and film_match(e.get("name"), text):
            return e["type"]
    return "none"


def examples(articles: list, catalog) -> list[tuple[str, dict[str, float], dict[str, float], str]]:
    """(article id, features, context words, label) for every candidate group of every article."""
    from ..extract.people_features import context_words
    from ..extract.recognise import rule_candidates
    from ..extract.title_features import featurize, title_groups

    out = []
    for a in articles:
        candidates, kept, people, characters = rule_candidates(a.doc, a.parsed, catalog)
        groups, ctx = title_groups(a.doc, a.parsed, catalog, candidates, kept, people, characters)
        out += [(a.id, featurize(g, ctx, catalog), context_words(g.mentions, a.parsed), label_group(g.text, a.gold))
                for g in groups]
    return out


def _fit(rows: list[tuple[dict[str, float], str]], trees: int = TREES, depth: int = DEPTH) -> TitleModel:
    """Gradient boosting (scikit-learn, fixed seed) exported to plain trees."""
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer

    keep = frequent_keys((feats for feats, _ in rows), MIN_FEATURE_COUNT)
    vec = DictVectorizer(sort=True, sparse=False)
    X = vec.fit_transform([{k: v for k, v in feats.items() if k in keep} for feats, _ in rows])
    y = np.array([label for _, label in rows])
    if len(set(y)) < 2:
        return TitleModel()
    names = list(vec.get_feature_names_out())
    forest: dict[str, list] = {}
    for seed in range(SEEDS):  # several subsampled ensembles, averaged: steadier than one
        model = GradientBoostingClassifier(n_estimators=trees, max_depth=depth, learning_rate=RATE,
                                           min_samples_leaf=MIN_LEAF, subsample=SUBSAMPLE, random_state=seed)
        model.fit(X, y)
        classes = [str(c) for c in model.classes_]
        raw = model._raw_predict_init(X[:1])[0]
        if len(classes) == 2:  # binary: one tree per stage scores the second class against the first
            init = {classes[0]: 0.0, classes[1]: float(raw[0])}
            columns = {classes[1]: 0}
            forest.setdefault(classes[0], [])
        else:
            init = {c: float(raw[i]) for i, c in enumerate(classes)}
            columns = {c: i for i, c in enumerate(classes)}
        for c, col in columns.items():
            forest.setdefault(c, []).extend(_export(model.estimators_[i, col].tree_, names)
                                            for i in range(model.estimators_.shape[0]))
    return TitleModel({c: round(v, 6) for c, v in init.items()}, forest, RATE / SEEDS)


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
    words = examples(articles, catalog)
    rows = context.out_of_fold(words, "film", TitleModel.CONTEXT_FEATURE)
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
    model.context = context.fit([(w, y == "film") for _, _, w, y in words])
    return model
