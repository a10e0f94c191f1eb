"""`status` (announced, in_talks, rumoured) is never put on a film the article presents as released."""
from __future__ import annotations

import pytest

from reelgraph.extract import status as fact_status
from reelgraph.pipeline import extract_documents
from reelgraph.read import read_bytes

ARTICLE = b"""*Harbor Lights* premiered at Cannes in 2015 and grossed $40 million worldwide. *Harbor Lights* stars Ada Vance, who will return to the stage next year.

*Dust Road*, a new western, is in the works at Paramount. *Dust Road* stars Ada Vance, who will return to the stage next year.
"""


def cast_status() -> dict[str, str | None]:
    doc = read_bytes(ARTICLE, doc_id="status-note", source="status-note.md")
    extraction = next(extract_documents([doc]))
    return {f.s.split(" (")[0]: f.qualifiers.get("status") for f in extraction.facts if f.p == "cast_member"}


def test_a_released_film_gets_no_status() -> None:
    found = cast_status()
    assert found == {"Harbor Lights": None, "Dust Road": "announced"}


def test_without_the_release_check_the_cue_would_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fact_status, "presented_as_released", lambda frames, film: False)
    assert cast_status()["Harbor Lights"] == "announced"  # "will" belongs to another clause


@pytest.mark.parametrize("text, released", [
    ("Harbor Lights premiered at Cannes", True), ("Harbor Lights grossed $40 million", True),
    ("the Oscar-winning Harbor Lights", True), ("Harbor Lights is now available on Netflix", True),
    ("Harbor Lights will be released in May", False), ("Harbor Lights is set to premiere in May", False),
])
def test_release_cues(text: str, released: bool) -> None:
    assert bool(fact_status.RELEASED.search(text)) is released


def test_facts_the_model_keeps_get_the_same_status_check() -> None:
    """A fact the learned stage keeps without any rule behind it goes through the same check."""
    from reelgraph.analyse import analyse
    from reelgraph.catalog import Catalog
    from reelgraph.extract import analyse_relations
    from reelgraph.extract.candidates import candidate_fact
    from reelgraph.learn import Models

    doc = read_bytes(ARTICLE, doc_id="status-note", source="status-note.md")
    rel = analyse_relations(doc, analyse(doc), Catalog.load(), Models())
    statuses = {}
    for cand in rel.candidates:
        if cand.p == "cast_member" and cand.o is not None and cand.o.text == "Ada Vance" and not cand.s_is_focus:
            cand.rule_facts, cand.rules = [], {}  # as if no rule had fired
            fact = candidate_fact(rel.frames, cand, 0.9, ["model.relations"])
            statuses[fact.s.split(" (")[0]] = fact.qualifiers.get("status")
    assert statuses == {"Harbor Lights": None, "Dust Road": "announced"}
