"""The learned people stage (`learn/people.py`) and its features, on short texts written for
these tests."""
from __future__ import annotations

import json
import math

from spacy.tokens import Doc, Span

from reelgraph.analyse import analyse, load_nlp
from reelgraph.catalog import Catalog, CatalogFilm
from reelgraph.corpus import GoldArticle
from reelgraph.extract import extract
from reelgraph.extract.people import _ner_names, find_people
from reelgraph.extract.people_features import featurize, group_names
from reelgraph.extract.recognise import recognise
from reelgraph.learn import Models, dumps
from reelgraph.learn import people as learn_people
from reelgraph.read import read_text
from reelgraph.types import Mention


def _mentions(text: str, name: str, kind: str = "person") -> list[Mention]:
    """The rules' mention of `name` at each place it occurs."""
    out, at = [], text.find(name)
    while at >= 0:
        out.append(Mention(at, at + len(name), name, kind, cue="ner"))
        at = text.find(name, at + 1)
    return out


def _features(text: str, name: str, kind: str = "person") -> dict[str, float]:
    """Features of `name`, given as the rules' mention at each place it occurs."""
    doc = read_text(text, doc_id="t")
    mentions = _mentions(doc.clean, name, kind)
    groups = group_names(mentions if kind == "person" else [], mentions if kind != "person" else [])
    return featurize(groups[0], groups, doc.clean, analyse(doc), Catalog.from_films([]), set())


def test_credit_age_and_speech_marks_read_as_a_real_person():
    text = ("A new drama\n\nThe drama was directed by Marta Kowalska. "
            "Marta Kowalska, 52, lives in Lodz. Asked why, Marta Kowalska said it was home.\n")
    f = _features(text, "Marta Kowalska")
    third = 1 / 3
    assert f["credit_by"] == third and f["age_after"] == third and f["speech_after"] == third
    assert f["rule_person"] == 1.0 and f["n_words=2"] == 1.0 and "role_before" not in f


def test_a_name_after_plays_is_marked_as_a_role():
    text = "A new drama\n\nIn the drama, Ann Lee plays Daisy Fenwick, a singer.\n"
    f = _features(text, "Daisy Fenwick")
    assert f["role_before"] == 1.0 and "credit_by" not in f


def test_a_role_cue_a_few_words_back_or_played_by_after_marks_a_character():
    text = "A new drama\n\nShe shines as the scheming Nora Vance. Later Tobias Wren, her old flame, played by a newcomer, returns.\n"
    assert _features(text, "Nora Vance", "character")["role_near_before"] == 1.0
    assert _features(text, "Tobias Wren", "character")["played_by_after"] == 1.0


def test_the_writer_calls_a_character_by_the_first_name_and_a_person_by_the_surname():
    text = ("A new drama\n\nNora Vance runs a farm. Nora is tired. Director Ilse Brandt shot it. Brandt said so. "
            "\u201cIlse was kind,\u201d a crew member recalled.\n")
    nora, ilse = _features(text, "Nora Vance"), _features(text, "Ilse Brandt")
    assert nora["first_alone"] > 0 and nora["last_alone"] == 0
    assert ilse["last_alone"] > 0 and ilse["first_alone"] == 0  # "Ilse" inside a quote is not the writer's usage
    pair = _features("A new drama\n\nJoel Brandt directed it. It won for Joel and Ethan Brandt.\n", "Joel Brandt")
    assert pair["first_alone"] == 0  # a pair sharing a surname names each of them in full


_ARTICLES = [
    ("p1", "A new drama\n\nThe drama was directed by Marta Kowalska. Marta Kowalska, 52, said the shoot took a year. "
           "Its hero Daisy Fenwick sails north. Daisy Fenwick finds a map.\n",
     [{"type": "person", "name": "Marta Kowalska"}, {"type": "character", "name": "Daisy Fenwick"}]),
    ("p2", "Another drama\n\nThe thriller was written by Jonas Berg. Jonas Berg, 47, told us it was hard. "
           "Its heroine Clara Holt runs a farm. Clara Holt loses the farm.\n",
     [{"type": "person", "name": "Jonas Berg"}, {"type": "character", "name": "Clara Holt"}]),
    ("p3", "A comedy\n\nThe comedy was produced by Nadia Osei. Nadia Osei, 39, said she loved it. "
           "Its villain Victor Crane steals a car. Victor Crane hides in a barn.\n",
     [{"type": "person", "name": "Nadia Osei"}, {"type": "character", "name": "Victor Crane"}]),
] * 8


def _articles() -> list[GoldArticle]:
    out = []
    for n, (doc_id, text, entities) in enumerate(_ARTICLES):
        doc = read_text(text, doc_id=f"{doc_id}-{n}")
        out.append(GoldArticle(doc.id, None, doc, {"doc": doc.id, "entities": entities}, analyse(doc)))
    return out


def test_people_training_is_byte_reproducible_and_round_trips():
    catalog = Catalog.from_films([])
    first = dumps(learn_people.fit(_articles(), catalog).to_json())
    assert first == dumps(learn_people.fit(_articles(), catalog).to_json())
    model = learn_people.PeopleModel.from_json(json.loads(first))
    assert dumps(model.to_json()) == first


def test_the_model_keeps_credited_people_and_retypes_or_drops_the_rest():
    catalog = Catalog.from_films([])
    model = learn_people.fit(_articles(), catalog)
    text = ("A western\n\nThe western was directed by Olga Brandt. Olga Brandt, 61, said it was her last. "
            "Its hero Silas Monroe rides west. Silas Monroe finds gold.\n")
    doc = read_text(text, doc_id="t")
    parsed = analyse(doc)
    with_model = {m.text: m.type for m in recognise(doc, parsed, catalog, None, model)}
    rules = {m.text: m.type for m in recognise(doc, parsed, catalog)}
    assert rules.get("Olga Brandt") == "person" and with_model.get("Olga Brandt") == "person"
    assert rules.get("Silas Monroe") == "person"
    assert with_model.get("Silas Monroe") in ("character", None)


_LONE = [
    (doc_id, f"A heist film\n\nThe heist film comes from {surname}. {surname} said the ending came last. "
             f"Its heroine {hero} robs a bank. As {hero}, the star is superb.\n",
     [{"type": "person", "name": surname}, {"type": "character", "name": hero}])
    for doc_id, surname, hero in (("s1", "Morales", "Greta"), ("s2", "Lindgren", "Mabel"))
] * 10


def test_the_model_keeps_a_lone_surname_named_once_and_drops_a_lone_character_name():
    catalog = Catalog.from_films([])
    articles = []
    for n, (doc_id, text, entities) in enumerate(_LONE):
        doc = read_text(text, doc_id=f"{doc_id}-{n}")
        articles.append(GoldArticle(doc.id, None, doc, {"doc": doc.id, "entities": entities}, analyse(doc)))
    model = learn_people.fit(articles, catalog)
    text = ("A war film\n\nThe war film is the work of a newcomer. Last week Abernathy said the battle took a month. "
            "Its hero Greta digs a trench. As Greta, the star is grim.\n")
    doc = read_text(text, doc_id="t")
    parsed = analyse(doc)

    def people(models: Models) -> set[str]:
        return {e.name for e in extract(doc, parsed, catalog, models).entities if e.type == "person"}

    assert people(Models()) == {"Greta"}  # the rules: a one-word name counts when named twice
    assert people(Models(people=model)) == {"Abernathy"}


def _tagged(words: list[str], pos: list[str], ents: list[tuple[int, int, str]]) -> Doc:
    """A parse with the tags and entities given, as the small English model might have made it."""
    spaces = [i + 1 < len(words) and words[i + 1] not in ".," for i in range(len(words))]
    doc = Doc(load_nlp().vocab, words=words, spaces=spaces, pos=pos)
    doc.ents = [Span(doc, a, b, label=label) for a, b, label in ents]
    return doc


def test_a_one_word_person_takes_in_the_proper_noun_beside_it():
    left = _tagged(["Marisol", "Quintero", "plays", "the", "wife", "."], ["PROPN", "PROPN", "VERB", "DET", "NOUN", "PUNCT"],
                   [(1, 2, "PERSON")])
    assert _ner_names(left) == [(0, 16, "PERSON")]
    right = _tagged(["Then", "Marisol", "Quintero", "left", "."], ["ADV", "PROPN", "PROPN", "VERB", "PUNCT"], [(1, 2, "PERSON")])
    assert _ner_names(right) == [(5, 21, "PERSON")]
    job = _tagged(["Director", "Quintero", "spoke", "."], ["NOUN", "PROPN", "VERB", "PUNCT"], [(1, 2, "PERSON")])
    assert _ner_names(job) == [(9, 17, "PERSON")]  # a common noun is no part of the name


def test_a_catalog_name_replaces_the_shorter_entity_inside_it():
    doc = _tagged(["With", "Shira", "Lebowitz", "and", "Tom", "."], ["ADP", "PROPN", "PROPN", "CCONJ", "PROPN", "PUNCT"],
                  [(1, 2, "NORP"), (4, 5, "PERSON")])
    assert [m.text for m in find_people(doc, Catalog.from_films([]))[0]] == ["Tom"]
    catalog = Catalog.from_films([CatalogFilm("Grey_Pier", "Grey Pier", 2001, cast=("Shira Lebowitz",))])
    assert {(m.text, m.cue) for m in find_people(doc, catalog)[0]} == {("Tom", "ner"), ("Shira Lebowitz", "catalog")}


def test_a_name_in_italics_or_spelt_like_a_catalog_title_is_marked():
    text = "A new drama\n\nShe starred in _Velvet Harbour_ before Velvet Harbour made her name.\n"
    doc = read_text(text, doc_id="t")
    groups = group_names(_mentions(doc.clean, "Velvet Harbour"), [])
    catalog = Catalog.from_films([CatalogFilm("velvet-harbour-2001", "Velvet Harbour", 2001)])
    f = featurize(groups[0], groups, doc.clean, analyse(doc), catalog, set(), doc.emphasis_starts)
    assert f["emphasised"] == 0.5 and f["catalog_title_any"] == 1.0
    plain = featurize(groups[0], groups, doc.clean, analyse(doc), Catalog.from_films([]), set())
    assert "emphasised" not in plain and plain["catalog_title_any"] == 0.0


def test_context_words_read_the_tokens_around_every_mention_but_not_the_name():
    from reelgraph.extract.people_features import context_words

    text = "A new season\n\nThe actor Olga Brandt said it was hard. Olga Brandt was directed by a newcomer.\n"
    doc = read_text(text, doc_id="t")
    words = context_words(_mentions(doc.clean, "Olga Brandt"), analyse(doc))
    assert {"L1=actor", "L2=the", "R1=said", "R1=was", "R2=directed", "bR=by"} <= set(words)
    assert not any("olga" in w or "brandt" in w for w in words)  # the name's own words are never read
    assert not any(w.startswith(("L4=", "R4=")) for w in words)  # three tokens each side, no more


def test_the_context_model_learns_word_weights_and_scores_with_them():
    from reelgraph.learn import context

    rows = [({"R1=said": 1.0, "bL=the": 1.0}, True)] * 6 + [({"L1=as": 1.0, "bL=the": 1.0}, False)] * 6
    weights = context.fit(rows)
    assert weights == context.fit(rows)  # deterministic
    assert weights["R1=said"] > 0 > weights["L1=as"]
    assert context.score(weights, {"R1=said": 1.0}) > 0.5 > context.score(weights, {"L1=as": 1.0})
    assert context.score(weights, {"never-seen": 1.0}) == 1 / (1 + math.exp(-weights[""]))
    assert context.score({}, {"R1=said": 1.0}) == 0.0  # no model, no score
    scored = context.out_of_fold([(f"d{i}", {"bias": 1.0}, w, "person" if y else "none") for i, (w, y) in enumerate(rows)],
                                 "person", "ctx_person")
    assert [d for d, _, _ in scored] and all(set(f) == {"bias", "ctx_person"} for _, f, _ in scored)


def test_the_people_model_adds_its_context_score_only_with_a_context_model():
    from reelgraph.learn import context

    text = "She plays Nora Vale and said so.\n"
    doc = read_text(text, doc_id="t")
    parsed = analyse(doc)
    weights = {"": 0.0, "L1=plays": -2.0, "R1=and": 0.5}
    model = learn_people.PeopleModel(context=weights)
    assert model.with_context({}, _mentions(text, "Nora Vale"), parsed) == {"ctx_person": 1 / (1 + math.exp(1.5))}
    assert learn_people.PeopleModel().with_context({"bias": 1.0}, _mentions(text, "Nora Vale"), parsed) == {"bias": 1.0}
    restored = learn_people.PeopleModel.from_json(json.loads(dumps(model.to_json())))
    assert restored.context == weights
