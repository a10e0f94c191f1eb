"""`status` (announced, in_talks, rumoured) is never put on a film the article presents as released."""
from __future__ import annotations

import pytest

from reelgraph.extract import facts as fact_rules
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
    monkeypatch.setattr(fact_rules, "presented_as_released", lambda frames, film: False)
    assert cast_status()["Harbor Lights"] == "announced"  # "will" belongs to another clause


@pytest.mark.parametrize("text, released", [
    ("Harbor Lights premiered at Cannes", True), ("Harbor Lights grossed $40 million", True),
    ("the Oscar-winning Harbor Lights", True), ("Harbor Lights is now available on Netflix", True),
    ("Harbor Lights will be released in May", False), ("Harbor Lights is set to premiere in May", False),
])
def test_release_cues(text: str, released: bool) -> None:
    assert bool(fact_rules.RELEASED.search(text)) is released
