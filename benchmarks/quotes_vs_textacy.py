"""Quote extraction, reelgraph vs textacy 0.13 `textacy.extract.triples.direct_quotations`, on the
dev articles, scored with the same matcher and the same speaker-name resolution.

    .venv/bin/python benchmarks/quotes_vs_textacy.py [--corpus DIR]

textacy reads reporting verbs through `token.lemma_`, so it gets a parse with the lemmatizer on
(reelgraph's own `analyse()` leaves it out). Its speaker tokens are mapped to canonical names
through the same `people_from_parse` list (a token inside a person mention, or a surname or
first name of one); it names no outlets. It refuses a whole document when the quotation-mark
count is odd: such documents are counted as errors and contribute no quotes.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import json  # noqa: E402

import spacy  # noqa: E402
from textacy.extract.triples import direct_quotations  # noqa: E402

from quotes_dev import DEFAULT_CORPUS, load_document, match, same_speaker  # noqa: E402
from reelgraph.analyse import MODEL, analyse  # noqa: E402
from reelgraph.names import fold  # noqa: E402
from reelgraph.extract.quotes import extract_quotes, people_from_parse  # noqa: E402
from reelgraph.types import Entity  # noqa: E402


def speaker_name(tokens: list, people: list[Entity]) -> str:
    """Canonical name for textacy's speaker tokens, resolved like reelgraph resolves names."""
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    for e in people:
        if any(m.start < end and m.end > start for m in e.mentions):
            return e.name
    text = " ".join(t.text for t in tokens)
    for e in people:
        parts = fold(e.name).split()
        if fold(text) in (" ".join(parts), parts[-1], parts[0]):
            return e.name
    return text


def textacy_quotes(doc, nlp, people: list[Entity]) -> list[dict]:
    parsed = nlp(doc.clean)
    out = []
    for triple in direct_quotations(parsed):
        content = triple.content
        inner = content[1:-1] if len(content) > 2 else content
        start, end = inner[0].idx, inner[-1].idx + len(inner[-1].text)
        out.append({"text": doc.text[start:end], "speaker": speaker_name(triple.speaker, people), "outlet": None})
    return out


def score(gold: dict, pred: list[dict]) -> Counter:
    persons = {tuple(fold(e["name"]).split()) for e in gold["entities"] if e["type"] == "person"}
    pairs = match(gold["quotes"], pred)
    c = Counter(gold=len(gold["quotes"]), matched=len(pairs), spurious=len(pred) - len(pairs))
    for gi, pj in pairs:
        g, p = gold["quotes"][gi], pred[pj]
        c["speaker"] += same_speaker(g["speaker"], p["speaker"], persons)
        c["outlet"] += fold(g["outlet"] or "") == fold(p["outlet"] or "")
    return c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"error: no corpus folder at {args.corpus}")
    full_nlp = spacy.load(MODEL)  # with the lemmatizer, which textacy needs
    totals = {"reelgraph": Counter(), "textacy": Counter()}
    seconds = Counter()
    errors: list[str] = []
    for txt in sorted(args.corpus.glob("*.txt")):
        gold = json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))
        doc = load_document(txt)
        parsed = analyse(doc)
        people = people_from_parse(parsed)
        t0 = time.perf_counter()
        ours = [{"text": q.text, "speaker": q.speaker, "outlet": q.outlet} for q in extract_quotes(doc, parsed, people)]
        seconds["reelgraph"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        try:
            theirs = textacy_quotes(doc, full_nlp, people)
        except Exception as exc:  # textacy refuses documents it cannot pair up
            errors.append(f"{txt.stem}: {type(exc).__name__}: {str(exc)[:90]}")
            theirs = []
        seconds["textacy"] += time.perf_counter() - t0
        totals["reelgraph"] += score(gold, ours)
        totals["textacy"] += score(gold, theirs)
    header = f"{'system':<10} {'gold':>5} {'found':>6} {'recall':>7} {'speaker':>8} {'outlet':>7} {'spurious':>9} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for name, c in totals.items():
        m = c["matched"] or 1
        n_err = len(errors) if name == "textacy" else 0
        print(f"{name:<10} {c['gold']:>5} {c['matched']:>6} {c['matched'] / max(1, c['gold']):>7.3f} "
              f"{c['speaker'] / m:>8.3f} {c['outlet'] / m:>7.3f} {c['spurious']:>9} {n_err:>7}")
    print("\nspeaker = share of found quotes with the right speaker; outlet likewise (textacy names none, "
          "so it is right only where gold has none); textacy time includes its own parse.")
    print(f"seconds: reelgraph {seconds['reelgraph']:.2f} (extraction only), textacy {seconds['textacy']:.2f}")
    if errors:
        print(f"\ntextacy errors ({len(errors)} documents):")
        print("\n".join("  " + e for e in errors))


if __name__ == "__main__":
    main()
