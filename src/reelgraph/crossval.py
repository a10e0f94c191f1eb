"""Cross-validation by article, rule provenance counts, and the learning curve.

`cross_validate(dirs, k)` splits the gold articles into `k` folds; each fold is extracted by a
bundle of models trained (`learn.train`) on the other folds only, and the per-document scores
are pooled into one `Report`. While no stage learns, every fold would be the same, so the
plain evaluation is returned and `CVResult.learned` is empty.
"""
from __future__ import annotations

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .catalog import Catalog
from .corpus import GoldArticle, folds, load_gold, parse_all
from .evaluate import Report, aggregate, score_document
from .learn import STAGES, Models, _module, train


@dataclass
class CVResult:
    """The pooled report of the first split; with repeats, the headline scores of every split.
    With entity-only articles, `entity_report` scores their films and people (split 1)."""

    report: Report
    k: int
    learned: list[str] = field(default_factory=list)
    fraction: float = 1.0
    splits: list[dict[str, float | None]] = field(default_factory=list)
    entity_report: Report | None = None

    def to_dict(self) -> dict[str, Any]:
        data = self.report.to_dict()
        data["cv"] = {"k": self.k, "learned": self.learned, "train_fraction": self.fraction}
        if self.entity_report is not None:
            data["cv"]["entities_only"] = {"articles": len(self.entity_report.documents),
                                           **self.entity_report.to_dict()["entities"]}
        if len(self.splits) > 1:
            data["cv"]["splits"] = self.splits
            data["cv"]["spread"] = spread(self.splits)
        return data


def headline(report: Report, entity_report: Report | None = None) -> dict[str, float | None]:
    """The numbers a split is judged by: fact F1, film F1, person F1 (and those of the entity-only articles)."""
    data = report.to_dict()
    out = {"facts_f1": data["overall"]["f1"], "films_f1": data["entities"]["film"]["f1"],
           "people_f1": data["entities"]["person"]["f1"]}
    if entity_report is not None:
        entities = entity_report.to_dict()["entities"]
        out |= {"extra_films_f1": entities["film"]["f1"], "extra_people_f1": entities["person"]["f1"]}
    return out


def spread(splits: list[dict[str, float | None]]) -> dict[str, dict[str, float]]:
    """Mean, standard deviation, minimum and maximum of each headline number over the splits."""
    out = {}
    for key in splits[0]:
        values = [s[key] for s in splits if s[key] is not None]
        if values:
            out[key] = {"mean": round(statistics.fmean(values), 4),
                        "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
                        "min": min(values), "max": max(values)}
    return out


def learning_stages() -> list[str]:
    """The stages that have a trainer in this build."""
    return [attr for attr, module in STAGES if _module(module) is not None]


def extract_article(article: GoldArticle, catalog: Catalog, models: Models):
    from .extract import extract

    return extract(article.doc, article.parsed, catalog, models)


def _score(article: GoldArticle, extraction) -> Any:
    score = score_document(article.gold, extraction.to_dict())
    score.doc = article.id
    return score


def evaluate_articles(dirs: list[str | Path], models: Models | None = None) -> Report:
    """Plain evaluation with one bundle of models (the shipped ones by default)."""
    catalog = Catalog.load()
    models = Models.load() if models is None else models
    articles = parse_all(load_gold(dirs))
    return aggregate([_score(a, extract_article(a, catalog, models)) for a in articles])


def cross_validate(dirs: list[str | Path], k: int = 5, fraction: float = 1.0, seed: int = 0,
                   progress: Callable[[str], None] | None = None, only: tuple[str, ...] | None = None,
                   repeats: int = 1, extra: list[GoldArticle] = ()) -> CVResult:
    """`only` restricts learning to some stages (the others use their rules), for ablations.
    `repeats` > 1 runs the whole CV again on other splits of the articles: the report is the
    first split's (the headline), and `splits` shows how much the numbers move with the split.
    `extra`: articles annotated with their entities only (`corpus.load_entity_annotations`), dealt
    into their own k folds: each fold trains on the others' and scores its own films and people."""
    stages = [s for s in learning_stages() if only is None or s in only]
    if not stages:
        return CVResult(evaluate_articles(dirs, Models()), k)
    catalog = Catalog.load()
    articles = parse_all(load_gold(dirs))
    extra = parse_all(list(extra))
    reports, entity_reports = [], []
    for shuffle in range(repeats):
        parts = folds(articles, k, shuffle)
        extra_parts = folds(extra, k, shuffle) if extra else [[] for _ in parts]
        scores, entity_scores = [], []
        for i, test in enumerate(parts):
            train_set = [a for j, part in enumerate(parts) if j != i for a in part]
            if fraction < 1.0:
                rng = random.Random(seed + i)
                train_set = rng.sample(train_set, max(2, round(len(train_set) * fraction)))
            train_set += [a for j, part in enumerate(extra_parts) if j != i for a in part]
            if progress:
                split = f"split {shuffle + 1}/{repeats}, " if repeats > 1 else ""
                progress(f"{split}fold {i + 1}/{k}: training on {len(train_set)} articles, testing on {len(test)}")
            models = train(train_set, catalog, tuple(stages))
            scores += [_score(a, extract_article(a, catalog, models)) for a in test]
            entity_scores += [_score(a, extract_article(a, catalog, models)) for a in extra_parts[i]]
        reports.append(aggregate(sorted(scores, key=lambda s: s.doc)))
        entity_reports.append(aggregate(sorted(entity_scores, key=lambda s: s.doc)) if extra else None)
    return CVResult(reports[0], k, stages, fraction, [headline(r, e) for r, e in zip(reports, entity_reports)],
                    entity_reports[0])


def by_rule(dirs: list[str | Path], detail: bool = False) -> dict[str, dict[str, int]]:
    """True and false positives of every rule's own facts over the gold folders (rules alone,
    before any model decides): {rule id: {"tp", "fp", "optional", "fired"}}. With `detail`,
    each rule is split by predicate and by the confidence its pattern gives."""
    from .extract import analyse_relations
    from .learn.relations import _gold_persons, label_candidate, pattern_id

    catalog = Catalog.load()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "optional": 0, "fired": 0})
    for article in parse_all(load_gold(dirs)):
        rel = analyse_relations(article.doc, article.parsed, catalog, Models())
        persons = _gold_persons(article.gold)
        gold_facts = article.gold.get("facts") or []
        for rid, fact in rel.rule_facts:
            label = label_candidate(fact, gold_facts, persons)
            c = counts[pattern_id(rid, fact) if detail else rid]
            c["fired"] += 1
            c["tp" if label == 1 else "optional" if label is None else "fp"] += 1
    return dict(sorted(counts.items()))
