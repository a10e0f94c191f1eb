"""Document identity, re-extraction and provenance in the store: each a reproduction from issue 14
("Re-ingest is not idempotent", "Two ingests creating a new SQLite store") and issue 10 item 4."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgraph import graph as graph_module
from reelgraph import version as version_module
from reelgraph.batch import ingest_paths
from reelgraph.cli import app
from reelgraph.reindex import reindex_store
from reelgraph.store import connect

HEAT = ("Heat (1995), directed by Michael Mann, stars Al Pacino as Vincent Hanna and Robert De Niro "
        "as Neil McCauley. Warner Bros. released the film in December 1995.\n\n"
        '"The motivation for the film was a challenge to myself," Mann said.\n')
ALIEN = ("Alien (1979), directed by Ridley Scott, stars Sigourney Weaver as Ellen Ripley. "
         "20th Century Fox released the film.\n")
FURY = "Mad Max: Fury Road (2015) was directed by George Miller. Tom Hardy stars as Max Rockatansky.\n"


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def texts(db: Path) -> set[str]:
    return {t for (t,) in rows(db, "select text from documents")}


def directors(db: Path) -> set[str]:
    return {o for (o,) in rows(db, "select o from facts where p = 'director'")}


def test_same_content_under_two_paths_then_editing_either(tmp_path):
    a, b, db = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "g.db"
    a.write_text(HEAT)
    b.write_text(HEAT)
    first = ingest_paths([str(a), str(b)], str(db), jobs=1)
    assert (first.added, first.words > 0) == (2, True)
    assert len(rows(db, "select * from documents")) == 1  # one content, extracted once, held by both paths
    assert len(rows(db, "select * from document_paths")) == 2
    a.write_text(ALIEN)
    second = ingest_paths([str(a), str(b)], str(db), jobs=1)
    assert (second.replaced, second.unchanged, second.added) == (1, 1, 0)
    assert texts(db) == {HEAT, ALIEN}  # b's content did not vanish
    assert directors(db) == {"Michael Mann", "Ridley Scott"}
    b.write_text(FURY)
    third = ingest_paths([str(a), str(b)], str(db), jobs=1)
    assert (third.replaced, third.unchanged) == (1, 1)
    assert texts(db) == {ALIEN, FURY}
    assert "Michael Mann" not in directors(db)  # nothing holds Heat any more: its facts are gone


def test_relative_then_absolute_path_after_an_edit_is_one_document(tmp_path, monkeypatch):
    folder, db = tmp_path / "articles", tmp_path / "g.db"
    folder.mkdir()
    (folder / "heat.txt").write_text(HEAT)
    monkeypatch.chdir(tmp_path)
    ingest_paths(["articles"], str(db), jobs=1)
    (folder / "heat.txt").write_text(HEAT.replace("December", "November"))
    again = ingest_paths([str(folder.resolve())], str(db), jobs=1)
    assert (again.replaced, again.added) == (1, 0)
    assert rows(db, "select doc_key from documents") == [("heat",)]
    assert "November" in texts(db).pop()


def test_renamed_and_edited_file_is_removed_and_added(tmp_path):
    folder, db = tmp_path / "articles", tmp_path / "g.db"
    folder.mkdir()
    (folder / "heat.txt").write_text(HEAT)
    (folder / "alien.txt").write_text(ALIEN)
    ingest_paths([str(folder)], str(db), jobs=1)
    (folder / "heat.txt").rename(folder / "heat-1995.txt")
    (folder / "heat-1995.txt").write_text(HEAT.replace("December", "November"))
    summary = ingest_paths([str(folder)], str(db), jobs=1)
    assert (summary.added, summary.unchanged, summary.removed, summary.replaced) == (1, 1, 1, 0)
    assert sorted(k for (k,) in rows(db, "select doc_key from documents")) == ["alien", "heat-1995"]
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--jobs", "1"])
    assert "0 added, 0 replaced, 2 unchanged, 0 removed, 0 failed" in result.output


def test_explicit_key_names_the_document(tmp_path):
    a, b, db = tmp_path / "draft-1.txt", tmp_path / "draft-2.txt", tmp_path / "g.db"
    a.write_text(HEAT)
    b.write_text(ALIEN)
    assert ingest_paths([str(a)], str(db), jobs=1, key="story").added == 1
    assert ingest_paths([str(b)], str(db), jobs=1, key="story").replaced == 1
    assert texts(db) == {ALIEN}
    with pytest.raises(Exception, match="exactly one file"):
        ingest_paths([str(a), str(b)], str(db), jobs=1, key="story")


def test_document_from_an_older_extractor_is_re_extracted(tmp_path, monkeypatch):
    path, db = tmp_path / "heat.txt", tmp_path / "g.db"
    path.write_text(HEAT)
    monkeypatch.setattr(version_module, "extractor_version", lambda: "0.0.1+old")
    ingest_paths([str(path)], str(db), jobs=1)
    with sqlite3.connect(db) as conn:  # what an older extractor left: a stale fact
        conn.execute("update facts set o = 'Somebody Else' where p = 'director'")
    assert rows(db, "select extractor from documents") == [("0.0.1+old",)]
    monkeypatch.undo()
    summary = ingest_paths([str(path)], str(db), jobs=1)
    assert (summary.replaced, summary.unchanged) == (1, 0)
    assert rows(db, "select extractor from documents") == [(version_module.extractor_version(),)]
    assert directors(db) == {"Michael Mann"}


def test_reindex_re_extracts_stale_documents_and_resumes(tmp_path, monkeypatch):
    folder, db = tmp_path / "articles", tmp_path / "g.db"
    folder.mkdir()
    (folder / "heat.txt").write_text(HEAT)
    (folder / "alien.md").write_text("# Alien\n\n" + ALIEN)
    monkeypatch.setattr(version_module, "extractor_version", lambda: "0.0.1+old")
    ingest_paths([str(folder)], str(db), jobs=1)
    monkeypatch.undo()
    keys_before = rows(db, "select path from document_paths order by path")
    summary = reindex_store(str(db))
    assert (summary.documents, summary.reextracted, summary.current, summary.failed) == (2, 2, 0, [])
    assert {v for (v,) in rows(db, "select extractor from documents")} == {version_module.extractor_version()}
    assert rows(db, "select path from document_paths order by path") == keys_before
    assert directors(db) == {"Michael Mann", "Ridley Scott"}
    again = CliRunner().invoke(app, ["reindex", "--db", str(db)])
    assert again.exit_code == 0 and "0 re-extracted, 2 already current" in again.output


def test_sources_are_stored_and_returned(tmp_path):
    path, db = tmp_path / "heat.txt", tmp_path / "g.db"
    path.write_text(HEAT)
    ingest_paths([str(path)], str(db), jobs=1)
    with graph_module.open(str(db)) as g:
        found = g.facts(p="director")
        quotes = g.quotes()
    extracted = [f for f in found if f.o == "Michael Mann"]
    assert extracted
    stored = rows(db, "select sources from evidence")
    assert all(s is not None for (s,) in stored)
    for fact in extracted:  # the graph returns what the store holds, per fact and per evidence
        assert fact.sources == sorted({s for e in fact.evidence for s in e.sources})
        assert "sources" in fact.to_dict()
    assert all(isinstance(q.sources, list) for q in quotes)


def test_two_processes_create_one_new_store_together(tmp_path):
    db = tmp_path / "new.db"
    script = ("import sys; from reelgraph.store import connect\n"
              "s = connect(sys.argv[1]); print(s.counts()['documents']); s.close()\n")
    for _ in range(3):
        db.unlink(missing_ok=True)
        procs = [subprocess.Popen([sys.executable, "-c", script, str(db)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        results = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_two_cli_ingests_into_one_new_store_both_succeed(tmp_path):
    (tmp_path / "a.txt").write_text(HEAT)
    (tmp_path / "b.txt").write_text(ALIEN)
    db = tmp_path / "both.db"
    exe = Path(sys.executable).with_name("reelgraph")
    procs = [subprocess.Popen([str(exe), "ingest", str(tmp_path / name), "--db", str(db), "--jobs", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a.txt", "b.txt")]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert len(rows(db, "select * from documents")) == 2


def test_store_of_an_older_version_is_upgraded_on_open(tmp_path):
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(
            "create table documents (id integer primary key autoincrement, doc_key varchar(255) not null, "
            "source varchar(255) not null, title text, url text, sha256 varchar(64) not null unique, text text not null, "
            "ingested_at varchar(32) not null);"
            "insert into documents (doc_key, source, sha256, text, ingested_at) values ('x', 'x.txt', 'ab', 'X.', 'now');")
    with connect(str(db)) as store:
        assert store.key_states() == {"x.txt": ("ab", None)}  # stale: re-extracted on the next ingest
    assert os.path.exists(db)
