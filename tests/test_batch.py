"""Batch ingestion: parallel workers, resumable runs, bad files, a Dask cluster, and the
fast attribute rules of the analyse stage."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgraph import batch
from reelgraph.batch import ingest_paths
from reelgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

ARTICLES = {
    "oppenheimer.txt": (
        "Christopher Nolan's Oppenheimer (2023) stars Cillian Murphy as J. Robert Oppenheimer, with Emily Blunt "
        "as Kitty Oppenheimer. Universal Pictures distributed the film, which cost $100 million to make.\n\n"
        '"We shot most of it on large-format film because the faces mattered most," Nolan told Empire.\n'),
    "barbie.md": (
        "# Barbie, two years on\n\nGreta Gerwig directed *Barbie* (2023), written by Gerwig and Noah Baumbach. "
        "Margot Robbie plays Barbie and Ryan Gosling plays Ken. Warner Bros. released it in July.\n\n"
        '"The pink paint shortage was real for about a week," a producer said.\n'),
    "alien.txt": (
        "Alien (1979), directed by Ridley Scott, stars Sigourney Weaver as Ellen Ripley. Jerry Goldsmith "
        "composed the score, and 20th Century Fox released the film. Its sequel, Aliens (1986), was "
        "directed by James Cameron.\n"),
    "parasite.txt": (
        "Bong Joon-ho's Parasite (2019) premiered at the Cannes Film Festival, where it won the Palme d'Or. "
        "Song Kang-ho plays Kim Ki-taek. Neon distributed the film in North America.\n\n"
        '"I never expected a film about two families to travel this far," Bong said in an interview with Variety.\n'),
    "fury-road.txt": (
        "Mad Max: Fury Road (2015) was directed by George Miller. Tom Hardy stars as Max Rockatansky and "
        "Charlize Theron as Imperator Furiosa. The film earned $380 million worldwide.\n"),
    "heat.txt": (
        "Michael Mann wrote and directed Heat (1995), starring Al Pacino as Vincent Hanna and Robert De Niro "
        "as Neil McCauley. Elliot Goldenthal scored it. Warner Bros. released the film in December 1995.\n\n"
        '"The motivation for the film was a challenge to myself," Mann said.\n'),
}


def write_articles(folder: Path, names: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or list(ARTICLES):
        (folder / name).write_text(ARTICLES[name], encoding="utf-8")
    return folder


def stored(db: Path) -> dict[str, set | int]:
    """What the store holds, in plain sets: facts as (s, p, o, qualifiers), evidence, quotes, documents."""
    with sqlite3.connect(db) as conn:
        return {
            "facts": set(conn.execute("select s, p, o, qualifiers from facts")),
            "evidence": set(conn.execute(
                "select f.fact_key, d.doc_key, e.start, e.end from evidence e "
                "join facts f on f.id = e.fact_id join documents d on d.id = e.document_id")),
            "quotes": set(conn.execute(
                "select d.doc_key, q.text, q.speaker, q.outlet, q.start from quotes q "
                "join documents d on d.id = q.document_id")),
            "entities": set(conn.execute("select id, type, name, year from entities")),
            "documents": set(conn.execute("select doc_key, sha256 from documents")),
            "rows": tuple(conn.execute(f"select count(*) from {t}").fetchone()[0]
                          for t in ("documents", "entities", "mentions", "facts", "evidence", "quotes")),
        }


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    return write_articles(tmp_path_factory.mktemp("articles"))


@pytest.fixture(scope="module")
def reference(articles, tmp_path_factory) -> dict:
    """The store after one uninterrupted in-process run (jobs=1)."""
    db = tmp_path_factory.mktemp("reference") / "ref.db"
    summary = ingest_paths([str(articles)], str(db), jobs=1)
    assert (summary.files, summary.added, summary.failed) == (len(ARTICLES), len(ARTICLES), [])
    return stored(db)


def test_reference_run_stores_facts_and_quotes(reference):
    assert len(reference["documents"]) == len(ARTICLES)
    assert reference["facts"] and reference["quotes"] and reference["evidence"]
    assert {doc for doc, *_ in reference["quotes"]} >= {"oppenheimer", "parasite"}


def test_two_worker_processes_store_the_same_facts(articles, reference, tmp_path):
    db = tmp_path / "two.db"
    summary = ingest_paths([str(articles)], str(db), jobs=2)
    assert summary.workers == 2
    assert summary.added == len(ARTICLES) and not summary.failed
    assert 0 < summary.worker_peak_rss_mb < 4096
    got = stored(db)
    for key in ("facts", "evidence", "quotes", "entities", "documents", "rows"):
        assert got[key] == reference[key], key


def test_second_run_reports_everything_unchanged(articles, reference, tmp_path):
    db = tmp_path / "again.db"
    ingest_paths([str(articles)], str(db), jobs=1)
    again = ingest_paths([str(articles)], str(db), jobs=2)
    assert (again.unchanged, again.added, again.replaced, again.words) == (len(ARTICLES), 0, 0, 0)
    assert stored(db)["rows"] == reference["rows"]


def test_subset_then_full_folder_adds_only_the_rest(articles, reference, tmp_path):
    db = tmp_path / "resume.db"
    first = sorted(articles.iterdir())[:2]
    ingest_paths([str(p) for p in first], str(db), jobs=1)
    summary = ingest_paths([str(articles)], str(db), jobs=1)
    assert (summary.unchanged, summary.added) == (2, len(ARTICLES) - 2)
    got = stored(db)
    assert got["rows"] == reference["rows"]  # nothing duplicated
    assert got["facts"] == reference["facts"] and got["quotes"] == reference["quotes"]


def test_interrupted_run_continues_where_it_stopped(articles, reference, tmp_path, monkeypatch):
    db = tmp_path / "interrupted.db"
    real_write, writes = batch._write, []

    def write_then_interrupt(*args):
        if writes:
            raise KeyboardInterrupt
        writes.append(1)
        real_write(*args)

    monkeypatch.setattr(batch, "_write", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([str(articles)], str(db), jobs=1, batch_size=2)
    assert stored(db)["rows"][0] == 2  # the first batch was committed
    monkeypatch.setattr(batch, "_write", real_write)
    summary = ingest_paths([str(articles)], str(db), jobs=1, batch_size=2)
    assert (summary.unchanged, summary.added) == (2, len(ARTICLES) - 2)
    got = stored(db)
    assert got["rows"] == reference["rows"]
    assert got["facts"] == reference["facts"] and got["evidence"] == reference["evidence"]


def test_same_file_name_in_two_subfolders_gives_two_documents(tmp_path):
    write_articles(tmp_path / "src" / "a", ["alien.txt"])
    (tmp_path / "src" / "b").mkdir()
    (tmp_path / "src" / "b" / "alien.txt").write_text(ARTICLES["fury-road.txt"], encoding="utf-8")
    summary = ingest_paths([str(tmp_path / "src")], str(tmp_path / "sub.db"), jobs=1)
    assert summary.added == 2
    assert {key for key, _ in stored(tmp_path / "sub.db")["documents"]} == {"alien", "b__alien"}


def _folder_with_bad_file(folder: Path) -> Path:
    write_articles(folder, ["alien.txt", "fury-road.txt", "heat.txt"])
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    return folder


def test_bad_file_among_good_ones_is_reported_and_skipped(tmp_path):
    folder = _folder_with_bad_file(tmp_path / "mixed")
    summary = ingest_paths([str(folder)], str(tmp_path / "mixed.db"), jobs=2)
    assert summary.added == 3
    assert [Path(source).name for source, _ in summary.failed] == ["broken.txt"]
    assert "binary" in summary.failed[0][1]
    assert {key for key, _ in stored(tmp_path / "mixed.db")["documents"]} == {"alien", "fury-road", "heat"}


def test_cli_reports_the_bad_file_stores_the_rest_and_exits_1(tmp_path):
    folder = _folder_with_bad_file(tmp_path / "mixed")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "cli.db"), "--jobs", "1"])
    assert result.exit_code == 1
    assert "broken.txt" in result.output and "1 failed" in result.output
    assert stored(tmp_path / "cli.db")["rows"][0] == 3


def test_dask_local_cluster_stores_the_same_facts(articles, reference, tmp_path):
    distributed = pytest.importorskip("dask.distributed", reason="dask.distributed is not installed")
    try:
        cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    except Exception as exc:  # noqa: BLE001 - any failure to start means: cannot test here
        pytest.skip(f"dask.distributed cannot start a LocalCluster here: {exc}")
    try:
        db = tmp_path / "dask.db"
        summary = ingest_paths([str(articles)], str(db), dask=cluster.scheduler_address)
    finally:
        cluster.close()
    assert summary.added == len(ARTICLES) and not summary.failed
    got = stored(db)
    for key in ("facts", "evidence", "quotes", "entities", "documents", "rows"):
        assert got[key] == reference[key], key


def test_unreachable_dask_scheduler_is_a_clear_error(articles, tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed", reason="dask.distributed is not installed")
    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT", "2s")
    with pytest.raises(RuntimeError, match="cannot reach the Dask scheduler"):
        ingest_paths([str(articles)], str(tmp_path / "x.db"), dask="tcp://127.0.0.1:9")


# ---------------------------------------------------------------- analyse: fast attribute rules

def test_fast_pos_rules_give_spacys_tags_parse_and_entities():
    from reelgraph.analyse import load_pipeline

    fast, spacy_ruler = load_pipeline("fast"), load_pipeline("parse")
    assert "pos_rules" in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.iterdir()) if p.suffix in (".txt", ".md")]
    texts += list(ARTICLES.values()) + ["There were  two of them.  I did it, but it wasn't me.\n\nGonna go."]
    for a, b in zip(spacy_ruler.pipe(texts), fast.pipe(texts)):
        assert [(t.pos_, t.tag_, t.dep_, t.head.i) for t in a] == [(t.pos_, t.tag_, t.dep_, t.head.i) for t in b]
        assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
        assert [s.start for s in a.sents] == [s.start for s in b.sents]
