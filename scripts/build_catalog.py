"""Build the shipped reference catalog from the wikipedia-movie-data decade files.

    python scripts/build_catalog.py [--src DIR] [--out FILE]

Keeps title, year, cast, genres and page key per film, and mines crew, studios and
remake/sequel/source links from each `extract` lead paragraph with a small regex
extractor. No prose is written out. Output: gzip JSON, columnar, strings interned.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # catalog_mining, also when loaded by path
from catalog_mining import ROLES, YEAR, classify, is_org_name, mine_crew, mine_links  # noqa: E402
from reelgraph.names import film_label, fold  # noqa: E402

DEFAULT_SRC = ROOT.parent / "shared" / "catalog" / "wikipedia-movie-data"
DEFAULT_OUT = ROOT / "src" / "reelgraph" / "data" / "catalog.json.gz"
FORMAT = "reelgraph-catalog/1"

# ---------------------------------------------------------------- records
def _is_cast_name(name: str) -> bool:
    return name[:1].isupper() and not re.search(r"[()\[\]?]", name) and len(name.split()) <= 6


def load_records(src: Path) -> list[dict]:
    """Read all decade files; give a page shared by rows of different films to its owner;
    merge rows of one film (same title and year, same page or no page)."""
    files = sorted(src.glob("movies-*.json"))
    if not files:
        raise FileNotFoundError(f"no movies-*.json files in {src}")
    recs = [r for f in files for r in json.loads(f.read_text(encoding="utf-8"))]
    by_href: dict[str, list[dict]] = defaultdict(list)
    for r in recs:
        if r.get("href"):
            by_href[r["href"]].append(r)
    for group in by_href.values():
        if len({(r["title"], r["year"]) for r in group}) > 1:
            stated = re.search(YEAR, group[0].get("extract", ""))  # "X is a 1923 film ..."
            owner = min(group, key=lambda r: abs(r["year"] - int(stated.group(0))) if stated else 0)
            for r in group:
                if (r["title"], r["year"]) != (owner["title"], owner["year"]):
                    r.pop("href", None)
                    r.pop("extract", None)
    groups: dict[tuple, list[dict]] = defaultdict(list)
    out: list[dict] = []
    for r in recs:
        href = unquote(r["href"]) if r.get("href") else None
        cast = [c.strip() for c in r.get("cast", []) if _is_cast_name(c.strip())]
        group = groups[(r["title"], r["year"])]
        target = next((g for g in group if href and g["href"] == href), None)
        if target is None:
            loose = [g for g in group if not (href and g["href"])]
            overlap = [g for g in loose if set(g["cast"]) & set(cast)]
            target = overlap[0] if overlap else (loose[0] if len(group) == 1 and loose else None)
        if target is None:
            target = {"title": r["title"], "year": r["year"], "href": href, "cast": [],
                      "genres": [], "extracts": []}
            group.append(target)
            out.append(target)
        target["href"] = target["href"] or href
        target["cast"] += [c for c in cast if c not in target["cast"]]
        target["genres"] += [g for g in r.get("genres", []) if g not in target["genres"]]
        target["extracts"] += [r["extract"]] if r.get("extract") else []
    keys: set[str] = set()
    for r in out:  # no page: a synthetic key "Title_(Year)"
        key = base = r["href"] or f"{r['title']}_({r['year']})".replace(" ", "_")
        n = 2
        while key in keys:
            key, n = f"{base}_{n}", n + 1
        keys.add(key)
        r["key"] = key
    return out


def _link_label(target: tuple[str, int | None], titles: dict[str, list[int]],
                records: list[dict]) -> str:
    """A linked film as "Title (Year)", taken from the catalog where it is unambiguous."""
    name, year = target
    cands = [records[i] for i in titles.get(fold(name), [])]
    cands = [c for c in cands if c["year"] == year] or cands if year else cands
    if len(cands) == 1 or (cands and year):
        return film_label(cands[0]["title"], cands[0]["year"])
    return film_label(name, year)


def build(src: Path) -> tuple[dict, Counter]:
    from spacy.lang.en.stop_words import STOP_WORDS  # slow import: only when building

    records = load_records(src)
    texts = [" ".join(r["extracts"]) for r in records]
    raws = [mine_crew(t, None, r["year"]) for t, r in zip(texts, records)]
    counts = Counter(fold(n) for raw in raws for n in raw.get("studios", []))
    counts.update(fold(n) for raw in raws for n in raw.get("mixed", []) if is_org_name(n))
    vocab = {k for k, v in counts.items() if v >= 3 and k}  # companies named 3+ times
    firsts = Counter(fold(c).split()[0] for r in records for c in r["cast"] if len(c.split()) > 1)
    given = {k for k, v in firsts.items() if v >= 3}  # given names, from cast lists
    titles: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        titles[fold(r["title"])].append(i)
    strings: dict[str, int] = {}
    cols: dict[str, list] = defaultdict(list)
    stats: Counter = Counter(films=len(records))
    for text, r in zip(texts, records):
        crew = classify(mine_crew(text, vocab, r["year"]), r["cast"], vocab, given)
        people = r["cast"] + [n for role in ROLES[:4] for n in crew[role]]
        links = mine_links(text, r["title"], r["year"], titles, crew["writers"], people)
        for name in ("key", "title", "year"):
            cols[name].append(r[name])
        for name, values in [("cast", r["cast"]), ("genres", r["genres"])] + list(crew.items()):
            cols[name].append([strings.setdefault(v, len(strings)) for v in values])
            stats[name] += bool(values)
        for name in ("remake_of", "sequel_of"):
            cols[name].append(_link_label(links[name], titles, records) if name in links else None)
            stats[name] += name in links
        cols["based_on"].append(links.get("based_on", []))
        stats["based_on"] += "based_on" in links
        stats["with_extract"] += bool(text)
        cols["has_page"].append(int(bool(r["href"])))
        stats["synthetic_key"] += not r["href"]
    lowercase = Counter(w for t in texts for w in re.findall(r"\b[a-z]+\b", t))
    common = sorted(t for t in titles if t.isalpha() and lowercase[t] >= 3)
    stats["common_words"] = len(common)
    cols["folded_title"] = [fold(t) for t in cols["title"]]  # checked against fold() on load
    data = {"format": FORMAT, "license": "CC BY-SA 4.0",
            "source": "Wikipedia contributors, via github.com/prust/wikipedia-movie-data",
            "strings": list(strings), "folded_strings": [fold(s) for s in strings],
            "common_words": common, "stop_words": sorted(STOP_WORDS), "films": dict(cols)}
    return data, stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    data, stats = build(args.src)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as fh, gzip.GzipFile("", "wb", fileobj=fh, mtime=0) as gz:
        gz.write(payload)  # mtime=0: the same input gives the same bytes
    for name, value in stats.items():
        print(f"{name:>14}: {value}")
    print(f"{'size':>14}: {args.out.stat().st_size:,} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
