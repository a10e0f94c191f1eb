"""Exports: every format is checked by parsing what was written."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph as RDFGraph
from rdflib import Literal, Namespace, URIRef

from reelgraph import graph as graph_module
from reelgraph.export import (build_quickstatements, entity_iri, export_graph, load_qids, to_jsonld,
                              to_quickstatements, to_turtle)
from reelgraph.types import Extraction

from conftest import Article as Builder

HEAT, HEAT2, MANN, PACINO = "film:heat-1995", "film:heat-2", "person:michael-mann", "person:al-pacino"
HANNA, VARIETY, OSCAR = "character:vincent-hanna", "publication:variety", "award:academy-award"
ENTITIES = {HEAT: ("film", "Heat", 1995, "Heat_(1995_film)"), HEAT2: ("film", "Heat 2", None, None),
            MANN: ("person", "Michael Mann", None, None), PACINO: ("person", "Al Pacino", None, None),
            HANNA: ("character", "Vincent Hanna", None, None), VARIETY: ("publication", "Variety", None, None),
            OSCAR: ("award", "Academy Award", None, None)}

URL = "https://example.org/films/heat?part=1&view=full"
TITLE = 'Why "Heat" still holds up'
BUDGET_SENTENCE = 'Mann called the $60 million production "a story about\tprofessionals".'
TEXT_ONE = ("Heat is a 1995 crime film. It was directed by Michael Mann. Al Pacino plays the detective "
            f"Vincent Hanna. {BUDGET_SENTENCE} Pacino, an Academy Award winner in 1993, leads the cast. "
            '"We shot the whole thing on real streets," Mann told Variety.')
TEXT_TWO = "Heat 2 is the planned sequel to Heat. Michael Mann will direct Heat 2 himself."

WD = Namespace("http://www.wikidata.org/entity/")
P = Namespace("http://www.wikidata.org/prop/")
SCHEMA = Namespace("http://schema.org/")
GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")  # rdflib's XSD namespace upsets pytest's collector
QIDS = {"Heat_(1995_film)": "Q900001", MANN: "Q900002", PACINO: "Q900003"}  # made-up item ids


class Article(Builder):
    """Facts here carry the exact phrase as evidence, and documents have no hash."""

    def __init__(self, key: str, text: str, url: str | None, title: str | None):
        super().__init__(key, text, ENTITIES, title=title, url=url)
        self.doc.sha256 = ""

    def fact(self, s_id, p, o, sentence, o_id=None, **qualifiers):
        return super().fact(s_id, p, o, sentence, o_id=o_id, exact=True, **qualifiers)


def _first_article() -> Extraction:
    return (Article("heat-notes", TEXT_ONE, URL, TITLE)
            .mention(HEAT, "Heat").mention(MANN, "Michael Mann").mention(PACINO, "Al Pacino")
            .mention(HANNA, "Vincent Hanna").mention(VARIETY, "Variety").mention(OSCAR, "Academy Award")
            .fact(HEAT, "release_year", 1995, "Heat is a 1995 crime film.")
            .fact(HEAT, "director", "Michael Mann", "It was directed by Michael Mann.", o_id=MANN)
            .fact(HEAT, "cast_member", "Al Pacino", "Al Pacino plays the detective Vincent Hanna.", o_id=PACINO,
                  character="Vincent Hanna")
            .fact(HEAT, "budget", 60000000, BUDGET_SENTENCE, currency="USD")
            .fact(PACINO, "award", "Academy Award", "Pacino, an Academy Award winner in 1993, leads the cast.",
                  o_id=OSCAR, outcome="won", year=1993)
            .quote("We shot the whole thing on real streets,", "Michael Mann", MANN, "Variety")
            .build())


def _second_article() -> Extraction:
    return (Article("heat-sequel", TEXT_TWO, None, "Heat 2 plans")
            .mention(HEAT2, "Heat 2").mention(HEAT, "Heat.").mention(MANN, "Michael Mann")
            .fact(HEAT2, "sequel_of", "Heat (1995)", "Heat 2 is the planned sequel to Heat.", o_id=HEAT)
            .fact(HEAT2, "director", "Michael Mann", "Michael Mann will direct Heat 2 himself.", o_id=MANN)
            .build())


@pytest.fixture
def graph(tmp_path: Path):
    g = graph_module.open(str(tmp_path / "export.db"))
    g.ingest_many([_first_article(), _second_article()])
    yield g
    g.close()


# -- JSON-LD ----------------------------------------------------------------------------
def _by_id(doc: dict) -> dict[str, dict]:
    return {n["@id"]: n for n in doc["@graph"]}


def test_jsonld_has_schema_org_nodes_with_values(graph):
    doc = json.loads(export_graph(graph, "jsonld"))
    assert doc["@context"][0] == "https://schema.org"
    nodes = _by_id(doc)
    heat, mann, pacino = nodes[entity_iri(HEAT)], nodes[entity_iri(MANN)], nodes[entity_iri(PACINO)]
    assert (heat["@type"], heat["name"], heat["datePublished"]) == ("Movie", "Heat", "1995")
    assert heat["sameAs"] == "https://en.wikipedia.org/wiki/Heat_(1995_film)"
    assert heat["director"] == {"@id": mann["@id"]} and mann["@type"] == "Person"
    role = heat["actor"]
    assert role == {"@type": "PerformanceRole", "actor": {"@id": pacino["@id"]}, "characterName": "Vincent Hanna"}
    assert heat["rg:budget"] == {"@type": "MonetaryAmount", "value": 60000000, "currency": "USD"}
    assert pacino["award"] == "Academy Award"
    assert nodes[entity_iri(HEAT2)]["rg:sequelOf"] == {"@id": heat["@id"]}
    assert nodes[entity_iri(HEAT2)]["director"] == {"@id": mann["@id"]}

    quotes = [n for n in doc["@graph"] if n["@type"] == "Quotation"]
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote["text"] == "We shot the whole thing on real streets,"
    assert quote["creator"] == {"@id": mann["@id"]}
    assert nodes[quote["publisher"]["@id"]]["name"] == "Variety"
    article = nodes[quote["isPartOf"]["@id"]]
    assert (article["@type"], article["name"], article["url"]) == ("Article", TITLE, URL)

    statements = [n for n in doc["@graph"] if n["@type"] == "rg:Statement"]
    budget = next(s for s in statements if s["rg:predicate"] == "budget")
    assert budget["rg:subject"] == {"@id": heat["@id"]}
    [claim] = budget["rg:evidence"]
    assert claim["@type"] == "Claim" and claim["text"] == BUDGET_SENTENCE
    assert claim["appearance"] == {"@id": article["@id"]}
    assert TEXT_ONE[claim["rg:start"]:claim["rg:end"]] == BUDGET_SENTENCE


def test_jsonld_is_valid_linked_data(graph):
    """Expanded with a local copy of the vocabulary (no network), the document yields the expected triples."""
    doc = to_jsonld(graph)
    doc["@context"] = [{"@vocab": "http://schema.org/"}, doc["@context"][1]]
    rdf = RDFGraph().parse(data=json.dumps(doc), format="json-ld")
    heat = URIRef(entity_iri(HEAT))
    assert (heat, SCHEMA.name, Literal("Heat")) in rdf
    roles = list(rdf.objects(heat, SCHEMA.actor))
    assert [rdf.value(r, SCHEMA.characterName) for r in roles] == [Literal("Vincent Hanna")]
    assert rdf.value(roles[0], SCHEMA.actor) == URIRef(entity_iri(PACINO))
    claims = set(rdf.objects(None, URIRef("https://reelgraph.dev/ns#evidence")))
    assert Literal(BUDGET_SENTENCE) in {rdf.value(c, SCHEMA.text) for c in claims}


# -- Turtle -------------------------------------------------------------------------------
def test_turtle_uses_wikidata_statements_with_references(graph):
    rdf = RDFGraph().parse(data=to_turtle(graph), format="turtle")
    heat = URIRef(entity_iri(HEAT))
    cast = list(rdf.query("""
        SELECT ?actor ?role ?name WHERE {
          ?film p:P161 ?st . ?st ps:P161 ?actor ; pq:P453 ?role ; pq:P4633 ?name . }""",
                          initBindings={"film": heat}))
    assert [(a, n) for a, _, n in cast] == [(URIRef(entity_iri(PACINO)), Literal("Vincent Hanna"))]
    assert cast[0][1] == URIRef(entity_iri(HANNA))
    assert (heat, URIRef("http://www.wikidata.org/prop/direct/P57"), URIRef(entity_iri(MANN))) in rdf
    assert (heat, URIRef("http://www.wikidata.org/prop/direct/P577"), Literal("1995", datatype=GYEAR)) in rdf

    budget = list(rdf.query("""
        SELECT ?amount ?unit ?quote ?url ?title WHERE {
          ?film p:P2130 ?st . ?st ps:P2130 ?amount ; psv:P2130 [ wikibase:quantityUnit ?unit ] ;
              prov:wasDerivedFrom ?ref .
          ?ref pr:P1683 ?quote ; pr:P854 ?url ; pr:P1476 ?title . }""", initBindings={"film": heat}))
    assert len(budget) == 1
    amount, unit, quote, url, title = budget[0]
    assert float(amount) == 60000000 and unit == WD.Q4917
    assert quote == Literal(BUDGET_SENTENCE, lang="en")
    assert str(url) == URL and title == Literal(TITLE, lang="en")

    award = rdf.value(URIRef(entity_iri(PACINO)), P.P166)
    assert award is not None
    assert rdf.value(award, URIRef("http://www.wikidata.org/prop/qualifier/P585")) == Literal("1993", datatype=GYEAR)


def test_turtle_reference_without_url_keeps_title_and_quotation(graph):
    rdf = RDFGraph().parse(data=export_graph(graph, "turtle"), format="turtle")
    rows = list(rdf.query("""
        SELECT ?quote ?title (COUNT(?url) AS ?urls) WHERE {
          ?film p:P155 ?st . ?st prov:wasDerivedFrom ?ref . ?ref pr:P1683 ?quote ; pr:P1476 ?title .
          OPTIONAL { ?ref pr:P854 ?url } } GROUP BY ?quote ?title""",
                          initBindings={"film": URIRef(entity_iri(HEAT2))}))
    assert [(str(q), str(t), int(n)) for q, t, n in rows] == [("Heat 2 is the planned sequel to Heat.", "Heat 2 plans", 0)]


# -- QuickStatements ------------------------------------------------------------------------
def _qs_value(column: str) -> str:
    """Read a string or monolingual value the way QuickStatements V1 does (greedy between quotes)."""
    match = re.fullmatch(r'(?:[a-z_-]+:)?"(.*)"', column.strip())
    assert match, column
    return match.group(1).strip()


def _commands(text: str) -> list[list[str]]:
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for row in rows:
        assert row == ["CREATE"] or len(row) >= 3, row
    return rows


def _statements(rows: list[list[str]]) -> list[tuple[str, str, str, dict[str, list[str]], dict[str, str]]]:
    """(subject, property, value, qualifiers, references) for every statement command."""
    out = []
    for row in rows:
        if len(row) < 3 or not re.fullmatch(r"P\d+", row[1]):
            continue
        pairs = row[3:]
        assert len(pairs) % 2 == 0, row
        qualifiers = {k: v for k, v in zip(pairs[::2], pairs[1::2]) if k.startswith("P")}
        references = {k: v for k, v in zip(pairs[::2], pairs[1::2]) if k.startswith("S")}
        out.append((row[0], row[1], row[2], qualifiers, references))
    return out


def test_quickstatements_statements_carry_references(graph):
    text = to_quickstatements(graph, qids=QIDS)
    statements = _statements(_commands(text))
    heat = {(p, v): (q, r) for s, p, v, q, r in statements if s == "Q900001"}
    assert set(heat) == {("P577", "+1995-00-00T00:00:00Z/9"), ("P57", "Q900002"), ("P161", "Q900003"),
                         ("P2130", "60000000U4917")}
    assert heat[("P161", "Q900003")][0] == {"P4633": '"Vincent Hanna"'}
    for subject, prop, value, _, refs in statements:
        if (prop, value) == ("P31", "Q11424"):  # the class of a created item: no article states it
            continue
        assert {"S1476", "S1683"} <= set(refs), (subject, prop)
        if subject == "Q900001":
            assert _qs_value(refs["S854"]) == URL
            assert _qs_value(refs["S1476"]) == TITLE  # inner double quotes survive QuickStatements' reading
            assert refs["S1476"].startswith('en:"')
    budget_refs = heat[("P2130", "60000000U4917")][1]
    assert _qs_value(budget_refs["S1683"]) == BUDGET_SENTENCE.replace("\t", " ")  # a tab would split the columns


def test_quickstatements_creates_unknown_films_and_reports_missing_items(graph):
    text = to_quickstatements(graph, qids=QIDS)
    lines = text.splitlines()
    at = lines.index("CREATE")
    assert lines[at + 1:at + 4] == ['LAST\tLen\t"Heat 2"', 'LAST\tDen\t"film"', "LAST\tP31\tQ11424"]
    created = {(p, v) for s, p, v, _, _ in _statements(_commands(text)) if s == "LAST"}
    assert created == {("P31", "Q11424"), ("P155", "Q900001"), ("P57", "Q900002")}
    assert not [line for line in lines if "\tP166\t" in line]  # the award has no QID: reported, not written
    assert sum(line.startswith("#") for line in lines) <= 2  # a summary, not commented-out statements
    found = build_quickstatements(graph, qids=QIDS)
    assert found.waiting[OSCAR].statements == 1 and found.created == 1


def test_quickstatements_without_a_map_creates_nothing_that_exists(graph):
    found = build_quickstatements(graph)  # Heat has a catalog key: an item to map, not to create again
    assert _commands(found.text()) == []  # and Heat 2 is not created: none of its statements could be written
    assert "CREATE" not in found.text() and len(found.text().splitlines()) == 2
    waiting = {w.key: w for w in found.waiting.values()}
    assert waiting[HEAT].catalog_key == "Heat_(1995_film)" and waiting[HEAT].statements == 5  # 4 + the sequel
    assert {HEAT, HEAT2, MANN, PACINO} <= set(waiting)
    report = found.report()
    assert "0 statements written" in report and f"{HEAT}\tHeat\tfilm\t5 statements\tcatalog key Heat_(1995_film)" in report
    assert report.splitlines()[2].strip().startswith(HEAT)  # the item that unlocks most statements comes first


def test_cli_quickstatements_with_a_qid_file(graph, tmp_path: Path):
    from typer.testing import CliRunner

    from reelgraph.cli import app

    qid_file = tmp_path / "qids.tsv"
    qid_file.write_text("# key\tQID\n" + "".join(f"{k}\t{v}\n" for k, v in QIDS.items()), encoding="utf-8")
    out, report = tmp_path / "graph.qs", tmp_path / "report.txt"
    db = str(tmp_path / "export.db")
    result = CliRunner().invoke(app, ["export", "quickstatements", "--db", db, "--qids", str(qid_file),
                                      "--out", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    subjects = {s for s, *_ in _statements(_commands(out.read_text(encoding="utf-8")))}
    assert subjects == {"Q900001", "LAST"}  # live statements for the mapped items (Pacino's award waits)
    assert OSCAR in report.read_text(encoding="utf-8")
    assert load_qids(qid_file) == QIDS
    bad = tmp_path / "bad.tsv"
    bad.write_text("Heat_(1995_film)\theat\n", encoding="utf-8")
    failed = CliRunner().invoke(app, ["export", "qs", "--db", db, "--qids", str(bad)])
    assert failed.exit_code == 1 and "not a Wikidata item id" in failed.output


def test_quickstatements_character_item_and_no_create(graph):
    text = to_quickstatements(graph, qids={**QIDS, HANNA: "Q900004"}, create=False)
    rows = _statements(_commands(text))
    assert "CREATE" not in text and {s for s, *_ in rows} == {"Q900001"}
    [cast] = [q for s, p, v, q, _ in rows if p == "P161"]
    assert cast == {"P453": "Q900004"}


def test_quickstatements_holds_back_contested_facts(graph):
    other = "Heat came out in 1996 according to this page."
    article = Article("heat-wrong", other, "https://example.org/other", "Another page").mention(HEAT, "Heat")
    graph.ingest(article.fact(HEAT, "release_year", 1996, other).build())
    found = build_quickstatements(graph, qids=QIDS)
    assert not [s for s in _statements(_commands(found.text())) if s[1] == "P577"]
    assert found.held["contested by another document"] == 2
    assert "held back, contested by another document: 2 statements" in found.report()
    rdf = RDFGraph().parse(data=to_turtle(graph), format="turtle")
    flagged = set(rdf.subjects(URIRef("https://reelgraph.dev/ns#contested"), Literal(True)))
    assert len(flagged) == 2


def test_quickstatements_rejects_bad_qids(graph):
    with pytest.raises(ValueError, match="not a Wikidata item id"):
        to_quickstatements(graph, qids={HEAT: "heat"})


# -- entry points ---------------------------------------------------------------------------
def test_unknown_format_is_rejected(graph):
    with pytest.raises(ValueError, match=r"^unknown export format 'csv': choose jsonld, turtle or quickstatements$"):
        export_graph(graph, "csv")


def test_cli_writes_the_export(graph, tmp_path: Path):
    from typer.testing import CliRunner

    from reelgraph.cli import app

    out = tmp_path / "graph.ttl"
    db = str(tmp_path / "export.db")
    result = CliRunner().invoke(app, ["export", "turtle", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rdf = RDFGraph().parse(out, format="turtle")
    assert (URIRef(entity_iri(HEAT)), URIRef("http://www.wikidata.org/prop/direct/P57"),
            URIRef(entity_iri(MANN))) in rdf
