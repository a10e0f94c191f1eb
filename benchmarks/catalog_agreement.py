"""Silver check at scale: extraction over ../shared/corpus/unlabeled against the shipped catalog.

    .venv/bin/python benchmarks/catalog_agreement.py [--limit N] [--json]

Printed:
  - agreement (a precision proxy): of the cast_member and director facts whose film is linked
    to a catalog film and whose person the catalog knows, the share the catalog confirms
    (the person is in that film's cast, resp. its directors);
  - coverage (a recall proxy): of the film-person pairs mentioned in one sentence for which the
    catalog confirms cast or direction, the share the extractor reports with that predicate;
  - documents and words per second, end to end (read, parse, extract).
The catalog is a silver standard: it lists only American films and often only the leads, so
neither number is exact. The relation model reads catalog credits as one feature among many
(its labels come from gold files only), which raises agreement; compare runs of one build.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT = ROOT.parent / "shared" / "corpus" / "unlabeled" / "articles.jsonl.gz"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
CHECKED = {"cast_member": "cast", "director": "directors"}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    return spans + [(start, len(text))]


def measure(extractions, catalog) -> dict:
    from reelgraph.names import fold

    agree = {p: [0, 0] for p in CHECKED}  # confirmed, checkable
    cover = {p: [0, 0] for p in CHECKED}  # reported, confirmed co-mentions
    for ex in extractions:
        by_id = {e.id: e for e in ex.entities}
        films = {e.id: catalog.film(e.catalog_key) for e in ex.entities if e.type == "film" and e.catalog_key}
        films = {k: v for k, v in films.items() if v is not None}
        reported = {(f.s_id, f.p, f.o_id) for f in ex.facts}
        for fact in ex.facts:
            film, person = films.get(fact.s_id or ""), by_id.get(fact.o_id or "")
            if fact.p in CHECKED and film is not None and person is not None and catalog.is_known_person(person.name):
                agree[fact.p][1] += 1
                agree[fact.p][0] += fold(person.name) in {fold(n) for n in getattr(film, CHECKED[fact.p])}
        pairs = set()
        for start, end in sentence_spans(ex.doc.text):
            inside = {e.id for e in ex.entities for m in e.mentions if start <= m.start and m.end <= end}
            pairs |= {(f, p) for f in inside & films.keys() for p in inside if by_id[p].type == "person"}
        for film_id, person_id in pairs:
            name = fold(by_id[person_id].name)
            for p, attr in CHECKED.items():
                if name in {fold(n) for n in getattr(films[film_id], attr)}:
                    cover[p][1] += 1
                    cover[p][0] += (film_id, p, person_id) in reported
    ratio = lambda a, b: round(a / b, 4) if b else None  # noqa: E731
    return {"agreement": {p: {"confirmed": c, "checkable": n, "share": ratio(c, n)} for p, (c, n) in agree.items()},
            "coverage": {p: {"reported": c, "confirmed_pairs": n, "share": ratio(c, n)} for p, (c, n) in cover.items()},
            "agreement_all": ratio(sum(c for c, _ in agree.values()), sum(n for _, n in agree.values())),
            "coverage_all": ratio(sum(c for c, _ in cover.values()), sum(n for _, n in cover.values()))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"error: {args.corpus} not found (the benchmark needs ../shared beside the repo)")
    from reelgraph.analyse import load_nlp
    from reelgraph.catalog import Catalog
    from reelgraph.pipeline import extract_documents
    from reelgraph.read import read_text

    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = rows[: args.limit] if args.limit else rows
    catalog = Catalog.load()
    load_nlp()
    started = time.perf_counter()
    docs = (read_text(r["text"], doc_id=str(r["id"])) for r in rows)
    extractions = list(extract_documents(docs))
    seconds = time.perf_counter() - started
    result = measure(extractions, catalog)
    words = sum(len(r["text"].split()) for r in rows)
    result.update({"documents": len(rows), "seconds": round(seconds, 1),
                   "docs_per_s": round(len(rows) / seconds, 2), "words_per_s": round(words / seconds)})
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{len(rows)} articles, {words:,} words, {seconds:.1f} s: {result['docs_per_s']} docs/s, {result['words_per_s']:,} words/s")
    for p in CHECKED:
        a, c = result["agreement"][p], result["coverage"][p]
        print(f"{p:12} agreement {a['share']} ({a['confirmed']}/{a['checkable']})   "
              f"coverage {c['share']} ({c['reported']}/{c['confirmed_pairs']})")
    print(f"{'both':12} agreement {result['agreement_all']}   coverage {result['coverage_all']}")


if __name__ == "__main__":
    main()
