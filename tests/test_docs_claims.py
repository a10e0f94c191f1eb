"""What the README and the schema promise a new user: the Python snippet runs on any folder, offsets
index the text the store keeps (for HTML: the extracted main text), `make demo` uses reelgraph.db."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reelgraph import graph as graph_module
from reelgraph.pipeline import extract_documents
from reelgraph.read import read_bytes

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARTICLE = ("Lanterns at Dusk is a 2011 drama directed by Mara Quill. \"We shot it in nine days,\" Quill told "
           "a small zine. The film opened in three cinemas.\n")
HTML = ("<html><head><title>Lanterns</title></head><body><article><h1>Lanterns at Dusk</h1>"
        "<p><em>Lanterns at Dusk</em> is a 2011 drama directed by Mara Quill.</p>"
        "<p>&ldquo;We shot it in nine days,&rdquo; Quill told a small zine. The film opened in three "
        "cinemas across the north of the country, and played there for most of a long, wet autumn.</p>"
        "</article></body></html>")


def python_snippet() -> str:
    section = README[README.index("### Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_python_snippet_runs_on_a_folder_without_heat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "lanterns.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    exec(compile(python_snippet(), "README.md", "exec"), {})  # noqa: S102 - the README's own code
    assert "did you mean" in capsys.readouterr().out  # Heat is not stored: the snippet says so, no crash


def test_offsets_index_the_extracted_html_text_the_store_keeps(tmp_path: Path) -> None:
    doc = read_bytes(HTML.encode(), doc_id="lanterns", source="lanterns.html")
    extraction = next(extract_documents([doc]))
    spans = [m for e in extraction.entities for m in e.mentions] + [f.evidence for f in extraction.facts]
    spans += [q.span for q in extraction.quotes]
    assert spans and "<p>" not in doc.text
    assert all(doc.text[s.start:s.end] == s.text for s in spans)
    with graph_module.open(str(tmp_path / "offsets.db")) as g:
        g.ingest(extraction)
        stored = g.document("lanterns")
        assert stored.text == doc.text  # the store keeps the extracted text, so the offsets stay valid
        assert all(stored.text[m["start"]:m["end"]] == m["text"] for m in stored.mentions)
    schema = json.loads((ROOT / "src/reelgraph/schema/extraction.schema.json").read_text(encoding="utf-8"))
    assert "not the HTML source" in schema["description"] and "not the HTML source" in README


def test_make_demo_uses_the_database_the_readme_uses_next() -> None:
    demo = re.search(r"^demo:.*?(?=^\S)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.S | re.M).group(0)
    assert "--db reelgraph.db" in demo and "demo.db" not in demo
    assert 'reelgraph show "Heat" --year 1995 ' in README  # the next command, on the default reelgraph.db
