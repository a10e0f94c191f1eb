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
DEFAULT_ENTITIES = Path("annotations/unlabeled-entities.jsonl")
ENTITIES_HELP = ("Articles annotated with their entities only (annotations/unlabeled-entities.jsonl): "
                 "they train the title and people stages, and with --cv their films and people are scored too.")
ENTITY_TEXTS_HELP = "Where --entities finds its texts (default: ../shared/corpus/unlabeled/articles.jsonl.gz)."


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def guarded(fn):
    """Run a command body, turning expected errors into one-line messages."""
    from sqlalchemy.exc import SQLAlchemyError

    from .errors import ReadError

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except typer.Exit:  # a deliberate exit code (click's Exit is a RuntimeError): not an error line
            raise
        except (ReadError, UserError, FileNotFoundError, ValueError, RuntimeError, OSError, UnicodeError) as exc:
            fail(_one_line(exc))
        except SQLAlchemyError as exc:
            fail(f"database error: {_one_line(getattr(exc, 'orig', None) or exc)}")
        except KeyboardInterrupt:
            fail("interrupted")
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _one_line(exc: BaseException) -> str:
    from .read import display_path

    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else exc.__class__.__name__
    return display_path(text) if isinstance(text, str) else str(text)  # no lone surrogates on the terminal


FORMAT_HELP = "Read every file as text, markdown or html (default: by suffix; .txt is text)."


@app.command()
def extract(paths: list[str] = typer.Argument(..., help="Files or folders, or - for standard input."),
            out_dir: Optional[Path] = typer.Option(None, "--out", help="Write DIR/<stem>.json for each input."),
            fmt: Optional[str] = typer.Option(None, "--format", help=FORMAT_HELP)):
    """Extract entities, facts and quotes; print JSON (stdin) or write one file per article."""
    _extract(paths, out_dir, fmt)


@guarded
def _extract(paths: list[str], out_dir: Optional[Path], fmt: Optional[str] = None) -> None:
    from .pipeline import extract_documents
    from .read import read_path, read_stdin

    if paths == ["-"]:
        extraction = next(extract_documents([read_stdin(sys.stdin.buffer, fmt=fmt or "auto")]))
        out.print_json(data=extraction.to_dict()) if out_dir is None else _write(extraction, out_dir)
        return
    docs = [doc for path in paths for doc in read_path(path, fmt=fmt)]
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
    try:
        tmp.write_text(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave a half-written file behind
        raise
    err.print(f"wrote {target} ({len(extraction.facts)} facts, {len(extraction.quotes)} quotes)", highlight=False)


@app.command()
def ingest(paths: list[str] = typer.Argument(..., help="Files or folders of articles."),
           db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
           jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (0 = one per core)."),
           dask: Optional[str] = typer.Option(None, "--dask", help="Run extraction on a Dask cluster: tcp://HOST:PORT or 'local'."),
           key: Optional[str] = typer.Option(None, "--key", help="Store a single file under this key instead of its path."),
           fmt: Optional[str] = typer.Option(None, "--format", help=FORMAT_HELP),
           doc_timeout: float = typer.Option(300.0, "--doc-timeout", help="Seconds one document may take (0 = no limit).")):
    """Extract articles and store them; unchanged documents are skipped. A document is its
    resolved path (or --key); files gone from an ingested folder are removed from the store."""
    _ingest(paths, db, jobs, dask, key, fmt, doc_timeout)


@guarded
def _ingest(paths: list[str], db: str, jobs: int, dask: Optional[str], key: Optional[str] = None,
            fmt: Optional[str] = None, doc_timeout: float = 300.0) -> None:
    from .batch import ingest_paths

    summary = ingest_paths(paths, db, jobs=jobs, dask=dask, console=err, key=key, fmt=fmt,
                           budget_s=doc_timeout or None)
    out.print(summary.line(), highlight=False)
    if summary.failed:  # the good files are stored; the bad ones were listed above
        raise typer.Exit(code=1)


@app.command()
def reindex(db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP)):
    """Re-extract every stored document that an older extractor stored, from its stored text.
    Each document is replaced in one transaction, so an interrupted run resumes where it stopped."""
    _reindex(db)


@guarded
def _reindex(db: str) -> None:
    from .reindex import reindex_store

    if "://" not in db and not Path(db).exists():
        raise UserError(f"no database at {db}")
    summary = reindex_store(db, console=err)
    out.print(summary.line(), highlight=False)
    if summary.failed:
        raise typer.Exit(code=1)


@app.command()
def show(name: str = typer.Argument(..., help="Entity name or id."),
         year: Optional[int] = typer.Option(None, "--year"),
         type: Optional[str] = typer.Option(None, "--type", help="film, person, organization, ..."),
         db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
         as_json: bool = typer.Option(False, "--json", help="Print the card as JSON.")):
    """Print an entity's card: its facts and quotes with the sentences they came from.
    A misspelt name shows the closest match."""
    _show(name, year, type, db, as_json)


@guarded
def _show(name: str, year: Optional[int], type: Optional[str], db: str, as_json: bool) -> None:
    from .cli_views import show_entity

    show_entity(_open_existing(db), name, year, type, as_json, out, err, db)


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
    from .cli_views import list_facts

    list_facts(_open_existing(db), subject, predicate, obj, status, limit, out)


@app.command("eval")
def evaluate(gold_dirs: list[Path] = typer.Argument(..., help="Folders of <id>.txt with <id>.gold.json."),
             cv: int = typer.Option(0, "--cv", help="K-fold cross-validation by article: learned parts fitted on the other folds."),
             train_fraction: float = typer.Option(1.0, "--train-fraction", help="With --cv: train on this share of each fold's training articles."),
             repeats: int = typer.Option(1, "--repeats", help="With --cv: run it on N different splits and show how the scores spread."),
             entities: Optional[Path] = typer.Option(None, "--entities", help=ENTITIES_HELP),
             entity_texts: Optional[Path] = typer.Option(None, "--entity-texts", help=ENTITY_TEXTS_HELP),
             by_rule: bool = typer.Option(False, "--by-rule", help="True and false positives of each rule id."),
             as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
             markdown: bool = typer.Option(False, "--markdown", help="Print the scores as Markdown tables.")):
    """Score extraction against gold annotations (FACTS.md); --cv K cross-validates the learned stages."""
    _evaluate(gold_dirs, cv, train_fraction, by_rule, as_json, markdown, repeats, entities, entity_texts)


@guarded
def _evaluate(gold_dirs: list[Path], cv: int, train_fraction: float, by_rule: bool, as_json: bool,
              markdown: bool, repeats: int = 1, entities: Optional[Path] = None,
              entity_texts: Optional[Path] = None) -> None:
    from .corpus import load_entity_annotations
    from .crossval import by_rule as rule_counts, cross_validate, evaluate_articles
    from .evaluate import render_markdown, render_report

    for folder in gold_dirs:
        if not folder.is_dir():
            raise UserError(f"not a folder: {folder}")
    if not 0 < train_fraction <= 1:
        raise UserError("--train-fraction must be in (0, 1]")
    if repeats < 1 or repeats > 1 and not cv:
        raise UserError("--repeats needs --cv and must be at least 1")
    if entities and not cv:
        raise UserError("--entities needs --cv: its articles only train the title and people stages and score films and people")
    if by_rule:
        counts = rule_counts(gold_dirs, detail=True)
        if as_json:
            out.print_json(data=counts)
            return
        _print_rule_counts(counts)
        return
    if cv:
        extra = load_entity_annotations(entities, entity_texts) if entities else []
        result = cross_validate(gold_dirs, cv, train_fraction, repeats=repeats, extra=extra,
                                progress=None if as_json else lambda msg: err.print(msg, style="dim"))
        report, data = result.report, result.to_dict()
        if not as_json and not markdown:
            err.print(f"{cv}-fold cross-validation over {len(report.documents)} articles; learned: "
                      f"{', '.join(result.learned) or 'nothing (plain eval)'}")
            for name, s in data["cv"].get("spread", {}).items():
                err.print(f"{name} over {repeats} splits: mean {s['mean']:.3f}, sd {s['sd']:.3f}, "
                          f"range {s['min']:.3f}-{s['max']:.3f} (the tables show split 1)")
            if result.entity_report is not None:
                e = data["cv"]["entities_only"]
                err.print(f"{e['articles']} entity-only articles (split 1): film F1 {e['film']['f1']:.3f} "
                          f"(P {e['film']['p']:.3f}, R {e['film']['r']:.3f}), person F1 {e['person']['f1']:.3f}")
    else:
        report = evaluate_articles(gold_dirs)
        data = report.to_dict()
    if as_json:
        out.print_json(data=data)
    elif markdown:
        print(render_markdown(report))
    else:
        render_report(report, out)


def _print_rule_counts(counts: dict) -> None:
    from rich.table import Table

    table = Table(title="Rule facts against gold (before any model decides)")
    for col in ("rule", "fired", "tp", "fp", "optional", "precision"):
        table.add_column(col, justify="left" if col == "rule" else "right")
    for rid, c in counts.items():
        judged = c["tp"] + c["fp"]
        table.add_row(rid, str(c["fired"]), str(c["tp"]), str(c["fp"]), str(c["optional"]),
                      f"{c['tp'] / judged:.3f}" if judged else "-")
    out.print(table)


@app.command()
def train(gold_dirs: list[Path] = typer.Argument(None, help="Gold folders (default: ../shared/corpus/train and dev, "
                                                             "with --entities annotations/unlabeled-entities.jsonl)."),
          output: Optional[Path] = typer.Option(None, "--out", help="Folder for the model files (default: the package's)."),
          entities: Optional[Path] = typer.Option(None, "--entities", help=ENTITIES_HELP),
          entity_texts: Optional[Path] = typer.Option(None, "--entity-texts", help=ENTITY_TEXTS_HELP)):
    """Fit the learned stages on gold folders and write the shipped model files."""
    _train(gold_dirs, output, entities, entity_texts)


@guarded
def _train(gold_dirs: Optional[list[Path]], output: Optional[Path], entities: Optional[Path] = None,
           entity_texts: Optional[Path] = None) -> None:
    from .corpus import load_entity_annotations, load_gold, parse_all
    from .learn import MODEL_DIR, train as fit

    dirs = gold_dirs or [Path("../shared/corpus/train"), Path("../shared/corpus/dev")]
    if not gold_dirs and entities is None and DEFAULT_ENTITIES.is_file():
        entities = DEFAULT_ENTITIES  # run from the repo root with no arguments: the same as `make train`
    for folder in dirs:
        if not folder.is_dir():
            raise UserError(f"not a folder: {folder}")
    articles = parse_all(load_gold(dirs) + (load_entity_annotations(entities, entity_texts) if entities else []))
    models = fit(articles)
    for path in models.save(output or MODEL_DIR):
        out.print(f"wrote {path} ({path.stat().st_size:,} bytes)")


@app.command()
def serve(db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
          host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8765, "--port"),
          no_cache: bool = typer.Option(False, "--no-cache", help="Answer every request from the store.")):
    """Serve the HTTP API and the web explorer."""
    _serve(db, host, port, not no_cache)


@guarded
def _serve(db: str, host: str, port: int, cache: bool) -> None:
    from .cli_views import serve_store

    serve_store(db, host, port, cache, err)


@app.command()
def export(fmt: str = typer.Argument(..., help="jsonld, turtle or quickstatements"),
           db: str = typer.Option("reelgraph.db", "--db", help=DB_HELP),
           output: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: stdout)."),
           qids: Optional[Path] = typer.Option(None, "--qids", help="QuickStatements: file mapping entity ids or "
                                               "catalog keys to Wikidata QIDs (JSON object or KEY<TAB>QID lines)."),
           report: Optional[Path] = typer.Option(None, "--report", help="QuickStatements: write the report of "
                                                 "items needing a QID here (default: stderr).")):
    """Export the graph as JSON-LD, RDF Turtle or Wikidata QuickStatements."""
    _export(fmt, db, output, qids, report)


@guarded
def _export(fmt: str, db: str, output: Optional[Path], qids: Optional[Path], report: Optional[Path]) -> None:
    from .cli_views import export_store

    text = export_store(_open_existing(db), fmt, qids, report, err)
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
