"""The query API over hand-built extractions, on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest

from reelgraph import graph as graph_module
from reelgraph.types import Extraction

from conftest import Article as Builder

HEAT, HEAT2, COLLATERAL = "film:heat-1995", "film:heat-2", "film:collateral-2004"
COLD_HEAT = "film:cold-heat"
MANN, PACINO, CRUISE = "person:michael-mann", "person:al-pacino", "person:tom-cruise"

NAMES = {HEAT: ("film", "Heat", 1995), HEAT2: ("film", "Heat 2", None), COLLATERAL: ("film", "Collateral", 2004),
         COLD_HEAT: ("film", "Cold Heat", None), MANN: ("person", "Michael Mann", None),
         PACINO: ("person", "Al Pacino", None), CRUISE: ("person", "Tom Cruise", None),
         "person:mann": ("person", "Mann", None), "person:manning": ("person", "Manning", None)}


def Article(key: str, text: str, source: str = "test") -> Builder:
    return Builder(key, text, NAMES, source=source)



def corpus() -> list[Extraction]:
    a = (Article("heat-review", "Heat is a crime film directed by Michael Mann. Al Pacino plays the detective. "
                 "\"I wanted the city itself to be a character,\" Mann told Variety. Heat 2 is a novel sequel.")
         .mention(HEAT, "Heat is").mention(MANN, "Michael Mann").mention(PACINO, "Al Pacino")
         .mention(HEAT2, "Heat 2")
         .fact(HEAT, "director", "Michael Mann", "directed by", o_id=MANN)
         .fact(HEAT, "cast_member", "Al Pacino", "Al Pacino", o_id=PACINO, character=None)
         .fact(HEAT2, "sequel_of", "Heat (1995)", "novel sequel", o_id=HEAT)
         .quote("I wanted the city itself to be a character,", "Michael Mann", MANN, outlet="Variety"))
    b = (Article("mann-profile", "Michael Mann directed Collateral with Tom Cruise. Heat came first in his career. "
                 "\"The film is a mood piece about a long night in the city,\" a critic wrote.")
         .mention(MANN, "Michael Mann").mention(COLLATERAL, "Collateral").mention(CRUISE, "Tom Cruise")
         .mention(HEAT, "Heat came")
         .fact(COLLATERAL, "director", "Michael Mann", "directed Collateral", o_id=MANN)
         .fact(COLLATERAL, "cast_member", "Tom Cruise", "Tom Cruise", o_id=CRUISE)
         .fact(HEAT, "director", "Michael Mann", "Heat came", o_id=MANN)
         .quote("The film is a mood piece about a long night in the city,", None, None))
    c = (Article("cold", "Cold Heat is an unrelated thriller with no known director.").mention(COLD_HEAT, "Cold Heat"))
    return [a.build(), b.build(), c.build()]


@pytest.fixture
def g(db_url: str):
    opened = graph_module.open(db_url)
    for extraction in corpus():
        assert opened.ingest(extraction).status == "added"
    yield opened
    opened.close()


@pytest.fixture
def empty(db_url: str):
    opened = graph_module.open(db_url)
    yield opened
    opened.close()


def test_search_ranks_exact_then_prefix_then_substring(g):
    assert [e.name for e in g.search("heat")] == ["Heat", "Heat 2", "Cold Heat"]
    assert [e.name for e in g.search("HEAT", limit=1, offset=1)] == ["Heat 2"]
    top = g.search("heat")[0]
    assert (top.id, top.type, top.year, top.facts, top.documents) == (HEAT, "film", 1995, 3, 2)


def test_search_rank_beats_number_of_facts(empty):
    text = "Mann met Manning. Michael Mann directed Heat and Collateral, and Manning produced Heat."
    empty.ingest(Article("names", text).mention("person:mann", "Mann met").mention("person:manning", "Manning")
                 .mention(MANN, "Michael Mann").mention(HEAT, "Heat").mention(COLLATERAL, "Collateral")
                 .fact(HEAT, "director", "Michael Mann", "directed", o_id=MANN)
                 .fact(COLLATERAL, "director", "Michael Mann", "directed", o_id=MANN)
                 .fact(HEAT, "producer", "Manning", "produced", o_id="person:manning").build())
    found = empty.search("mann")
    assert [(p.name, p.facts) for p in found] == [("Mann", 0), ("Manning", 1), ("Michael Mann", 2)]


def test_search_ties_are_ordered_by_number_of_facts(g):
    people = g.search("n", type="person")  # substring of both; Mann has more facts than Pacino
    assert [p.id for p in people] == [MANN, PACINO]
    assert g.search("Heat (1995)")[0].id == HEAT
    assert g.search("zzz") == []
    with pytest.raises(ValueError, match="empty"):
        g.search("  ")


def test_entity_card_for_a_film(g):
    card = g.entity("heat", year=1995)
    assert card is not None and card.id == HEAT
    director = next(f for f in card.facts if f.p == "director")
    assert director.corroboration == 2
    assert {e.document.doc_key for e in director.evidence} == {"heat-review", "mann-profile"}
    assert {e.text for e in director.evidence} == {"Heat is a crime film directed by Michael Mann.",
                                                   "Heat came first in his career."}
    sequel = next(f for f in card.facts if f.p == "sequel_of")  # Heat as the object
    assert sequel.s_id == HEAT2 and sequel in card.object_facts() and sequel not in card.subject_facts()
    assert card.quotes_by == []
    assert {q.text for q in card.quotes_about} == {"I wanted the city itself to be a character,",
                                                   "The film is a mood piece about a long night in the city,"}
    assert [d.doc_key for d in card.documents] == ["heat-review", "mann-profile"]
    plain = json.loads(json.dumps(card.to_dict()))
    assert {f["role"] for f in plain["facts"]} == {"subject", "object"}
    assert plain["facts"][0]["evidence"][0]["document"]["doc_key"] in {"heat-review", "mann-profile"}


def test_entity_card_for_a_person_shows_roles_and_quotes(g):
    card = g.entity("Michael Mann")
    assert card is not None and card.type == "person"
    assert {(f.s_id, f.p) for f in card.object_facts()} == {(HEAT, "director"), (COLLATERAL, "director")}
    assert [q.text for q in card.quotes_by] == ["I wanted the city itself to be a character,"]
    assert card.quotes_by[0].outlet == "Variety"
    assert all(q.speaker_id != MANN for q in card.quotes_about)
    assert [q.speaker for q in card.quotes_about] == [None]


def test_entity_lookup_by_id_label_and_folding(g):
    assert g.entity(PACINO).name == "Al Pacino"
    assert g.entity("Heat (1995)").id == HEAT
    assert g.entity("the collateral").id == COLLATERAL  # folded match drops the article
    assert g.entity("Heat", year=2001) is None
    assert g.entity("Heat", type="person") is None
    assert g.entity("No Such Film") is None


def test_facts_filters(g):
    assert {f.s_id for f in g.facts(p="director")} == {HEAT, COLLATERAL}
    assert [f.o for f in g.facts(s="Collateral (2004)", p="cast_member")] == ["Tom Cruise"]
    assert {f.s_id for f in g.facts(o="michael mann")} == {HEAT, COLLATERAL}
    assert len(g.facts(limit=2)) == 2 and len(g.facts(offset=4)) == 1
    with pytest.raises(ValueError, match="limit"):
        g.facts(limit=0)


def test_quotes_filters(g):
    assert [q.speaker_id for q in g.quotes(speaker="michael mann")] == [MANN]
    assert [q.speaker for q in g.quotes(speaker=MANN)] == ["Michael Mann"]
    assert [q.document.doc_key for q in g.quotes(film="Collateral")] == ["mann-profile"]
    assert len(g.quotes(film="Heat")) == 2  # both documents mention Heat
    assert [q.outlet for q in g.quotes(outlet="variety")] == ["Variety"]
    assert g.quotes(film="No Such Film") == []
    assert g.quotes(film="Michael Mann") == []  # a person is not a film


def test_document_view_has_spans_to_highlight(g):
    view = g.document("heat-review")
    assert view is not None and view.title == "About heat-review"
    assert all(view.text[m["start"]:m["end"]] == m["text"] for m in view.mentions)
    assert {m["entity_id"] for m in view.mentions} == {HEAT, HEAT2, MANN, PACINO}
    assert {f.p for f in view.facts} == {"director", "cast_member", "sequel_of"}
    for fact in view.facts:
        mine = [e for e in fact.evidence if e.document.id == view.id]
        assert len(mine) == 1 and view.text[mine[0].start:mine[0].end] == mine[0].text
    assert [view.text[q.start:q.end] for q in view.quotes] == [q.text for q in view.quotes]
    assert g.document(view.id).doc_key == "heat-review"
    assert g.document(str(view.id)).doc_key == "heat-review"
    assert g.document("missing") is None
    json.dumps(view.to_dict())


def test_documents_list_counts(g):
    listed = {d.doc_key: d for d in g.documents()}
    assert set(listed) == {"heat-review", "mann-profile", "cold"}
    assert (listed["heat-review"].entities, listed["heat-review"].facts, listed["heat-review"].quotes) == (4, 3, 1)
    assert (listed["cold"].facts, listed["cold"].quotes) == (0, 0)
    assert len(g.documents(limit=1)) == 1


def test_neighbourhood(g):
    one = g.neighbourhood(HEAT)
    assert {n["id"] for n in one["nodes"]} == {HEAT, MANN, PACINO, HEAT2}
    assert {(e["source"], e["p"], e["target"]) for e in one["edges"]} == {
        (HEAT, "director", MANN), (HEAT, "cast_member", PACINO), (HEAT2, "sequel_of", HEAT)}
    assert next(e for e in one["edges"] if e["p"] == "director")["corroboration"] == 2
    two = g.neighbourhood(HEAT, depth=2)
    assert {COLLATERAL} <= {n["id"] for n in two["nodes"]}
    assert CRUISE not in {n["id"] for n in two["nodes"]}  # three hops away
    assert next(n for n in two["nodes"] if n["id"] == COLLATERAL)["depth"] == 2
    assert g.neighbourhood("Heat (1995)", depth=0) == {"nodes": [
        {"id": HEAT, "type": "film", "name": "Heat", "year": 1995, "depth": 0}], "edges": []}
    with pytest.raises(LookupError):
        g.neighbourhood("film:nothing")
    with pytest.raises(ValueError, match="depth"):
        g.neighbourhood(HEAT, depth=9)


# -- contradictions ---------------------------------------------------------------------
def budget_article(key: str, amount: int) -> Extraction:
    return (Article(key, f"Heat cost ${amount:,} to make, according to {key}.").mention(HEAT, "Heat")
            .fact(HEAT, "budget", amount, "cost", currency="USD").build())


def test_budgets_ten_percent_apart_are_flagged_with_both_sources(empty):
    empty.ingest(budget_article("first", 60_000_000))
    empty.ingest(budget_article("second", 66_000_000))
    found = empty.contradictions()
    assert len(found) == 1
    c = found[0]
    assert (c.subject_id, c.predicate) == (HEAT, "budget")
    by_value = {v.value: v for v in c.values}
    assert set(by_value) == {"60000000", "66000000"}
    assert [e.document.doc_key for e in by_value["66000000"].evidence] == ["second"]
    assert by_value["60000000"].evidence[0].text == "Heat cost $60,000,000 to make, according to first."
    assert empty.entity("Heat").contradictions == found
    json.dumps([x.to_dict() for x in found])


def test_budgets_one_percent_apart_agree(empty):
    empty.ingest(budget_article("first", 60_000_000))
    empty.ingest(budget_article("second", 60_600_000))
    assert empty.contradictions() == []


def test_release_years_that_differ_are_flagged(empty):
    for key, year in (("first", 1995), ("second", 1996), ("third", 1995)):
        empty.ingest(Article(key, f"Heat came out in {year}, says {key}.").mention(HEAT, "Heat")
                     .fact(HEAT, "release_year", year, "came out").build())
    (c,) = empty.contradictions()
    assert c.predicate == "release_year"
    assert {v.value: len(v.evidence) for v in c.values} == {"1995": 2, "1996": 1}
    assert empty.contradictions(subject="Collateral") == []
    assert len(empty.contradictions(subject="Heat")) == 1


def test_box_office_is_compared_within_one_scope(empty):
    for key, amount, scope in (("first", 20_000_000, "opening weekend"), ("second", 180_000_000, "worldwide")):
        empty.ingest(Article(key, f"Heat made ${amount:,} ({scope}).").mention(HEAT, "Heat")
                     .fact(HEAT, "box_office", amount, "made", currency="USD", scope=scope).build())
    assert empty.contradictions() == []


def director_article(key: str, *people: str) -> Extraction:
    names = {MANN: "Michael Mann", CRUISE: "Tom Cruise"}
    art = Article(key, "Heat was directed by " + " and ".join(names[p] for p in people) + ".").mention(HEAT, "Heat")
    for p in people:
        art.fact(HEAT, "director", names[p], "directed", o_id=p)
    return art.build()


def test_directors_from_different_documents_are_flagged(empty):
    empty.ingest(director_article("first", MANN))
    empty.ingest(director_article("second", CRUISE))
    (c,) = empty.contradictions()
    assert c.predicate == "director" and {v.o_id for v in c.values} == {MANN, CRUISE}
    assert {v.evidence[0].document.doc_key for v in c.values} == {"first", "second"}


def test_co_directors_are_not_flagged(empty):
    empty.ingest(director_article("both", MANN, CRUISE))  # one document names both
    assert empty.contradictions() == []
    empty.ingest(director_article("first", MANN))
    empty.ingest(director_article("second", CRUISE))
    assert empty.contradictions() == []  # "both" says they co-directed
