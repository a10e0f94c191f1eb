"""A logistic model over the words around a name or title, whose score is one feature of the trees.

The trees weigh a few hundred dense marks well but cannot weigh thousands of sparse context words
one by one ("L1=as", "R1=said", `extract/people_features.context_words`). This model does: its
probability that a name is a person becomes the people trees' feature `ctx_person`, and its
probability that a title is a film the title trees' `ctx_film`. The trees train on out-of-fold
scores (CONTEXT_FOLDS folds by article), so they never see a score from a model that read the same
article. scikit-learn fits it; inference is a sum of shipped weights.
"""
from __future__ import annotations

import math

CONTEXT_FOLDS = 5
CONTEXT_C = 0.3  # inverse L2 strength
MIN_COUNT = 2  # a word read around fewer names than this gets no weight


def score(weights: dict[str, float], words: dict[str, float]) -> float:
    """The model's probability (0 with no model). `weights[""]` is the intercept."""
    if not weights:
        return 0.0
    z = weights.get("", 0.0) + sum(weights.get(w, 0.0) * v for w, v in words.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fit(rows: list[tuple[dict[str, float], bool]]) -> dict[str, float]:
    """L2 logistic regression (deterministic) exported as word -> weight."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from . import frequent_keys

    keep = frequent_keys((words for words, _ in rows), MIN_COUNT)
    y = [positive for _, positive in rows]
    if len(set(y)) < 2 or not keep:
        return {}
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform([{w: v for w, v in words.items() if w in keep} for words, _ in rows])
    model = LogisticRegression(C=CONTEXT_C, max_iter=2000).fit(X, y)
    weights = {w: round(float(c), 5) for w, c in zip(vec.get_feature_names_out(), model.coef_[0]) if abs(c) >= 1e-5}
    return {"": round(float(model.intercept_[0]), 5), **weights}


def out_of_fold(rows: list[tuple[str, dict[str, float], dict[str, float], str]], positive: str,
                feature: str) -> list[tuple[str, dict[str, float], str]]:
    """(article id, features, context words, label) rows -> (article id, features + the score of
    a model that did not see the article under `feature`, label)."""
    ids = sorted({doc for doc, _, _, _ in rows})
    out = []
    for i in range(CONTEXT_FOLDS):
        held = set(ids[i::CONTEXT_FOLDS])
        weights = fit([(w, y == positive) for d, _, w, y in rows if d not in held])
        out += [(d, {**f, feature: score(weights, w)}, y) for d, f, w, y in rows if d in held]
    return out
