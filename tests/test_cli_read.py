"""The read-side commands at their edges: `facts`, `show`, `serve` and their errors."""
from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgraph import graph as graph_module
from reelgraph.cli import app
from reelgraph.types import Document, Entity, Extraction, Fact

FILM, PERSON = "film:[bold]-night", "person:ada-vance"
TEXT = ("[bold red]Night Train[/] was directed by Ada Vance, who spent three long winters on a set built in an old "
        "rail depot outside the city, rebuilding every carriage by hand before a single frame was shot.")


def article() -> Extraction:
    doc = Document("markup-note", TEXT, TEXT, source="test", title="A note",
                   sha256=hashlib.sha256(TEXT.encode()).hexdigest())
    start = TEXT.index("Ada Vance")
    people = [Entity(FILM, "film", "[bold]Night Train[/bold]", 2001, [doc.span(0, 22)]),
              Entity(PERSON, "person", "Ada Vance", None, [doc.span(start, start + 9)])]
    facts = [Fact("[bold]Night Train[/bold] (2001)", "director", "Ada Vance", doc.span(0, len(TEXT)),
                  s_id=FILM, o_id=PERSON)]
    return Extraction(doc, people, facts, [])


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.db")
    with graph_module.open(path) as g:
        g.ingest(article())
    return path


def run(*args: str, columns: int = 60):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})


def one_line_error(result, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], result.output
    assert "Traceback" not in result.output


def test_facts_prints_markup_as_text_and_fits_the_width(db: str) -> None:
    result = run("facts", "--db", db, columns=60)
    assert result.exit_code == 0, result.output
    assert "[bold]Night Train[/bold] (2001) · director · Ada Vance (1 doc)" in result.output
    evidence = result.output.splitlines()[1]
    assert "[bold red]Night Train[/]" in evidence and evidence.endswith("…") and len(evidence) <= 60
    wide = run("facts", "--db", db, columns=300).output.splitlines()[1]
    assert wide.endswith("frame was shot.")  # nothing cut when the terminal is wide enough


def test_facts_rejects_unknown_predicate_and_status(db: str) -> None:
    one_line_error(run("facts", "--p", "directr", "--db", db), "unknown predicate 'directr' (did you mean director?)")
    one_line_error(run("facts", "--status", "rumored", "--db", db), "unknown status 'rumored'")
    assert run("facts", "--status", "stated", "--db", db).exit_code == 0


def test_show_prints_markup_as_text_and_rejects_unknown_type(db: str) -> None:
    result = run("show", FILM, "--db", db, columns=70)
    assert result.exit_code == 0, result.output
    assert "[bold]Night Train[/bold] (2001)" in result.output and "[bold red]Night Train[/]" in result.output
    assert all(len(line) <= 70 for line in result.output.splitlines())
    assert "[1 doc]" in result.output
    one_line_error(run("show", "Ada Vance", "--type", "persn", "--db", db), "unknown type 'persn'")
    assert "Ada Vance" in run("show", "Vance", "--type", "person", "--db", db).output


def test_serve_rejects_a_bad_port_in_one_line(db: str) -> None:
    result = run("serve", "--db", db, "--port", "99999")
    one_line_error(result, "--port must be between 1 and 65535")
    assert "explorer on" not in result.output


def test_serve_reports_a_port_in_use_before_any_banner(db: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run("serve", "--db", db, "--port", str(port))
    one_line_error(result, f"cannot listen on 127.0.0.1:{port}: address already in use")
    assert "explorer on" not in result.output


def test_serve_no_cache_is_a_real_option(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from reelgraph.serve import ResponseCache

    served = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: served.append(self.config.app))
    for flag, cached in ((["--no-cache"], False), ([], True)):
        with socket.socket() as probe:  # a port that is free now
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        result = run("serve", "--db", db, "--port", str(port), *flag)
        assert result.exit_code == 0, result.output
        assert f"explorer on http://127.0.0.1:{port}/" in result.output
        assert any(m.cls is ResponseCache for m in served[-1].user_middleware) is cached
