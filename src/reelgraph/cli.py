"""The command line: a thin skin over the library (read, extract, store, graph, evaluate)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Film writing in, a film knowledge graph out.")
out = Console()
err = Console(stderr=True)
DB_HELP = "SQLite file or SQLAlchemy URL (postgresql+psycopg://...)."


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def guarded(fn):
    """Run a command body, turning expected errors into one-line messages."""
    from .read import ReadError

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ReadError, UserError, FileNotFoundError, ValueError, RuntimeError, OSError) as exc:
            fail(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
        except KeyboardInterrupt:
            fail("interrupted")
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


@app.command()
def extract(paths: list[str] = typer.Argument(..., help="Files or folders, or - for standard input."),
            out_dir: Optional[Path] = typer.Option(None, "--out", help="Write DIR/<stem>.json for each input.")):
    """Extract entities, facts and quotes; print JSON (stdin) or write one file per article."""
    _extract(paths, out_dir)


@guarded
def _extract(paths: list[str], out_dir: Optional[Path]) -> None:
    from .pipeline import extract_documents
    from .read import read_bytes, read_path

    if paths == ["-"]:
        data = sys.stdin.buffer.read()
        extraction = next(extract_documents([read_bytes(data, doc_id="stdin", source="-")]))
        out.print_json(data=extraction.to_dict()) if out_dir is None else _write(extraction, out_dir)
        return
    docs = [doc for path in paths for doc in read_path(path)]
    if out_dir is None and len(docs) > 1:
        raise UserError("several documents: give --out DIR to write one JSON file each")
    for extraction in extract_documents(docs):
        if out_dir is None:
            out.print_json(data=extraction.to_dict())
        else:
            _write(extraction, out_dir)


def _write(extraction, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{extraction.doc.id}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
    err.print(f"wrote {target} ({len(extraction.facts)} facts, {len(extraction.quotes)} quotes)", highlight=False)


@app.command()
def ingest(paths: list[str] = typer.Argument(..., help="Files or folders of articles."),
           db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
           jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (0 = one per core)."),
           dask: Optional[str] = typer.Option(None, "--dask", help="Run extraction on a Dask cluster: tcp://HOST:PORT or 'local'.")):
    """Extract articles and store them; unchanged documents are skipped."""
    _ingest(paths, db, jobs, dask)


@guarded
def _ingest(paths: list[str], db: str, jobs: int, dask: Optional[str]) -> None:
    from .batch import ingest_paths

    summary = ingest_paths(paths, db, jobs=jobs, dask=dask, console=err)
    out.print(summary.line(), highlight=False)
    if summary.failed:  # the good files are stored; the bad ones were listed above
        raise typer.Exit(code=1)


@app.command()
def show(name: str = typer.Argument(..., help="Entity name or id."),
         year: Optional[int] = typer.Option(None, "--year"),
         db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
         as_json: bool = typer.Option(False, "--json", help="Print the card as JSON.")):
    """Print an entity's card: its facts and quotes with the sentences they came from."""
    _show(name, year, db, as_json)


@guarded
def _show(name: str, year: Optional[int], db: str, as_json: bool) -> None:
    from .cards import render_card

    card = _open_existing(db).entity(name, year=year)
    if card is None:
        raise UserError(f"no entity named {name!r}" + (f" ({year})" if year else "") + f" in {db}")
    if as_json:
        out.print_json(data=card.to_dict())
    else:
        render_card(card, out)


@app.command()
def facts(subject: Optional[str] = typer.Option(None, "--s", help="Subject id or label."),
          predicate: Optional[str] = typer.Option(None, "--p", help="Predicate, e.g. director."),
          obj: Optional[str] = typer.Option(None, "--o", help="Object id or label."),
          status: Optional[str] = typer.Option(None, "--status", help="stated, announced, in_talks or rumoured."),
          db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
          limit: int = typer.Option(50, "--limit")):
    """List stored facts, filtered; each with its corroboration count and first evidence."""
    _facts(subject, predicate, obj, status, db, limit)


@guarded
def _facts(subject, predicate, obj, status, db, limit) -> None:
    from .cards import describe_value

    for fact in _open_existing(db).facts(s=subject, p=predicate, o=obj, status=status, limit=limit):
        first = fact.evidence[0] if fact.evidence else None
        where = f"  [{first.document.doc_key}] {' '.join(first.text.split())[:90]}" if first else ""
        out.print(f"{fact.s} · {fact.p} · {describe_value(fact)} ({fact.corroboration} docs){where}",
                  highlight=False, soft_wrap=True)


@app.command("eval")
def evaluate(gold_dir: Path = typer.Argument(..., help="Folder of <id>.txt with <id>.gold.json."),
             as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
             markdown: bool = typer.Option(False, "--markdown", help="Print the scores as Markdown tables.")):
    """Score extraction against gold annotations (FACTS.md)."""
    _evaluate(gold_dir, as_json, markdown)


@guarded
def _evaluate(gold_dir: Path, as_json: bool, markdown: bool = False) -> None:
    from .evaluate import evaluate_dir, render_markdown, render_report
    from .pipeline import extract_path

    if not gold_dir.is_dir():
        raise UserError(f"not a folder: {gold_dir}")
    report = evaluate_dir(gold_dir, lambda path: extract_path(path)[0].to_dict())
    if as_json:
        out.print_json(data=report.to_dict())
    elif markdown:
        print(render_markdown(report))
    else:
        render_report(report, out)


@app.command()
def serve(db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
          host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8765, "--port")):
    """Serve the HTTP API and the web explorer."""
    _serve(db, host, port)


@guarded
def _serve(db: str, host: str, port: int) -> None:
    import uvicorn

    from .serve import create_app

    app_ = create_app(db)
    err.print(f"reelgraph explorer on http://{host}:{port}/  (API docs: /docs)", highlight=False)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command()
def export(fmt: str = typer.Argument(..., help="jsonld, turtle or quickstatements"),
           db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
           output: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: stdout).")):
    """Export the graph as JSON-LD, RDF Turtle or Wikidata QuickStatements."""
    _export(fmt, db, output)


@guarded
def _export(fmt: str, db: str, output: Optional[Path]) -> None:
    from .export import export_graph

    text = export_graph(_open_existing(db), fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _open_existing(db: str):
    """Open a store that must already exist (a missing SQLite file is an error, not a new store)."""
    from .graph import open as open_graph

    if "://" not in db and not Path(db).exists():
        raise UserError(f"no database at {db} (run `reelgraph ingest PATH --db {db}` first)")
    return open_graph(db)


@app.command()
def version():
    """Print the version."""
    out.print(__version__)


if __name__ == "__main__":
    app()
