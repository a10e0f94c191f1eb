"""The store: one write path, one transaction per document, the same behaviour on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import func, select

from reelgraph import store as store_module
from reelgraph import store_write as write_module
from reelgraph.store import connect, documents, entities, evidence, facts, quotes
from reelgraph.types import Document, Entity, Extraction, Fact, Quote

HEAT = "film:heat-1995"
MANN = "person:michael-mann"
PACINO = "person:al-pacino"


def _sentence(text: str, phrase: str) -> tuple[int, int]:
    """The sentence (up to and including its full stop) that contains `phrase`."""
    at = text.index(phrase)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.find(".", at + len(phrase))
    return start, (len(text) if end < 0 else end + 1)


def article(key: str, text: str, *, source: str = "test", budget: int | None = None, director: bool = True,
            cast: bool = False, quote: str | None = None, heat_name: str = "Heat", heat_year: int | None = 1995,
            catalog_key: str | None = None) -> Extraction:
    """An extraction written by hand: Heat, Michael Mann and whatever the flags ask for."""
    doc = Document(key, text, text, source=source, title=f"Title of {key}",
                   sha256=hashlib.sha256(text.encode()).hexdigest())

    def span(phrase: str):
        i = text.index(phrase)
        return doc.span(i, i + len(phrase))

    ents = [Entity(HEAT, "film", heat_name, heat_year, [span("Heat")], catalog_key=catalog_key)]
    found: list[Fact] = []
    if director:
        ents.append(Entity(MANN, "person", "Michael Mann", None, [span("Mann")]))
        found.append(Fact("Heat (1995)", "director", "Michael Mann", doc.span(*_sentence(text, "Mann")),
                          s_id=HEAT, o_id=MANN, confidence=0.9))
    if budget is not None:
        found.append(Fact("Heat (1995)", "budget", budget, doc.span(*_sentence(text, "$")),
                          qualifiers={"currency": "USD"}, s_id=HEAT))
    if cast:
        ents.append(Entity(PACINO, "person", "Al Pacino", None, [span("Pacino")]))
        found.append(Fact("Heat (1995)", "cast_member", "Al Pacino", doc.span(*_sentence(text, "Pacino")),
                          qualifiers={"character": "Vincent Hanna"}, s_id=HEAT, o_id=PACINO))
    said = []
    if quote:
        said.append(Quote(quote, span(quote), speaker="Michael Mann", speaker_id=MANN, outlet=None,
                          cue=span("he said")))
    return Extraction(doc, ents, found, said)


TEXT_A = ("Heat is a crime film directed by Michael Mann. The production cost $60 million. "
          "Al Pacino plays the detective. \"I wanted a city at night,\" he said.")
TEXT_B = "Michael Mann made Heat for a studio that spent $60 million on it."


@pytest.fixture
def store(db_url: str):
    opened = connect(db_url)
    yield opened
    opened.close()


def count(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def all_counts(store) -> dict[str, int]:
    return store.counts()


def test_ingest_writes_every_table(store):
    result = store.ingest(article("a", TEXT_A, budget=60_000_000, cast=True, quote="I wanted a city at night,"))
    assert result.status == "added" and result.facts == 3 and result.quotes == 1 and result.entities == 3
    assert all_counts(store) == {"documents": 1, "document_paths": 1, "entities": 3, "mentions": 3, "facts": 3,
                                 "evidence": 3, "quotes": 1}
    with store.engine.connect() as conn:
        budget = conn.execute(select(facts).where(facts.c.p == "budget")).one()
        assert budget.o == "60000000" and budget.o_num == 60_000_000.0 and budget.s_id == HEAT
        assert json.loads(budget.qualifiers) == {"currency": "USD"}
        cast = conn.execute(select(facts).where(facts.c.p == "cast_member")).one()
        assert json.loads(cast.qualifiers)["character"] == "Vincent Hanna"
        ev = conn.execute(select(evidence).where(evidence.c.fact_id == budget.id)).one()
        assert ev.text == "The production cost $60 million." == TEXT_A[ev.start:ev.end]
        doc = conn.execute(select(documents)).one()
        assert (doc.doc_key, doc.source, doc.text) == ("a", "test", TEXT_A)
        q = conn.execute(select(quotes)).one()
        assert TEXT_A[q.start:q.end] == q.text and q.cue_text == "he said" and q.speaker_id == MANN


def test_same_content_again_changes_nothing(store):
    extraction = article("a", TEXT_A, budget=60_000_000)
    first = store.ingest(extraction)
    before = all_counts(store)
    again = store.ingest(extraction)
    assert again.status == "unchanged" and again.document_id == first.document_id
    assert all_counts(store) == before
    assert store.has_document(extraction.doc.sha256)
    assert not store.has_document("0" * 64)
    assert store.document_shas() == {extraction.doc.sha256}


def test_missing_sha_is_computed_from_text(store):
    extraction = article("a", TEXT_A)
    extraction.doc.sha256 = ""
    result = store.ingest(extraction)
    assert result.sha256 == hashlib.sha256(TEXT_A.encode()).hexdigest()
    assert store.ingest(extraction).status == "unchanged"


def test_changed_content_replaces_the_old_rows(store):
    store.ingest(article("b", TEXT_B, budget=60_000_000))  # another document supports the budget
    old = store.ingest(article("a", TEXT_A, budget=60_000_000, cast=True, quote="I wanted a city at night,"))
    new_text = "Heat was directed by Michael Mann and nothing else is said here."
    new = store.ingest(article("a", new_text))
    assert new.status == "replaced" and new.document_id != old.document_id
    with store.engine.connect() as conn:
        assert set(conn.execute(select(documents.c.doc_key)).scalars()) == {"a", "b"}
        assert conn.execute(select(documents.c.id).where(documents.c.id == old.document_id)).first() is None
        assert sorted(conn.execute(select(facts.c.p)).scalars()) == ["budget", "director"]  # cast fact gone
        rows = conn.execute(select(documents.c.doc_key).select_from(documents).join(evidence).join(facts)
                            .where(facts.c.p == "budget"))
        assert [r.doc_key for r in rows] == ["b"]
        director_text = conn.execute(select(evidence.c.text).select_from(evidence).join(facts).join(documents)
                                     .where(facts.c.p == "director", documents.c.doc_key == "a")).scalar_one()
        assert director_text == new_text
        assert conn.execute(select(func.count()).select_from(quotes)).scalar_one() == 0
        assert PACINO not in set(conn.execute(select(entities.c.id)).scalars())  # nothing refers to him now


def test_failure_mid_write_leaves_no_rows(store, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(write_module, "_write_quotes", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.ingest(article("a", TEXT_A, budget=60_000_000, cast=True, quote="I wanted a city at night,"))
    assert all(n == 0 for n in all_counts(store).values()), all_counts(store)


def test_failed_replacement_keeps_the_old_document(store, monkeypatch):
    store.ingest(article("a", TEXT_A, budget=60_000_000, cast=True))
    before = all_counts(store)
    monkeypatch.setattr(write_module, "_write_facts", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom"):
        store.ingest(article("a", "Heat by Michael Mann, a second version of the text."))
    assert all_counts(store) == before
    with store.engine.connect() as conn:
        assert conn.execute(select(documents.c.text)).scalar_one() == TEXT_A


def test_span_outside_text_is_rejected_before_writing(store):
    bad = article("a", TEXT_A)
    bad.facts[0].evidence = type(bad.facts[0].evidence)(10, len(TEXT_A) + 5, "x")
    with pytest.raises(ValueError, match="outside the text"):
        store.ingest(bad)
    assert all_counts(store)["documents"] == 0


def test_ingest_many_commits_one_transaction_per_document(store, monkeypatch):
    batch = [article(f"doc{i}", f"Heat number {i} was directed by Michael Mann.") for i in range(5)]
    opened = []
    real_write = store_module.Store._write
    monkeypatch.setattr(store_module.Store, "_write", lambda self: opened.append(1) or real_write(self))
    results = store.ingest_many(batch, batch_size=2)
    assert [r.status for r in results] == ["added"] * 5
    assert len(opened) == 5
    assert all_counts(store)["documents"] == 5 and all_counts(store)["facts"] == 1
    assert all_counts(store)["evidence"] == 5


def test_failing_document_is_rolled_back_alone(store, monkeypatch):
    real = write_module._write_quotes

    def fail_on_doc3(conn, doc_id, extraction):
        if extraction.doc.id == "doc3":
            raise RuntimeError("bad document")
        return real(conn, doc_id, extraction)

    monkeypatch.setattr(write_module, "_write_quotes", fail_on_doc3)
    batch = [article(f"doc{i}", f"Heat number {i} was directed by Michael Mann.") for i in range(6)]
    with pytest.raises(RuntimeError, match="bad document"):
        store.ingest_many(batch, batch_size=2)
    with store.engine.connect() as conn:
        keys = set(conn.execute(select(documents.c.doc_key)).scalars())
        assert keys == {"doc0", "doc1", "doc2"}  # the documents before doc3 stay; doc3 left nothing
        assert conn.execute(select(func.count()).select_from(evidence)).scalar_one() == 3
    monkeypatch.setattr(write_module, "_write_quotes", real)
    results = store.ingest_many(batch, batch_size=2)  # resuming skips what is there
    assert [r.status for r in results] == ["unchanged"] * 3 + ["added"] * 3


def test_two_documents_corroborate_one_fact(store):
    store.ingest(article("a", TEXT_A, budget=60_000_000))
    store.ingest(article("b", TEXT_B, budget=60_000_000))
    assert count(store, facts) == 2  # director and budget, once each
    with store.engine.connect() as conn:
        per_fact = dict(conn.execute(
            select(facts.c.p, func.count(func.distinct(evidence.c.document_id)))
            .join(evidence, evidence.c.fact_id == facts.c.id).group_by(facts.c.p)).tuples().all())
    assert per_fact == {"budget": 2, "director": 2}


def test_float_and_int_money_are_one_fact(store):
    store.ingest(article("a", TEXT_A, budget=60_000_000))
    store.ingest(article("b", TEXT_B, budget=60_000_000.0))  # type: ignore[arg-type]
    assert count(store, facts) == 2


def test_entities_merge_across_documents(store):
    store.ingest(article("a", TEXT_A, heat_name="Heat", heat_year=None))
    store.ingest(article("b", TEXT_B, heat_name="HEAT the film", heat_year=1995, catalog_key="heat-1995"))
    store.ingest(article("c", "Heat, made by Michael Mann.", heat_year=1996, catalog_key="other"))
    with store.engine.connect() as conn:
        heat = conn.execute(select(entities).where(entities.c.id == HEAT)).one()
    assert (heat.name, heat.year, heat.catalog_key) == ("Heat", 1995, "heat-1995")  # first name, filled blanks
    assert count(store, entities) == 2


def test_connect_takes_paths_and_urls(tmp_path):
    path = tmp_path / "graph.db"
    with connect(str(path)) as by_path:
        by_path.ingest(article("a", TEXT_A))
    with connect(f"sqlite:///{path}") as by_url:
        assert by_url.counts()["documents"] == 1
    with pytest.raises(ValueError, match="does not exist"):
        connect(str(tmp_path / "missing" / "graph.db"))
    with pytest.raises(ValueError, match="not a database URL"):
        connect("nosuchdialect://x/y")


def test_sqlite_uses_wal_and_foreign_keys(tmp_path):
    with connect(str(tmp_path / "graph.db")) as opened, opened.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
