"""The film in focus, family references ("the remake") and role characters, on short texts
written for these tests."""
from __future__ import annotations

from reelgraph.analyse import analyse
from reelgraph.catalog import Catalog
from reelgraph.extract.people import find_people
from reelgraph.extract.sentences import build_frames
from reelgraph.link import link
from reelgraph.read import read_text
from reelgraph.types import Mention


def _mentions(text: str, names: list[tuple[str, str]]) -> list[Mention]:
    """Every occurrence of each (name, type), longer names first, without overlaps."""
    out: list[Mention] = []
    for name, kind in sorted(names, key=lambda n: -len(n[0])):
        start = text.find(name)
        while start >= 0:
            if not any(m.start < start + len(name) and start < m.end for m in out):
                out.append(Mention(start, start + len(name), name, kind))
            start = text.find(name, start + len(name))
    return sorted(out, key=lambda m: m.start)


def _frames(text: str, names: list[tuple[str, str]]):
    doc = read_text(text, doc_id="t")
    mentions = _mentions(doc.clean, names)
    entities = link(doc, mentions, Catalog.from_films([]))
    return build_frames(doc, analyse(doc), mentions, entities)


def _focus_of(frames, needle: str) -> str | None:
    frame = next(f for f in frames.frames if needle in f.text)
    return frame.focus.name if frame.focus else None


LIST_ARTICLE = """Three films for a wet weekend

1.) Lantern Road (1987)

A slow story about a lighthouse keeper. Josh (Mara Quill) tends the lamp.

2.) Copper Sky (2004)

Nothing here is quick, and this one nods to Lantern Road in its final shot. Tom Vell plays a pilot.

3.) Grey Meadow (2011)

A farm, a storm and a family. Ida Fenn is superb.
"""


def test_each_heading_film_is_the_focus_of_the_lines_under_it():
    frames = _frames(LIST_ARTICLE, [("Lantern Road", "film"), ("Copper Sky", "film"), ("Grey Meadow", "film"),
                                    ("Mara Quill", "person"), ("Tom Vell", "person"), ("Ida Fenn", "person")])
    assert _focus_of(frames, "Mara Quill") == "Lantern Road"
    assert _focus_of(frames, "Tom Vell") == "Copper Sky"  # a passing mention does not take over the section
    assert _focus_of(frames, "Ida Fenn") == "Grey Meadow"


REVIEW = """Copper Sky: a pilot's long goodbye

Copper Sky is the best thing its director has made. It recalls the sitcom Harbour Lights in its timing.
Tom Vell plays the pilot with quiet grace.
"""


def test_the_headline_film_holds_over_a_passing_mention_in_a_review():
    frames = _frames(REVIEW, [("Copper Sky", "film"), ("Harbour Lights", "film"), ("Tom Vell", "person")])
    assert _focus_of(frames, "Tom Vell plays") == "Copper Sky"


STACKED = """Reviews this week

Copper Sky (cinemas, 12A)

Verdict: Soaring

Grey Meadow (streaming)

Verdict: Damp

Copper Sky is a pleasure from start to finish, full of small touches.
Tom Vell plays the pilot.

Grey Meadow is a different matter altogether, for all its ambition.
Ida Fenn plays the farmer.
"""


def test_stacked_review_headers_hand_focus_to_the_film_the_body_turns_to():
    frames = _frames(STACKED, [("Copper Sky", "film"), ("Grey Meadow", "film"), ("Tom Vell", "person"),
                               ("Ida Fenn", "person")])
    assert _focus_of(frames, "Tom Vell") == "Copper Sky"
    assert _focus_of(frames, "Ida Fenn") == "Grey Meadow"


def test_the_remake_and_the_original_resolve_within_a_film_family():
    text = ("Notes from the set\n\nLantern Road made Tom Vell a star in 1987. Lantern Road 2 opens next month. "
            "Vell says the original still moves him.")
    frames = _frames(text, [("Lantern Road 2", "film"), ("Lantern Road", "film"), ("Tom Vell", "person")])
    films = {m.text: frames.entities[m.entity_id].name for f in frames.frames for m in f.slots if m.cue == "reference"}
    assert films.get("the original") == "Lantern Road"
    assert len({e.id for e in frames.entities.values() if e.type == "film"}) == 2  # two entities, not one


def _people_and_characters(text: str) -> tuple[set[str], set[str]]:
    people, characters, _ = find_people(analyse(read_text(text, doc_id="t")), Catalog.from_films([]))
    return {p.text for p in people}, {c.text for c in characters}


def test_a_role_taken_by_a_pronoun_is_a_character_not_a_person():
    people, characters = _people_and_characters("Mara Quill is back. She plays Edna Vask, a widow who runs the ferry.")
    assert "Edna Vask" in characters
    assert "Edna Vask" not in people


def test_a_role_description_stops_at_a_joining_word():
    people, characters = _people_and_characters("Mara Quill plays the widow in flashbacks and Tom Vell plays an old ferryman.")
    assert "Tom Vell" in people
    assert "Tom Vell" not in characters


def test_group_credit_is_one_name_until_the_article_names_the_members():
    assert "Vell brothers" in _people_and_characters("Lantern Road is the Vell brothers at their best.")[0]
    named = "Jean-Pierre Vell and Luc Vell made it; the Vell brothers are back."
    assert "Vell brothers" not in _people_and_characters(named)[0]


def test_under_a_heading_the_runner_up_is_another_film_of_the_article():
    frames = _frames(LIST_ARTICLE, [("Lantern Road", "film"), ("Copper Sky", "film"), ("Grey Meadow", "film"),
                                    ("Mara Quill", "person"), ("Tom Vell", "person"), ("Ida Fenn", "person")])
    for needle, focus in (("Mara Quill", "Lantern Road"), ("Tom Vell", "Copper Sky"), ("Ida Fenn", "Grey Meadow")):
        frame = next(f for f in frames.frames if needle in f.text)
        assert frame.focus.name == focus
        assert frame.runner_up is not None and frame.runner_up.name != focus
