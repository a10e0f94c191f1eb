"""Title candidates, the learned title stage, title coreference, text years and people clean-up,
on short texts written for these tests."""
from __future__ import annotations

import json
import math

from reelgraph.analyse import analyse
from reelgraph.catalog import Catalog, CatalogFilm
from reelgraph.corpus import GoldArticle
from reelgraph.extract.people import not_a_person
from reelgraph.extract.title_features import extra_candidates
from reelgraph.learn import dumps
from reelgraph.learn import titles as learn_titles
from reelgraph.link import link
from reelgraph.read import read_text
from reelgraph.types import Mention


def _mention(text: str, name: str, kind: str = "film", nth: int = 0, **kw) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(start, start + len(name), name, kind, **kw)


def test_curly_quoted_title_is_a_candidate():
    text = "Critics adored \u201cThe Quiet Orchard\u201d when it opened last spring.\n"
    doc = read_text(text, doc_id="t")
    found = {(m.text, m.cue) for m in extra_candidates(doc, analyse(doc))}
    assert ("The Quiet Orchard", "quote-any") in found


def test_numbered_header_line_gives_the_bare_title_and_its_year():
    text = "Five quiet films\n\n3. Lantern Road (1987)\n\nA slow film about a lighthouse keeper.\n"
    doc = read_text(text, doc_id="t")
    headers = [m for m in extra_candidates(doc, analyse(doc)) if m.cue == "header"]
    assert any(m.text == "Lantern Road" and m.year == 1987 for m in headers)


def test_a_dated_heading_keeps_the_whole_title_against_a_shorter_cue():
    from reelgraph.extract.recognise import _resolve_overlaps

    text = "1) Salt, Stone City (1945)\n"
    heading = _mention(text, "Salt, Stone City", cue="header", year=1945)
    shorter = _mention(text, "Stone City", cue="year-paren", year=1945)
    assert [m.text for m in _resolve_overlaps([shorter, heading])] == ["Salt, Stone City"]


def test_short_form_and_subtitle_resolve_to_the_full_title():
    text = "Thorn Valley: The Reckoning opens Friday. The Reckoning runs two hours. Thorn Valley fans queued."
    doc = read_text(text, doc_id="t")
    mentions = [_mention(text, "Thorn Valley: The Reckoning"), _mention(text, "The Reckoning", nth=1),
                _mention(text, "Thorn Valley", nth=1)]
    films = [e for e in link(doc, mentions, Catalog.from_films([])) if e.type == "film"]
    assert [e.name for e in films] == ["Thorn Valley: The Reckoning"]
    assert len(films[0].mentions) == 3


def test_original_and_numbered_sequel_stay_two_films():
    text = "Lantern Road 2 follows Lantern Road closely."
    doc = read_text(text, doc_id="t")
    mentions = [_mention(text, "Lantern Road 2"), _mention(text, "Lantern Road", nth=1)]
    films = {e.name for e in link(doc, mentions, Catalog.from_films([])) if e.type == "film"}
    assert films == {"Lantern Road 2", "Lantern Road"}


def test_year_in_the_text_beats_the_catalog_year():
    catalog = Catalog.from_films([CatalogFilm("Silver_Harbour", "Silver Harbour", 2013, cast=("Ann Lee",))])
    text = "Jo Park's 2012 movie Silver Harbour starred Ann Lee."
    doc = read_text(text, doc_id="t")
    films = [e for e in link(doc, [_mention(text, "Silver Harbour")], catalog) if e.type == "film"]
    assert films[0].year == 2012


def test_catalog_year_stays_apart_when_the_text_gives_none():
    catalog = Catalog.from_films([CatalogFilm("Silver_Harbour", "Silver Harbour", 2013, cast=("Ann Lee",))])
    text = "Silver Harbour starred Ann Lee."
    doc = read_text(text, doc_id="t")
    films = [e for e in link(doc, [_mention(text, "Silver Harbour"), _mention(text, "Ann Lee", "person")], catalog)
             if e.type == "film"]
    assert (films[0].year, films[0].catalog_year, films[0].catalog_key) == (None, 2013, "Silver_Harbour")
    assert films[0].known_year == 2013 and films[0].to_dict()["year"] is None


def test_a_year_stated_where_the_title_is_no_mention_still_beats_the_catalog():
    catalog = Catalog.from_films([CatalogFilm("Silver_Harbour", "Silver Harbour", 2013, cast=("Ann Lee",))])
    text = "Silver Harbour starred Ann Lee.\n\nA still from  Silver Harbour  (2012)\n\nRain of Silver Harbour (1999) is another."
    doc = read_text(text, doc_id="t")
    mentions = [_mention(text, "Silver Harbour"), _mention(text, "Ann Lee", "person")]
    films = [e for e in link(doc, mentions, catalog) if e.type == "film"]
    assert films[0].year == 2012  # the caption's year; the longer title's year is not this film's


def test_two_stated_years_leave_the_choice_to_the_catalog_and_a_noun_after_the_year_states_one():
    catalog = Catalog.from_films([CatalogFilm("Silver_Harbour", "Silver Harbour", 2013, cast=("Ann Lee",))])
    both = "Silver Harbour starred Ann Lee. Silver Harbour (2012) and Silver Harbour (1960) differ."
    doc = read_text(both, doc_id="t")
    mentions = [_mention(both, "Silver Harbour"), _mention(both, "Ann Lee", "person")]
    assert [(e.year, e.catalog_year) for e in link(doc, mentions, catalog) if e.type == "film"] == [(None, 2013)]
    text = "Ann Lee left the 2012 blockbuster Silver Harbour early."
    doc = read_text(text, doc_id="t")
    films = [e for e in link(doc, [_mention(text, "Silver Harbour")], catalog) if e.type == "film"]
    assert films[0].year == 2012


def test_near_duplicate_names_merge_to_the_more_frequent_spelling():
    text = "Marta Kowalska won. Marta Kowalska smiled. Marta Kowalskas left."
    doc = read_text(text, doc_id="t")
    mentions = [_mention(text, "Marta Kowalska", "person"), _mention(text, "Marta Kowalska", "person", nth=1),
                _mention(text, "Marta Kowalskas", "person")]
    people = [e for e in link(doc, mentions, Catalog.from_films([])) if e.type == "person"]
    assert [p.name for p in people] == ["Marta Kowalska"]
    assert len(people[0].mentions) == 3


def test_different_surnames_do_not_merge():
    text = "Anna Berg met Anna Borg."
    doc = read_text(text, doc_id="t")
    mentions = [_mention(text, "Anna Berg", "person"), _mention(text, "Anna Borg", "person")]
    people = {e.name for e in link(doc, mentions, Catalog.from_films([])) if e.type == "person"}
    assert people == {"Anna Berg", "Anna Borg"}  # a changed letter is another name


def test_events_wars_and_pronoun_like_tokens_are_not_people():
    assert not_a_person("World War I")
    assert not_a_person("I\u00b4m")
    assert not_a_person("Napoleonic Wars")
    assert not not_a_person("Doris Day")
    assert not not_a_person("Marta Kowalska")


def test_two_given_names_sharing_a_surname_are_two_people():
    from reelgraph.pipeline import extract_text

    text = ("Festival prizes\n\nGrand Prize: Joel & Ethan Brandt (Paper Lanterns)\n\n"
            "Mahershala Ali and Viggo Mortensen presented it. The Brandts thanked the jury.\n")
    people = {e.name for e in extract_text(text).entities if e.type == "person"}
    assert {"Joel Brandt", "Ethan Brandt"} <= people
    assert "Brandts" not in people and "Ali Mortensen" not in people


def test_a_role_after_a_comma_list_of_describing_words_is_a_character():
    from reelgraph.pipeline import extract_text

    text = ("A war film\n\nDoris Day plays stern, god-fearing Captain Ezra Vale in the film. "
            "Rob Kane was hired to play Lou Mercer.\n")
    kinds = {e.name: e.type for e in extract_text(text).entities}
    assert kinds.get("Captain Ezra Vale") == "character" and kinds.get("Lou Mercer") == "character"
    assert kinds.get("Doris Day") == "person" and kinds.get("Rob Kane") == "person"


_ARTICLES = [
    ("a1", "Five Quiet Films To Watch This Winter\n\nLantern Road (1987) is a quiet film. Directed by Jo Park, Lantern Road stars Ann Lee.\n",
     [{"type": "film", "name": "Lantern Road", "year": 1987}]),
    ("a2", "In the film \u201cSilver Harbour\u201d, Ann Lee plays a sailor. Sony Pictures released it in Ohio.\n",
     [{"type": "film", "name": "Silver Harbour", "year": None}]),
    ("a3", "Our Verdict\n\nThe Blue Fields series returns for a second season. Ann Lee stars in the 2001 film Red Kite.\n",
     [{"type": "series", "name": "Blue Fields", "year": None}, {"type": "film", "name": "Red Kite", "year": 2001}]),
    ("a4", "Best Picture\n\nJo Park's new movie Quiet Mile premiered at Cannes. Quiet Mile is a drama set in Paris.\n",
     [{"type": "film", "name": "Quiet Mile", "year": None}]),
]


def _articles() -> list[GoldArticle]:
    out = []
    for doc_id, text, entities in _ARTICLES:
        doc = read_text(text, doc_id=doc_id)
        out.append(GoldArticle(doc_id, None, doc, {"doc": doc_id, "entities": entities}, analyse(doc)))
    return out


def test_title_training_is_byte_reproducible_and_round_trips():
    catalog = Catalog.from_films([])
    first = dumps(learn_titles.fit(_articles(), catalog).to_json())
    second = dumps(learn_titles.fit(_articles(), catalog).to_json())
    assert first == second
    model = learn_titles.TitleModel.from_json(json.loads(first))
    assert dumps(model.to_json()) == first


def test_learned_stage_returns_typed_mentions():
    catalog = Catalog.from_films([])
    model = learn_titles.fit(_articles(), catalog)
    from reelgraph.extract.recognise import recognise

    article = _articles()[0]
    mentions = recognise(article.doc, article.parsed, catalog, model)
    assert all(m.type in ("film", "series", "person", "character", "organization", "publication", "event", "award")
               for m in mentions)


def test_a_one_line_text_is_left_to_the_rules():
    """The model learned from whole articles; a single line has no headline or body around it."""
    catalog = Catalog.from_films([])
    model = learn_titles.fit(_articles(), catalog)
    from reelgraph.extract.recognise import recognise

    text = "Next week brings Sony's The Quiet Harbour to cinemas."
    doc = read_text(text, doc_id="t")
    parsed = analyse(doc)
    films = {m.text for m in recognise(doc, parsed, catalog, model) if m.type == "film"}
    assert films == {m.text for m in recognise(doc, parsed, catalog, None) if m.type == "film"}


def test_a_title_head_before_a_colon_joins_its_subtitle_but_a_label_does_not():
    from reelgraph.extract.titles import with_title_heads

    text = ("Coming soon\n\nFans queued for a re-release of Moon Harbour: The Long Tide last week.\n"
            "Verdict: Glass Orchard\nOur pick. Best Picture: Paper Lanterns deserved it.\n")
    films = [_mention(text, "The Long Tide", cue="catalog"), _mention(text, "Moon Harbour", cue="emphasis"),
             _mention(text, "Glass Orchard"), _mention(text, "Paper Lanterns")]
    assert [m.text for m in with_title_heads(text, films)] == [
        "Moon Harbour: The Long Tide", "Glass Orchard", "Paper Lanterns"]


def test_title_features_hold_the_word_on_each_side_of_every_mention():
    from reelgraph.extract.title_features import featurize, title_groups

    text = "A new season\n\nShe is best known for Glass Orchard, and her Glass Orchard trailer drew crowds.\n"
    doc = read_text(text, doc_id="t")
    catalog = Catalog.from_films([])
    mentions = [_mention(doc.clean, "Glass Orchard", nth=n, cue="catalog") for n in (0, 1)]
    groups, ctx = title_groups(doc, analyse(doc), catalog, mentions, [], [])
    [group] = [g for g in groups if g.text == "Glass Orchard"]
    f = featurize(group, ctx, catalog)
    assert f["prev:for"] == f["prev:her"] == f["next:,"] == f["next:trailer"] == 0.5


def test_a_numbered_list_drops_its_numbers_but_a_lone_numbered_line_keeps_both_readings():
    from reelgraph.extract.title_features import title_groups

    catalog = Catalog.from_films([])
    listed = "Twenty quiet films\n\n20 Lantern Road (1987)\n\nA keeper.\n\n19 Salt Harbour (1990)\n\nA port.\n\n" \
             "18 Paper Kites (1995)\n\nA boy.\n"
    doc = read_text(listed, doc_id="t")
    cued = [_mention(doc.clean, t, cue="year-paren") for t in ("20 Lantern Road", "19 Salt Harbour", "18 Paper Kites")]
    groups, _ = title_groups(doc, analyse(doc), catalog, cued, cued[:1], [])
    keys = {g.text for g in groups}
    assert {"Lantern Road", "Salt Harbour", "Paper Kites"} <= keys
    assert not keys & {"20 Lantern Road", "19 Salt Harbour", "18 Paper Kites"}
    assert next(g for g in groups if g.text == "Lantern Road").rule_kept

    single = "One quiet film\n\n12 Quiet Hours (1987)\n\nA film about a clock.\n"
    doc = read_text(single, doc_id="t")
    cued = [_mention(doc.clean, "12 Quiet Hours", cue="year-paren")]
    groups, _ = title_groups(doc, analyse(doc), catalog, cued, [], [])
    assert {"12 Quiet Hours", "Quiet Hours"} <= {g.text for g in groups}


def test_titles_listed_together_learn_from_their_siblings():
    from reelgraph.extract.title_features import featurize, title_groups

    text = ("Autumn picks\n\nHer favourites are Glass Orchard, Salt Harbour, Paper Kites and Moon Dial.\n\n"
            "1. Quiet Hours (1987)\n\nA clock.\n\n2. Lantern Road (1989)\n\nA keeper.\n\n3. Iron Gate (1990)\n\nA town.\n")
    doc = read_text(text, doc_id="t")
    catalog = Catalog.from_films([CatalogFilm("Glass_Orchard", "Glass Orchard", 1999), CatalogFilm("Salt_Harbour", "Salt Harbour", 2001)])
    names = ("Glass Orchard", "Salt Harbour", "Paper Kites", "Moon Dial", "Quiet Hours", "Lantern Road", "Iron Gate")
    groups, ctx = title_groups(doc, analyse(doc), catalog, [_mention(doc.clean, n, cue="catalog") for n in names], [], [])
    f = {g.text: featurize(g, ctx, catalog) for g in groups}
    assert f["Moon Dial"]["joined_siblings"] > 0 and f["Moon Dial"]["joined_sib_catalog"] == 2 / 3
    assert f["Lantern Road"]["heading_siblings"] == math.log1p(2) and f["Lantern Road"]["heading_sib_year"] == 1.0
    assert "joined_siblings" not in f["Lantern Road"]
    lone = read_text("A note\n\nShe liked Glass Orchard a lot.\n", doc_id="t")
    groups, ctx = title_groups(lone, analyse(lone), catalog, [_mention(lone.clean, "Glass Orchard", cue="catalog")], [], [])
    assert not any(k.startswith(("joined_", "heading_")) for k in featurize(groups[0], ctx, catalog))


def test_a_named_festival_beats_a_longer_organisation_span_around_it():
    from reelgraph.extract.recognise import _resolve_overlaps

    text = "Harbour Film Festival Highlights\n"
    org = Mention(0, len("Harbour Film Festival Highlights"), "Harbour Film Festival Highlights", "organization", cue="ner")
    event = _mention(text, "Harbour Film Festival", kind="event", cue="festival")
    assert [(m.text, m.type) for m in _resolve_overlaps([org, event])] == [("Harbour Film Festival", "event")]


def test_a_capitalised_run_listed_beside_candidates_becomes_a_candidate():
    from reelgraph.extract.title_lists import listed_runs

    text = "She named Glass Orchard, Salt Harbour, Paper Kites and Moon Dial as her favourites. Moon Dial won.\n"
    cued = [_mention(text, "Glass Orchard", cue="catalog"), _mention(text, "Salt Harbour", cue="catalog")]
    found = [(m.text, m.start) for m in listed_runs(text, cued, {"glass orchard", "salt harbour"})]
    assert found == [("Paper Kites", text.index("Paper Kites")), ("Moon Dial", text.index("Moon Dial"))]
    alone = "She named Glass Orchard and Paper Kites.\n"  # two items are no list
    assert listed_runs(alone, [_mention(alone, "Glass Orchard", cue="catalog")], {"glass orchard"}) == []


def test_the_title_model_scores_the_words_around_a_title_under_its_own_feature():
    from reelgraph.learn.people import PeopleModel

    text = "Tickets for the film Night Orchard went on sale.\n"
    doc = read_text(text, doc_id="t")
    parsed = analyse(doc)
    start = text.index("Night Orchard")
    mentions = [Mention(start, start + len("Night Orchard"), "Night Orchard", "film")]
    weights = {"": -1.0, "L1=film": 2.0, "R1=went": 0.5}
    model = learn_titles.TitleModel(context=weights)
    assert model.with_context({}, mentions, parsed) == {"ctx_film": 1 / (1 + math.exp(-1.5))}
    assert learn_titles.TitleModel().with_context({"bias": 1.0}, mentions, parsed) == {"bias": 1.0}
    assert learn_titles.TitleModel.from_json(json.loads(dumps(model.to_json()))).context == weights
    assert PeopleModel.CONTEXT_FEATURE == "ctx_person"  # the people trees keep a feature of their own
