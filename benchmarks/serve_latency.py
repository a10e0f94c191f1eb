"""Latency of `reelgraph serve` under 50 concurrent clients, on loopback only: cold and warm,
with the response cache on and off.

    python benchmarks/serve_latency.py [--db FILE] [--corpus DIR] [--clients 50] [--requests 2000]
                                       [--cache on|off|both]

Without --db it extracts the dev corpus (../shared/corpus/dev) into a temporary SQLite store.
For each cache setting a fresh server process starts (as `reelgraph serve` would). "Cold" is the
first pass, every distinct request asked once by 50 concurrent clients on the just-started server;
"warm" is the measured run after it. The clients share requests over entity pages (HTML) and API
endpoints. Targets, judged on the cold server with the cache off: entity page median < 100 ms,
API p99 < 200 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
HOST = "127.0.0.1"  # loopback only
SERVER = ("import sys, uvicorn\nfrom reelgraph.serve import create_app\n"
          "uvicorn.run(create_app(sys.argv[1], cache=sys.argv[3] == '1'), host='127.0.0.1', port=int(sys.argv[2]),"
          " log_level='warning', access_log=False)")


def build_store(corpus: Path, db: str) -> None:
    from reelgraph.pipeline import extract_path
    from reelgraph.store import connect

    if not corpus.is_dir():
        sys.exit(f"error: corpus folder not found: {corpus} (pass --db or --corpus)")
    started = time.perf_counter()
    extractions = extract_path(corpus)
    with connect(db) as store:
        store.ingest_many(extractions)
    print(f"store: {len(extractions)} documents from {corpus} in {time.perf_counter() - started:.1f} s -> {db}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int, cache: bool) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", SERVER, db, str(port), "1" if cache else "0"], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"error: the server exited with status {proc.returncode}")
        try:
            if httpx.get(f"http://{HOST}:{port}/api/documents?limit=1", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    sys.exit("error: the server did not start within 60 s")


def workload(base: str) -> list[tuple[str, str]]:
    """(kind, url) pairs over the store's busiest entities, interleaved kind by kind."""
    top = httpx.get(f"{base}/api/entities?limit=40", timeout=30).json()["items"]
    if not top:
        sys.exit("error: the store holds no entities")
    ids = [quote(e["id"], safe=":/()',") for e in top]
    words = sorted({w for e in top for w in e["name"].split() if len(w) > 3})[:20] or ["a"]
    kinds = {
        "html entity": [f"/entity/{i}" for i in ids],
        "api entity": [f"/api/entities/{i}" for i in ids],
        "api search": [f"/api/entities?q={quote(w)}&limit=20" for w in words],
        "api quotes": ["/api/quotes?limit=50", "/api/quotes?limit=20&offset=20"] + [f"/api/quotes?film={i}" for i in ids[:10]],
        "api documents": ["/api/documents?limit=50", "/api/documents/1"],
        "api contradictions": ["/api/contradictions"],
        "api graph": [f"/api/graph/{i}?depth=2" for i in ids[:20]],
    }
    cycles = {kind: itertools.cycle(urls) for kind, urls in kinds.items()}
    return [(kind, next(cycles[kind])) for _ in range(max(len(u) for u in kinds.values())) for kind in kinds]


class Connection:
    """A minimal keep-alive HTTP/1.1 GET client on asyncio streams. httpx's async pool costs
    milliseconds per request at 50 connections, which on a small machine would be measured
    as server latency; this costs microseconds."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n\r\n".encode())
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
        length = int({k.lower(): v for k, v in headers.items()}.get("content-length", "-1"))
        if length < 0:
            raise RuntimeError(f"response to {path} has no Content-Length")
        await self.reader.readexactly(length)
        return int(head[0].split()[1])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def run_clients(plan: list[tuple[str, str]], port: int, clients: int,
                      total: int) -> tuple[dict[str, list[float]], float, int]:
    jobs = itertools.islice(itertools.cycle(plan), total)
    timings: dict[str, list[float]] = {}
    errors = 0

    async def worker() -> None:
        nonlocal errors
        connection = Connection(port)
        try:
            for kind, path in jobs:  # a shared iterator: the run stops by itself after `total` requests
                started = time.perf_counter()
                status = await connection.get(path)
                timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                errors += status != 200
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return timings, time.perf_counter() - started, errors


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def report(timings: dict[str, list[float]], wall: float, errors: int, clients: int, judge: bool = True) -> bool:
    """Print the table; True when the targets are met."""
    everything = [t for values in timings.values() for t in values]
    api = [t for kind, values in timings.items() if kind.startswith("api") for t in values]
    print(f"\n{len(everything)} requests, {clients} concurrent clients, {wall:.1f} s, "
          f"{len(everything) / wall:.0f} req/s, {errors} non-200")
    print(f"{'kind':<20}{'n':>6}{'median ms':>12}{'p99 ms':>10}")
    rows = [(kind, values) for kind, values in sorted(timings.items())] + [("all API", api), ("overall", everything)]
    for kind, values in rows:
        print(f"{kind:<20}{len(values):>6}{statistics.median(values):>12.1f}{p99(values):>10.1f}")
    page_median = statistics.median(timings.get("html entity", [float("inf")]))
    api_p99 = p99(api) if api else float("inf")
    ok = page_median < 100 and api_p99 < 200 and errors == 0
    if judge:
        print(f"\ntargets: entity page median {page_median:.1f} ms (< 100), API p99 {api_p99:.1f} ms (< 200): "
              f"{'PASS' if ok else 'FAIL'}")
    return ok


def measure(db: str, cache: bool, clients: int, requests: int) -> dict[str, tuple[float, float, int]]:
    """{"cold": ..., "warm": ...}: (entity page median, API p99, non-200 count) on a fresh server."""
    port = free_port()
    server = start_server(db, port, cache=cache)
    results = {}
    try:
        plan = workload(f"http://{HOST}:{port}")
        print(f"\n== server: http://{HOST}:{port}, cache {'on' if cache else 'off'}, "
              f"{len(plan)} distinct requests in the mix")
        for phase, total in (("cold", len(plan)), ("warm", requests)):
            print(f"\n-- {phase}: {total} requests" + (" (every distinct request once, first time)" if phase == "cold" else ""))
            timings, wall, errors = asyncio.run(run_clients(plan, port, clients, total))
            report(timings, wall, errors, clients, judge=False)
            api = [t for kind, values in timings.items() if kind.startswith("api") for t in values]
            results[phase] = (statistics.median(timings.get("html entity", [float("inf")])), p99(api), errors)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing store (SQLite path or SQLAlchemy URL)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="articles to extract when --db is not given")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="requests in each warm run")
    parser.add_argument("--cache", choices=("on", "off", "both"), default="both", help="response cache settings to run")
    args = parser.parse_args()
    if args.clients < 1 or args.requests < 1:
        parser.error("--clients and --requests must be at least 1")
    settings = {"on": [True], "off": [False], "both": [False, True]}[args.cache]
    with tempfile.TemporaryDirectory(prefix="reelgraph-bench-") as tmp:
        db = args.db or str(Path(tmp) / "dev.db")
        if not args.db:
            build_store(args.corpus, db)
        rows = {cache: measure(db, cache, args.clients, args.requests) for cache in settings}
    print(f"\n{'':<24}{'entity page median ms':>24}{'API p99 ms':>12}{'non-200':>9}")
    for cache, phases in rows.items():
        for phase, (page, api, errors) in phases.items():
            print(f"{'cache ' + ('on' if cache else 'off') + ', ' + phase:<24}{page:>24.1f}{api:>12.1f}{errors:>9}")
    ok = True
    if False in rows:
        page, api, errors = rows[False]["cold"]
        ok = page < 100 and api < 200 and errors == 0
        print(f"\ntargets (cold server, cache off): entity page median {page:.1f} ms (< 100), "
              f"API p99 {api:.1f} ms (< 200): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
