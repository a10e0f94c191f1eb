"""Time and peak memory of `reelgraph extract` on adversarial inputs, at 1x, 2x and 4x size.

    .venv/bin/python benchmarks/adversarial.py [--scales 1,2,4] [--shapes word,names,...] [--timeout 600]

Each run is `reelgraph extract FILE --out DIR` in a fresh process; peak RSS is that process's
ru_maxrss. The 4x size of each shape is the size the robustness issue reported:

  word      a 100,000-character word inside a sentence
  names     3,000 person names in a row, comma separated
  sentence  a 50,000-word sentence with no full stop
  brackets  an 87 KB Markdown bracket bomb ("[" runs, half-open links)
  oneline   2 MB of film prose on one line
  repeated  4 MB of short repeated sentences

Linear time shows as time roughly doubling from 1x to 2x to 4x. All texts are generated here.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin" / "reelgraph"

SYLLABLES = ["ka", "lo", "mi", "ren", "sol", "tav", "ul", "vin", "zed", "bra"]
PROSE = [
    "Director Maria Lenz said the film Blue Harbour (1998) was shot in twelve weeks.",
    "It starred Tom Hale as Captain Rees and Nora Vance as the harbour master.",
    "\"We wanted every scene to feel like weather,\" Lenz told Sight and Sound.",
    "The picture, produced by Northlight Pictures, grossed $41 million worldwide.",
    "Critics compared it to the quieter dramas of the seventies.",
]


def shape_text(shape: str, scale: int) -> tuple[str, str]:
    """(file suffix, text) of one shape at 1x = a quarter of the issue's size."""
    if shape == "word":
        return ".txt", "The film was called " + "x" * (25_000 * scale) + " and it ran long.\n"
    if shape == "names":
        n = 750 * scale
        names = [_name(i) for i in range(n)]
        return ".txt", "The cast included " + ", ".join(names) + ".\n"
    if shape == "sentence":
        words = ("the film and its director kept talking about " * (12_500 * scale // 7 + 1)).split()
        return ".txt", "It began when " + " ".join(words[:12_500 * scale]) + "\n"
    if shape == "brackets":
        unit = "[a](" * 4 + "[[" + "](b" * 4
        size = 22_000 * scale
        return ".md", "# Bomb\n\n" + (unit * (size // len(unit) + 1))[:size] + "\n"
    if shape == "oneline":
        size = 512 * 1024 * scale
        prose = " ".join(PROSE)
        return ".txt", (prose + " ") * (size // (len(prose) + 1)) + "\n"
    if shape == "repeated":
        size = 1024 * 1024 * scale
        line = "He said so. "
        return ".txt", line * (size // len(line)) + "\n"
    raise ValueError(f"unknown shape {shape!r}")


def _name(i: int) -> str:
    """A distinct made-up "First Last" name for each i < 100,000."""
    digits = [(i // 10 ** k) % 10 for k in range(5)]
    first = SYLLABLES[digits[0]] + SYLLABLES[digits[1]]
    last = SYLLABLES[digits[2]] + SYLLABLES[digits[3]] + SYLLABLES[digits[4]]
    return f"{first.title()} {last.title()}"


SHAPES = ("word", "names", "sentence", "brackets", "oneline", "repeated")


def run_one(path: Path, out: Path, timeout: float) -> tuple[float, float, int, str]:
    """Seconds, peak RSS (MB) of the child, exit code, last stderr line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    try:
        proc = subprocess.run([str(BIN), "extract", str(path), "--out", str(out)], capture_output=True, text=True,
                              timeout=timeout)
        code, tail = proc.returncode, (proc.stderr.strip().splitlines() or [""])[-1]
    except subprocess.TimeoutExpired:
        code, tail = -1, f"timed out after {timeout:.0f}s"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: report it only when this run raised it
    return seconds, (peak if peak > before else before) / 1024, code, tail


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1,2,4")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    print("| shape | scale | input | seconds | peak RSS (MB) | exit | last line |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for shape in args.shapes.split(","):
        for scale in scales:
            suffix, text = shape_text(shape, scale)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"{shape}{suffix}"
                path.write_text(text, encoding="utf-8")
                # each shape in a fresh interpreter, so ru_maxrss is this run's alone
                seconds, rss, code, tail = _isolated(path, Path(tmp) / "out", args.timeout)
            size = f"{len(text.encode()) / 1024:,.0f} KB"
            print(f"| {shape} | {scale}x | {size} | {seconds:.1f} | {rss:,.0f} | {code} | {tail[:60]} |", flush=True)


def _isolated(path: Path, out: Path, timeout: float) -> tuple[float, float, int, str]:
    """run_one in a child interpreter, so RUSAGE_CHILDREN covers one extract process only."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import adversarial as a; "
            f"from pathlib import Path; print(repr(a.run_one(Path({str(path)!r}), Path({str(out)!r}), {timeout})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ})
    return eval(proc.stdout.strip().splitlines()[-1])  # noqa: S307 - our own repr of a tuple


if __name__ == "__main__":
    main()
