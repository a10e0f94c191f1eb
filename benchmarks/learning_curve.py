"""Learning curve: 5-fold CV over train + dev with each fold's learned stages fitted on 25%, 50%
and 100% of its training articles (the same split and seed as `reelgraph eval --cv`).

    .venv/bin/python benchmarks/learning_curve.py [--fractions 0.25,0.5,1] [--k 5] [--json]

If fact F1 still climbs between 50% and 100%, more annotated articles would pay.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CORPUS = [ROOT.parent / "shared" / "corpus" / "train", ROOT.parent / "shared" / "corpus" / "dev"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fractions", default="0.25,0.5,1")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not all(d.is_dir() for d in CORPUS):
        sys.exit("error: needs ../shared/corpus/train and dev beside the repo")
    from reelgraph.crossval import cross_validate

    rows = []
    for fraction in (float(x) for x in args.fractions.split(",")):
        started = time.perf_counter()
        data = cross_validate(CORPUS, args.k, fraction).to_dict()
        q = data["quotes"]
        rows.append({"fraction": fraction, "facts_p": data["overall"]["p"], "facts_r": data["overall"]["r"],
                     "facts_f1": data["overall"]["f1"], "film_f1": data["entities"]["film"]["f1"],
                     "person_f1": data["entities"]["person"]["f1"], "speaker_accuracy": q["speaker_accuracy"],
                     "seconds": round(time.perf_counter() - started, 1)})
        print(f"fraction {fraction}: facts F1 {data['overall']['f1']}", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print("| training share | facts P | facts R | facts F1 | film F1 | person F1 | speaker accuracy |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['fraction']:.0%} | {r['facts_p']:.3f} | {r['facts_r']:.3f} | **{r['facts_f1']:.3f}** | "
              f"{r['film_f1']:.3f} | {r['person_f1']:.3f} | {r['speaker_accuracy']:.3f} |")


if __name__ == "__main__":
    main()
