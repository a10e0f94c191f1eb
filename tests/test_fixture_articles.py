"""Scores on articles written for the tests (tests/fixtures/articles, each with a gold file).

The hand rules were tuned on these nine articles in v0.1.0, so the rules alone must keep
scoring well on them: that guards every rule against regressions. The shipped models never saw
them; their floor is set below what they measured (fact F1 0.76 on 2026-12-06) to catch breakage,
not to claim accuracy: cross-validation (`reelgraph eval --cv`) is the accuracy measure.
"""
from __future__ import annotations

from pathlib import Path

from reelgraph.crossval import evaluate_articles
from reelgraph.learn import Models

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def test_rules_alone_keep_their_scores():
    report = evaluate_articles([ARTICLES], Models()).to_dict()
    assert report["documents"] == 9
    assert report["overall"]["f1"] >= 0.85, report["overall"]
    assert report["overall"]["p"] >= 0.9, report["overall"]
    assert report["entities"]["film"]["f1"] >= 0.85
    assert report["entities"]["person"]["f1"] >= 0.85
    assert report["quotes"]["recall"] == 1.0


def test_shipped_models_hold_a_floor():
    report = evaluate_articles([ARTICLES]).to_dict()
    assert report["overall"]["f1"] >= 0.7, report["overall"]
    assert report["overall"]["p"] >= 0.75, report["overall"]
    assert report["entities"]["film"]["f1"] >= 0.85
    assert report["entities"]["person"]["f1"] >= 0.9
    assert report["quotes"]["recall"] == 1.0 and report["quotes"]["speaker_accuracy"] >= 0.9
