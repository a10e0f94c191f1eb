"""Forgiving search: misspellings, surnames, mention texts, "did you mean", and quote speakers,
through Graph, the JSON API, the search page and `reelgraph show`."""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgraph import graph as graph_module
from reelgraph.cli import app
from reelgraph.name_index import NameIndex
from reelgraph.types import Document, Entity, Extraction, Fact, Quote
from reelgraph.views import EntitySummary

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

GUMP, LOTR = "film:forrest-gump", "film:the-road-north"
MORTENSEN, MANN, ZEMECKIS = "person:viggo-mortensen", "person:michael-mann", "person:robert-zemeckis"
TEXT = ("Forrest Gump was directed by Robert Zemeckis. Viggo Mortensen walked The Road North. "
        "\"Every shot had to breathe,\" Mann told a small magazine. Mortensen agreed with him.")


def _span(doc: Document, phrase: str, nth: int = 0):
    at = -1
    for _ in range(nth + 1):
        at = doc.text.index(phrase, at + 1)
    return doc.span(at, at + len(phrase))


def article() -> Extraction:
    doc = Document("search-note", TEXT, TEXT, source="test", title="A note",
                   sha256=hashlib.sha256(TEXT.encode()).hexdigest())
    people = [Entity(GUMP, "film", "Forrest Gump", 1994, [_span(doc, "Forrest Gump")]),
              Entity(LOTR, "film", "The Road North", None, [_span(doc, "The Road North")]),
              Entity(ZEMECKIS, "person", "Robert Zemeckis", None, [_span(doc, "Robert Zemeckis")]),
              Entity(MORTENSEN, "person", "Viggo Mortensen", None,
                     [_span(doc, "Viggo Mortensen"), _span(doc, "Mortensen", 1)]),
              Entity(MANN, "person", "Michael Mann", None, [_span(doc, "Mann")])]
    facts = [Fact("Forrest Gump (1994)", "director", "Robert Zemeckis", _span(doc, TEXT.split(". ")[0]),
                  s_id=GUMP, o_id=ZEMECKIS)]
    quotes = [Quote("Every shot had to breathe,", _span(doc, "Every shot had to breathe,"), speaker="Michael Mann",
                    speaker_id=MANN, cue=_span(doc, "Mann told"))]
    return Extraction(doc, people, facts, quotes)


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "search.db")
    with graph_module.open(path) as g:
        g.ingest(article())
    return path


@pytest.fixture
def g(db: str):
    with graph_module.open(db) as opened:
        yield opened


def test_misspellings_find_the_entity(g) -> None:
    assert [e.id for e in g.search("Forest Gump")][:1] == [GUMP]
    assert [e.id for e in g.search("Vigo Mortensen")][:1] == [MORTENSEN]
    assert g.search("forrest gump (1994)")[0].id == GUMP
    assert g.search("Forest Gump (1990)") == []  # a year in the label still restricts


def test_a_surname_or_mention_text_finds_the_person(g) -> None:
    assert [e.id for e in g.search("Mortensen")] == [MORTENSEN]
    assert [e.id for e in g.search("Zemeckis", type="person")] == [ZEMECKIS]
    mann = g.search("mann")[0]
    assert (mann.id, mann.matched) == (MANN, "Mann")  # "Mann" is how the article named him
    assert [e.id for e in g.search("Mortenson")] == [MORTENSEN]  # a misspelt surname


def test_no_hit_gives_suggestions(g) -> None:
    assert g.search("Forist Gumpp Junior") == []
    assert GUMP in [e.id for e in g.suggest("Forist Gumpp Junior")]
    assert g.suggest("qqqqqqqqqqqq") == []


def test_quotes_by_surname_or_misspelling_and_which_name_matched(g) -> None:
    assert [q.speaker_id for q in g.quotes(speaker="Mann")] == [MANN]
    assert [q.speaker_id for q in g.quotes(speaker="Micheal Mann")] == [MANN]
    assert [e.name for e in g.speakers("Mann")] == ["Michael Mann"]
    assert g.quotes(speaker="Mortensen") == []  # he is in the index but said nothing


def test_name_index_tiers() -> None:
    entries = [EntitySummary("a", "film", "Heat", 1995, None, 3, 2), EntitySummary("b", "film", "Heat Wave", None, None, 9, 1),
               EntitySummary("c", "film", "Cold Heat", None, None, 1, 1), EntitySummary("d", "film", "Wheat", None, None, 0, 1)]
    found = NameIndex(entries, []).search("heat")
    assert [(m.entry.id, m.tier) for m in found] == [("a", 0), ("b", 1), ("c", 2), ("d", 3)]
    with pytest.raises(ValueError, match="empty"):
        NameIndex(entries, []).search("  ")


def test_api_and_page_forgive_misspellings(db: str) -> None:
    from reelgraph.serve import create_app

    with TestClient(create_app(db, cache=False)) as client:
        found = client.get("/api/entities", params={"q": "Forest Gump"}).json()
        assert found["items"][0]["id"] == GUMP and found["items"][0]["matched"] == "Forrest Gump"
        nothing = client.get("/api/entities", params={"q": "Forist Gumpp Junior"}).json()
        assert nothing["items"] == [] and GUMP in [s["id"] for s in nothing["suggestions"]]
        page = client.get("/search", params={"q": "Forist Gumpp Junior"}).text
        assert "Did you mean" in page and 'href="/entity/film:forrest-gump"' in page and "<ol" not in page
        quotes = client.get("/api/quotes", params={"speaker": "Mann"}).json()
        assert [q["speaker_id"] for q in quotes["items"]] == [MANN]
        assert quotes["speakers"] == [{"id": MANN, "name": "Michael Mann", "matched": "Mann"}]


def test_show_finds_the_closest_name(db: str) -> None:
    result = CliRunner().invoke(app, ["show", "Forest Gump", "--db", db])
    assert result.exit_code == 0, result.output
    assert "Forrest Gump" in result.output and "Robert Zemeckis" in result.output
    missing = CliRunner().invoke(app, ["show", "Forist Gumpp Junior", "--db", db])
    assert missing.exit_code == 1 and "did you mean" in missing.output and "Forrest Gump" in missing.output
