"""Held-out entity check: the shipped models on articles no model was trained or tuned on.

    .venv/bin/python benchmarks/heldout_entities.py [--annotations FILE] [--json]

`annotations/heldout-entities.jsonl` lists the films, series, people and characters of 120
unlabeled articles (how they were made: `annotations/README.md`). `make train` never reads it,
so its film and person scores are the nearest thing here to the hidden set: read them, report
them, and do not tune on them. Printed: film and person P, R and F1 (FACTS.md entity matching),
over all articles and per outlet.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT = ROOT / "annotations" / "heldout-entities.jsonl"
TEXTS = ROOT.parent / "shared" / "corpus" / "unlabeled" / "articles.jsonl.gz"
TYPES = ("film", "person")


def main() -> None:
    from reelgraph.catalog import Catalog
    from reelgraph.corpus import load_entity_annotations, parse_all
    from reelgraph.crossval import _score, extract_article
    from reelgraph.evaluate import aggregate
    from reelgraph.learn import Models

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", type=Path, default=DEFAULT)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        articles = parse_all(load_entity_annotations(args.annotations, TEXTS))
    except (FileNotFoundError, ValueError) as exc:
        sys.exit(f"heldout_entities: {exc}")
    with gzip.open(TEXTS, "rt", encoding="utf-8") as stream:
        outlets = {row["id"]: row.get("outlet") or "?" for row in map(json.loads, stream)}
    catalog, models = Catalog.load(), Models.load()
    scores = {a.id: _score(a, extract_article(a, catalog, models)) for a in articles}
    groups = {"all": list(scores)}
    for doc_id in scores:
        groups.setdefault(outlets.get(doc_id, "?"), []).append(doc_id)
    result = {name: {"articles": len(ids), **{t: aggregate([scores[i] for i in ids]).to_dict()["entities"][t]
                                              for t in TYPES}}
              for name, ids in groups.items()}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for name, row in result.items():
        cells = "   ".join(f"{t} P {_3(row[t]['p'])} R {_3(row[t]['r'])} F1 {_3(row[t]['f1'])}" for t in TYPES)
        print(f"{name:12} {row['articles']:4} articles   {cells}")


def _3(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


if __name__ == "__main__":
    main()
