"""Dev harness for the quote stage: extract quotes from every dev article, score them against
the gold files and list the mismatches.

    .venv/bin/python benchmarks/quotes_dev.py [--corpus DIR] [--doc ID] [--quiet]

Documents come from `reelgraph.read.read_path` when the read stage is installed (else the raw
text with straightened apostrophes), people from `people_from_parse`, scores from
`reelgraph.evaluate.score_document` when available (else the FACTS.md 80%-overlap rule).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reelgraph.analyse import analyse  # noqa: E402
from reelgraph.names import fold  # noqa: E402
from reelgraph.extract.quotes import extract_quotes, people_from_parse  # noqa: E402
from reelgraph.types import Document  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def load_document(path: Path) -> Document:
    try:
        from reelgraph.read import read_path
    except ImportError:
        text = path.read_text(encoding="utf-8")
        return Document(path.stem, text, text.replace("\u2019", "'"), source=str(path))
    return read_path(path)[0]


def overlap(a: str, b: str) -> float:
    try:
        from reelgraph.evaluate import quote_overlap
        return quote_overlap(a, b)
    except ImportError:
        wa, wb = fold(a).split(), fold(b).split()
        return sum((Counter(wa) & Counter(wb)).values()) / min(len(wa), len(wb)) if wa and wb else 0.0


def same_speaker(gold: str | None, pred: str | None, persons: set[tuple[str, ...]]) -> bool:
    try:
        from reelgraph.evaluate import _speaker_ok
        return _speaker_ok(gold, pred, persons)
    except ImportError:
        return fold(gold or "") == fold(pred or "")


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs by overlap, best first (the scorer's rule)."""
    pairs = sorted(((overlap(g["text"], p["text"]), gi, pj) for gi, g in enumerate(gold)
                    for pj, p in enumerate(pred)), reverse=True)
    used_g, used_p, out = set(), set(), []
    for ov, gi, pj in pairs:
        if ov >= 0.8 and gi not in used_g and pj not in used_p:
            used_g.add(gi), used_p.add(pj), out.append((gi, pj))
    return out


def run(corpus: Path, only: str | None = None, quiet: bool = False) -> dict[str, float]:
    totals = Counter()
    official: list = []
    for txt in sorted(corpus.glob("*.txt")):
        if only and txt.stem != only:
            continue
        gold = json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))
        doc = load_document(txt)
        parsed = analyse(doc)
        quotes = extract_quotes(doc, parsed, people_from_parse(parsed))
        pred = [{"text": q.text, "speaker": q.speaker, "outlet": q.outlet} for q in quotes]
        persons = {tuple(fold(e["name"]).split()) for e in gold["entities"] if e["type"] == "person"}
        pairs = match(gold["quotes"], pred)
        n_speaker = n_outlet = 0
        lines = []
        for gi, pj in pairs:
            g, p = gold["quotes"][gi], pred[pj]
            ok_s = same_speaker(g["speaker"], p["speaker"], persons)
            ok_o = fold(g["outlet"] or "") == fold(p["outlet"] or "")
            n_speaker += ok_s
            n_outlet += ok_o
            if not (ok_s and ok_o):
                lines.append(f"  WRONG  {p['text'][:60]!r}\n         speaker {p['speaker']!r} (gold {g['speaker']!r})"
                             f"  outlet {p['outlet']!r} (gold {g['outlet']!r})")
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pj for _, pj in pairs}
        lines += [f"  MISSED {g['text'][:70]!r} ({g['speaker']})" for gi, g in enumerate(gold["quotes"])
                  if gi not in matched_g]
        lines += [f"  EXTRA  {p['text'][:70]!r} ({p['speaker']})" for pj, p in enumerate(pred) if pj not in matched_p]
        totals.update(gold=len(gold["quotes"]), matched=len(pairs), speaker=n_speaker, outlet=n_outlet,
                      spurious=len(pred) - len(pairs))
        official.append(official_score(gold, {"doc": doc.id, "entities": [], "facts": [], "quotes": pred}))
        if not quiet:
            print(f"{txt.stem}: gold {len(gold['quotes'])} found {len(pairs)} speaker {n_speaker} "
                  f"outlet {n_outlet} spurious {len(pred) - len(pairs)}")
            print("\n".join(lines)) if lines else None
    matched = totals["matched"] or 1
    scores = {"gold": totals["gold"], "recall": totals["matched"] / max(1, totals["gold"]),
              "speaker_accuracy": totals["speaker"] / matched, "outlet_accuracy": totals["outlet"] / matched,
              "spurious": totals["spurious"], "spurious_rate": totals["spurious"] / max(1, totals["gold"])}
    if official and official[0] is not None:
        from reelgraph.evaluate import aggregate
        scores["official"] = aggregate(official).quotes.to_dict()
    return scores


def official_score(gold: dict, predicted: dict):
    """reelgraph.evaluate.score_document when the scorer is installed, else None."""
    try:
        from reelgraph.evaluate import score_document
    except ImportError:
        return None
    return score_document(gold, predicted)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--doc", help="only this document id")
    ap.add_argument("--quiet", action="store_true", help="totals only")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"error: no corpus folder at {args.corpus}")
    s = run(args.corpus, args.doc, args.quiet)
    print(f"\nquotes: gold {s['gold']}  recall {s['recall']:.3f}  speaker acc {s['speaker_accuracy']:.3f}  "
          f"outlet acc {s['outlet_accuracy']:.3f}  spurious {s['spurious']} ({s['spurious_rate']:.1%} of gold)")
    if "official" in s:
        print(f"evaluate.score_document: {s['official']}")


if __name__ == "__main__":
    main()
