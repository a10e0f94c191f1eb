"""The learned relation stage: one logistic model per predicate over candidate features.

Training (`fit`) runs the rule stage over the gold articles, labels every candidate with the
FACTS.md matching rules (a candidate that matches only an optional gold fact is left out),
fits a model per predicate with scikit-learn, and picks each predicate's threshold by F1 on
out-of-fold probabilities. A predicate keeps its rule facts where it has too few examples or
where the rules beat every model out of fold; there, rule patterns that were mostly wrong in
training stop standing alone. Inference (`RelationModel.decide`) is a dot product over the
shipped weights: no scikit-learn at run time.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..extract.candidates import candidate_fact
from ..extract.features import FeatureContext, featurize
from ..matching import _tokens, object_match, subject_match
from ..types import Fact
from . import frequent_keys

MODEL_ID = "model.relations"
MIN_POSITIVES = 4  # fewer positive candidates than this: the predicate keeps its rules
MIN_FEATURE_COUNT = 2
PRUNE_PRECISION, PRUNE_MIN_FIRED = 0.5, 5  # a rule pattern below this precision on training data is dropped
C = 0.15  # chosen on 3-split CV from 0.08, 0.15, 0.3, 0.6 (facts 0.583, 0.585, 0.582, 0.581)
INNER_FOLDS = 3


@dataclass
class PredicateModel:
    bias: float
    threshold: float
    weights: dict[str, float] = field(default_factory=dict)
    mode: str = "all"  # "all": every candidate; "filter": only candidates some rule proposed

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def pattern_id(rule: str, fact: Fact) -> str:
    """A rule's id refined by predicate and by the confidence its pattern gives ("facts.crew_rules:director@0.70")."""
    return f"{rule}:{fact.p}@{fact.confidence:.2f}"


@dataclass
class RelationModel:
    predicates: dict[str, PredicateModel] = field(default_factory=dict)
    pruned: list[str] = field(default_factory=list)  # rule patterns whose facts no longer stand alone

    def decide(self, rel, parsed, catalog) -> list[Fact]:
        """Facts kept by the models, plus rule facts of predicates without a model."""
        ctx = FeatureContext(rel.frames, parsed, catalog)
        pruned = set(self.pruned)
        facts = [fact for rid, fact in rel.rule_facts
                 if fact.p not in self.predicates and pattern_id(rid, fact) not in pruned]
        for cand in rel.candidates:
            model = self.predicates.get(cand.p)
            if model is None or (model.mode == "filter" and not cand.rules):
                continue
            prob = model.probability(featurize(cand, ctx))
            if prob >= model.threshold:
                fact = candidate_fact(rel.frames, cand, prob, sorted(cand.rules) + [MODEL_ID])
                if fact is not None:
                    facts.append(fact)
        return facts

    def to_json(self) -> dict[str, Any]:
        return {"model": "logistic", "features": "extract/features.py", "pruned_rules": sorted(self.pruned),
                "predicates": {p: {"bias": round(m.bias, 4), "threshold": round(m.threshold, 4), "mode": m.mode,
                                   "weights": {k: round(w, 4) for k, w in sorted(m.weights.items()) if round(w, 4)}}
                               for p, m in sorted(self.predicates.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelationModel:
        return cls({p: PredicateModel(m["bias"], m["threshold"], dict(m["weights"]), m["mode"])
                    for p, m in data["predicates"].items()}, list(data.get("pruned_rules", [])))


MODEL = RelationModel


# ----------------------------------------------------------------------------- training data

@dataclass
class Example:
    article: int
    p: str
    fact_key: tuple
    features: dict[str, float]
    label: int
    gold: int | None = None  # index of the gold fact it matches, so duplicates count once


def _gold_persons(gold: dict) -> set[tuple[str, ...]]:
    return {_tokens(e.get("name")) for e in gold.get("entities") or [] if e.get("type") == "person"} - {()}


def match_gold(fact: Fact, gold_facts: list[dict], persons: set) -> int | None:
    """The index of the first required gold fact `fact` matches; -1 if it matches only optional
    ones; None if it matches none."""
    optional = False
    for i, g in enumerate(gold_facts):
        if g.get("p") != fact.p or not object_match(fact.p, g.get("o"), fact.o, persons):
            continue
        if subject_match(fact.p, g.get("s"), fact.s, persons):
            if not g.get("optional"):
                return i
            optional = True
    return -1 if optional else None


def label_candidate(fact: Fact, gold_facts: list[dict], persons: set) -> int | None:
    """1 if a required gold fact matches, None if only an optional one does, else 0."""
    found = match_gold(fact, gold_facts, persons)
    return 0 if found is None else None if found < 0 else 1


@dataclass
class TrainingData:
    examples: list[Example]
    gold_counts: dict[str, list[int]]  # required gold facts per predicate and article
    rule_counts: dict[str, list[int]]  # pattern id -> [true, false] positives of its own facts


def examples(articles: list, catalog, models) -> TrainingData:
    """Labelled candidate examples of every article, the required gold count per predicate
    and article (for F1 with the facts no candidate covers), and each rule pattern's record."""
    from ..extract import analyse_relations

    out: list[Example] = []
    rule_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    gold_counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(articles))
    for i, article in enumerate(articles):
        gold_facts = article.gold.get("facts") or []
        for g in gold_facts:
            if not g.get("optional"):
                gold_counts[g["p"]][i] += 1
        persons = _gold_persons(article.gold)
        rel = analyse_relations(article.doc, article.parsed, catalog, models)
        for rid, fact in rel.rule_facts:
            found = match_gold(fact, gold_facts, persons)
            if found is None or found >= 0:
                rule_counts[pattern_id(rid, fact)][found is None] += 1
        ctx = FeatureContext(rel.frames, article.parsed, catalog)
        for cand in rel.candidates:
            fact = candidate_fact(rel.frames, cand, 1.0, [])
            if fact is None:
                continue
            found = match_gold(fact, gold_facts, persons)
            if found is None or found >= 0:
                out.append(Example(i, cand.p, (fact.s, fact.p, str(fact.o)), featurize(cand, ctx),
                                   int(found is not None), found))
    return TrainingData(out, dict(gold_counts), dict(rule_counts))


# ----------------------------------------------------------------------------- fitting

def _train_lr(rows: list[Example]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    keep = frequent_keys((r.features for r in rows), MIN_FEATURE_COUNT)
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform([{k: v for k, v in r.features.items() if k in keep} for r in rows])
    y = [r.label for r in rows]
    lr = LogisticRegression(C=C, solver="lbfgs", max_iter=3000, random_state=0)
    lr.fit(X, y)
    names = vec.get_feature_names_out()
    weights = {str(names[j]): float(w) for j, w in enumerate(lr.coef_[0]) if w}
    return PredicateModel(float(lr.intercept_[0]), 0.5, weights)


PLATEAU = 0.01  # F1 within this of the best counts as the best when a threshold is picked


def _best_threshold(scored: list[tuple[Example, float]], gold_total: int) -> tuple[float, float]:
    """(F1, threshold) at the best threshold over document-level facts (max probability per
    fact), counting as the scorer does: a gold fact is found once, further matches are false."""
    best: dict[tuple, tuple[float, Any]] = {}
    for r, prob in scored:
        k = (r.article, r.fact_key)
        gold = None if r.gold is None else (r.article, r.gold)
        best[k] = (max(best.get(k, (0.0, None))[0], prob), gold)
    ranked = sorted(best.values(), key=lambda x: -x[0])
    tp = fp = 0
    found: set = set()
    curve: list[tuple[float, float]] = []  # (F1, threshold) at every cut
    for i, (prob, gold) in enumerate(ranked):
        if gold is not None and gold not in found:
            found.add(gold)
            tp += 1
        else:
            fp += 1
        if i + 1 < len(ranked) and ranked[i + 1][0] == prob:
            continue  # ties are kept or dropped together
        curve.append((2 * tp / (tp + fp + max(gold_total, tp)), prob))
    if not curve:
        return 0.0, 1.0
    top = max(f1 for f1, _ in curve)
    plateau = sorted(t for f1, t in curve if f1 >= top - PLATEAU)
    return top, plateau[len(plateau) // 2]  # the middle of the near-best cuts, not one lucky point


def _out_of_fold(rows: list[Example]) -> list[tuple[Example, float]]:
    scored = []
    for k in range(INNER_FOLDS):
        train = [r for r in rows if r.article % INNER_FOLDS != k]
        test = [r for r in rows if r.article % INNER_FOLDS == k]
        if test and len({r.label for r in train}) == 2:
            inner = _train_lr(train)
            scored += [(r, inner.probability(r.features)) for r in test]
    return scored


def _has_rule(r: Example) -> bool:
    return any(k.startswith("rule=") for k in r.features)


def fit(articles: list, catalog, models) -> RelationModel:
    """Per predicate, the best of three by out-of-fold F1: the rules alone, a model over every
    candidate, or a model that only filters the rules' candidates."""
    data = examples(articles, catalog, models)
    rows, gold_counts = data.examples, defaultdict(list, data.gold_counts)
    by_p: dict[str, list[Example]] = defaultdict(list)
    for r in rows:
        by_p[r.p].append(r)
    model = RelationModel(pruned=sorted(pid for pid, (tp, fp) in data.rule_counts.items()
                                        if tp + fp >= PRUNE_MIN_FIRED and tp < PRUNE_PRECISION * (tp + fp)))
    for p, prow in sorted(by_p.items()):
        gold_total = sum(gold_counts[p])
        ruled = [r for r in prow if _has_rule(r)]
        rules_f1, _ = _best_threshold([(r, 1.0) for r in ruled], gold_total)
        choices = []
        for mode, subset in (("all", prow), ("filter", ruled)):
            if sum(r.label for r in subset) >= MIN_POSITIVES and not all(r.label for r in subset):
                f1, threshold = _best_threshold(_out_of_fold(subset), gold_total)
                choices.append((f1, mode, subset, threshold))
        if not choices or max(choices)[0] <= rules_f1:
            continue  # the rules stand for this predicate
        f1, mode, subset, threshold = max(choices, key=lambda c: c[0])
        final = _train_lr(subset)
        final.threshold, final.mode = max(0.05, min(0.95, threshold)), mode
        model.predicates[p] = final
    return model
