"""Scores on articles written for the tests (tests/fixtures/articles, each with a gold file).

They guard against regressions on text outside the dev corpus; the dev corpus itself is
scored by `reelgraph eval ../shared/corpus/dev` in CI.
"""
from __future__ import annotations

from pathlib import Path

from reelgraph.evaluate import evaluate_dir
from reelgraph.pipeline import extract_path

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def test_fixture_articles_score_well():
    report = evaluate_dir(ARTICLES, lambda path: extract_path(path)[0].to_dict()).to_dict()
    assert report["documents"] == 9
    assert report["overall"]["f1"] >= 0.85, report["overall"]
    assert report["overall"]["p"] >= 0.9, report["overall"]
    assert report["entities"]["film"]["f1"] >= 0.85
    assert report["entities"]["person"]["f1"] >= 0.85
    assert report["quotes"]["recall"] == 1.0
