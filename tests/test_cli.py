"""The CLI end to end: extraction contract, schema, store, and bad input as one-line errors."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from reelgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
SCHEMA = json.loads((ROOT / "src" / "reelgraph" / "schema" / "extraction.schema.json").read_text())
runner = CliRunner()


def run(*args: str, input: bytes | str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def assert_one_line_error(result, fragment: str) -> None:
    assert result.exit_code != 0
    message = result.output.strip()
    assert "Traceback" not in message
    assert len(message.splitlines()) == 1, message
    assert message.startswith("error:")
    assert fragment in message


def test_extract_writes_schema_valid_json(tmp_path):
    result = run("extract", str(EXAMPLES), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = sorted(tmp_path.glob("*.json"))
    assert {p.stem for p in written} == {p.stem for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md")}
    for path in written:
        data = json.loads(path.read_text())
        jsonschema.validate(data, SCHEMA)
        source = (EXAMPLES / Path(data["source"]).name).read_text()
        for fact in data["facts"]:
            ev = fact["evidence"]
            assert source[ev["start"]:ev["end"]] == ev["text"]
        for quote in data["quotes"]:
            ev = quote["evidence"]
            assert source[ev["start"]:ev["end"]] == ev["text"] == quote["text"]


def test_extract_heat_retrospective_has_mann_quotes(tmp_path):
    article = DEV / "heat-retrospective.txt"
    if not article.exists():
        pytest.skip(f"dev corpus not found at {DEV}")
    result = run("extract", str(article), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "heat-retrospective.json").read_text())
    jsonschema.validate(data, SCHEMA)
    speakers = {q["speaker"] for q in data["quotes"]}
    assert "Michael Mann" in speakers
    films = {e["name"] for e in data["entities"] if e["type"] == "film"}
    assert "Heat" in films


def test_extract_stdin_prints_json():
    text = "Sofia Coppola's Lost in Translation (2003) stars Bill Murray as Bob Harris."
    result = run("extract", "-", input=text.encode())
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, SCHEMA)
    assert any(f["p"] == "cast_member" and f["o"] == "Bill Murray" for f in data["facts"])


def test_ingest_is_idempotent_and_show_prints_card(tmp_path):
    db = tmp_path / "g.db"
    first = run("ingest", str(EXAMPLES), "--db", str(db), "--jobs", "1")
    assert first.exit_code == 0, first.output
    counts = _counts(db)
    second = run("ingest", str(EXAMPLES), "--db", str(db), "--jobs", "1")
    assert second.exit_code == 0
    assert "unchanged" in second.output
    assert _counts(db) == counts
    card = run("show", "Heat", "--year", "1995", "--db", str(db))
    assert card.exit_code == 0, card.output
    assert "Michael Mann" in card.output and "heat-at-thirty" in card.output


def _counts(db: Path) -> tuple[int, ...]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"select count(*) from {t}").fetchone()[0]
                     for t in ("documents", "entities", "mentions", "facts", "evidence", "quotes"))


# --- bad input: one clear line, non-zero exit, nothing half-written -----------------

def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Am\xe9lie is a film by Jean-Pierre Jeunet.".encode("latin-1"))
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "notes.gold.json").write_text("{}")
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"The film was long. " * (20 * 1024 * 1024 // 19 + 1))
    html = tmp_path / "empty.html"
    html.write_text("<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    return {
        "empty file": (empty, "empty"),
        "binary file": (binary, "binary"),
        "undecodable encoding": (latin, "UTF-8"),
        "folder with no articles": (folder, "no articles"),
        "20 MB file": (huge, "too large"),
        "HTML with no article body": (html, "no article body"),
        "missing path": (tmp_path / "missing.txt", "no such file"),
    }


@pytest.mark.parametrize("case", ["empty file", "binary file", "undecodable encoding", "folder with no articles",
                                  "20 MB file", "HTML with no article body", "missing path"])
def test_bad_input_is_one_line_error(tmp_path, case):
    path, fragment = _bad_inputs(tmp_path)[case]
    assert_one_line_error(run("extract", str(path), "--out", str(tmp_path / "out")), fragment)
    db = tmp_path / "store.db"
    run("ingest", str(EXAMPLES / "tenet-opening.txt"), "--db", str(db), "--jobs", "1")
    before = _counts(db)
    assert_one_line_error(run("ingest", str(path), "--db", str(db), "--jobs", "1"), fragment)
    assert _counts(db) == before


def test_show_unknown_entity_and_missing_db(tmp_path):
    assert_one_line_error(run("show", "Heat", "--db", str(tmp_path / "none.db")), "no database")
    db = tmp_path / "g.db"
    run("ingest", str(EXAMPLES / "tenet-opening.txt"), "--db", str(db), "--jobs", "1")
    assert_one_line_error(run("show", "Nonexistent Film", "--db", str(db)), "no entity")


def test_eval_on_missing_folder(tmp_path):
    assert_one_line_error(run("eval", str(tmp_path / "nope")), "not a folder")
