"""Where extraction time goes: seconds per stage over the dev corpus and the repo's examples.

    .venv/bin/python benchmarks/profile_stages.py [--corpus DIR] [--repeat N] [--batch 16] [--json]

Stages: read (files -> Documents), analyse (spaCy, split per pipeline component), recognise,
link, facts (frames, rules, merging) and quotes (finding and attributing), plus store (writing
to an in-memory SQLite store) for reference. The extract stages are timed by wrapping the
functions that `reelgraph.extract.extract` calls, so the real entry point runs unchanged;
"facts" is what `extract` spends outside recognise, link and quotes.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reelgraph import extract as extract_pkg  # noqa: E402
from reelgraph.analyse import load_nlp, pipeline_description  # noqa: E402
from reelgraph.catalog import Catalog  # noqa: E402
from reelgraph.read import iter_paths, read_file  # noqa: E402
from reelgraph.store import connect  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
EXAMPLES = ROOT / "examples"
WRAPPED = {"recognise": "recognise", "link": "link", "extract_quotes": "quotes"}
TOTALS: dict[str, float] = defaultdict(float)


def corpus_files(corpus: Path) -> list[Path]:
    files = iter_paths(corpus) if corpus.is_dir() else []
    return files + (iter_paths(EXAMPLES) if EXAMPLES.is_dir() else [])


def timed(fn, stage: str):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TOTALS[stage] += time.perf_counter() - start
    return wrapper


def install_timers() -> None:
    """Wrap what `extract` calls, by its module-level name (once)."""
    for name, stage in WRAPPED.items():
        if hasattr(extract_pkg, name):
            setattr(extract_pkg, name, timed(getattr(extract_pkg, name), stage))


def profile(files: list[Path], repeat: int, batch: int) -> dict:
    TOTALS.clear()
    totals = TOTALS
    nlp, catalog = load_nlp(), Catalog.load()
    words = 0
    for _ in range(repeat):
        start = time.perf_counter()
        docs = [read_file(p, doc_id=f"{i}-{p.stem}") for i, p in enumerate(files)]
        totals["read"] += time.perf_counter() - start
        words += sum(len(d.text.split()) for d in docs)
        parsed = [nlp.make_doc(d.clean) for d in docs]
        for name, component in nlp.pipeline:  # each component over the whole batch, in order
            start = time.perf_counter()
            parsed = list(component.pipe(parsed, batch_size=batch)) if hasattr(component, "pipe") \
                else [component(p) for p in parsed]
            totals[f"analyse:{name}"] += time.perf_counter() - start
        extractions = []
        for doc, p in zip(docs, parsed):
            start = time.perf_counter()
            extractions.append(extract_pkg.extract(doc, p, catalog))
            totals["extract"] += time.perf_counter() - start
        start = time.perf_counter()
        with connect(":memory:") as store:
            store.ingest_many(extractions)
        totals["store"] += time.perf_counter() - start
    totals["facts"] = totals.pop("extract") - sum(totals[s] for s in WRAPPED.values())
    return {"documents": len(files) * repeat, "words": words, "pipeline": pipeline_description(),
            "seconds": {k: round(v, 4) for k, v in totals.items()}}


def render(result: dict) -> str:
    secs = result["seconds"]
    analyse = sum(v for k, v in secs.items() if k.startswith("analyse:"))
    total = sum(secs.values())
    order = ["read", *[k for k in secs if k.startswith("analyse:")], "recognise", "link", "facts", "quotes", "store"]
    lines = [f"{result['documents']} documents, {result['words']} words; spaCy: {result['pipeline']}",
             f"{'stage':<22}{'seconds':>9}{'share':>8}{'ms/doc':>9}"]
    for key in order:
        if key in secs:
            v = secs[key]
            lines.append(f"{key:<22}{v:>9.2f}{v / total:>8.1%}{1000 * v / result['documents']:>9.1f}")
    lines.append(f"{'analyse (all spaCy)':<22}{analyse:>9.2f}{analyse / total:>8.1%}"
                 f"{1000 * analyse / result['documents']:>9.1f}")
    lines.append(f"{'total':<22}{total:>9.2f}{1:>8.0%}{1000 * total / result['documents']:>9.1f}"
                 f"   ({result['words'] / total:,.0f} words/s on one core)")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3, help="passes over the files (default 3)")
    ap.add_argument("--batch", type=int, default=16, help="spaCy batch size")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args()
    files = corpus_files(args.corpus)
    if not files:
        sys.exit(f"error: no articles in {args.corpus} or {EXAMPLES}")
    install_timers()
    profile(files[:2], 1, args.batch)  # warm caches (model, catalog, regexes) outside the timing
    result = profile(files, args.repeat, args.batch)
    print(json.dumps(result, indent=1) if args.json else render(result))


if __name__ == "__main__":
    main()
