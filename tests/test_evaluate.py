"""Tests for the scorer: each matching rule of FACTS.md on tiny hand-written gold/prediction pairs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from reelgraph.evaluate import aggregate, evaluate_dir, render_report, score_document
from reelgraph.matching import award_match, festival_match, film_match, money_match, person_match, quote_overlap

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"


def person(name: str) -> dict:
    return {"type": "person", "name": name, "year": None}


def film(name: str, year: int | None = None) -> dict:
    return {"type": "film", "name": name, "year": year}


def fact(s: str, p: str, o, **qualifiers) -> dict:
    return {"s": s, "p": p, "o": o, **qualifiers}


def gold_doc(facts=(), entities=(), quotes=()) -> dict:
    return {"doc": "t", "entities": list(entities), "facts": list(facts), "quotes": list(quotes)}


def counts(score, predicate: str) -> tuple[int, int, int]:
    c = score.predicates[predicate]
    return c.tp, c.fp, c.fn


# --------------------------------------------------------------------------- people

def test_surname_matches_when_the_document_has_one_person_of_that_surname():
    gold = gold_doc([fact("Heat (1995)", "director", "Michael Mann")],
                    [film("Heat", 1995), person("Michael Mann"), person("Al Pacino")])
    score = score_document(gold, {"facts": [fact("Heat", "director", "Mann")]})
    assert counts(score, "director") == (1, 0, 0)


def test_full_name_prediction_matches_a_gold_surname():
    gold = gold_doc([fact("A Dangerous Method", "inspired_by", "Freud")],
                    [film("A Dangerous Method"), person("Freud")])
    score = score_document(gold, {"facts": [fact("A Dangerous Method", "inspired_by", "Sigmund Freud")]})
    assert counts(score, "inspired_by") == (1, 0, 0)


def test_surname_shared_by_two_people_does_not_match():
    gold = gold_doc([fact("Fargo (1996)", "director", "Joel Coen")],
                    [film("Fargo", 1996), person("Joel Coen"), person("Ethan Coen")])
    score = score_document(gold, {"facts": [fact("Fargo (1996)", "director", "Coen")]})
    assert counts(score, "director") == (0, 1, 1)
    assert not person_match("Joel Coen", "Coen", {("joel", "coen"), ("ethan", "coen")})
    assert person_match("Joel Coen", "Coen", {("joel", "coen")})


def test_person_folding_handles_accents_and_case():
    assert person_match("Bérénice Bejo", "berenice BEJO")
    assert not person_match("Tom Hanks", "Tom Hardy")


# --------------------------------------------------------------------------- films, money, years

def test_film_years_must_agree_where_both_give_one():
    assert film_match("Heat (1995)", "Heat")
    assert film_match("The Lion King (1994)", "Lion King (1994)")
    assert not film_match("The Lion King (1994)", "The Lion King (2019)")
    gold = gold_doc([fact("Mulan", "remake_of", "Mulan (1998)")], [film("Mulan"), film("Mulan", 1998)])
    wrong = score_document(gold, {"facts": [fact("Mulan", "remake_of", "Mulan (2020)")]})
    assert counts(wrong, "remake_of") == (0, 1, 1)


def test_money_matches_within_two_percent():
    assert money_match(60_000_000, 61_000_000)
    assert money_match(60_000_000, "59,000,000")
    assert not money_match(60_000_000, 62_000_000)
    gold = gold_doc([fact("Heat (1995)", "budget", 60_000_000, currency="USD")], [film("Heat", 1995)])
    score = score_document(gold, {"facts": [fact("Heat", "budget", 60_500_000.0)]})
    assert counts(score, "budget") == (1, 0, 0)


def test_release_year_accepts_digit_strings_but_not_other_years():
    gold = gold_doc([fact("Heat (1995)", "release_year", 1995)], [film("Heat", 1995)])
    assert counts(score_document(gold, {"facts": [fact("Heat", "release_year", "1995")]}),
                  "release_year") == (1, 0, 0)
    assert counts(score_document(gold, {"facts": [fact("Heat", "release_year", 1996)]}),
                  "release_year") == (0, 1, 1)


def test_studio_matches_by_leading_words():
    gold = gold_doc([fact("Heat (1995)", "studio", "Warner Bros.")], [film("Heat", 1995)])
    score = score_document(gold, {"facts": [fact("Heat", "studio", "Warner Bros. Pictures"),
                                            fact("Heat", "studio", "Regency")]})
    assert counts(score, "studio") == (1, 1, 0)


# --------------------------------------------------------------------------- festivals and awards

def test_festivals_match_by_distinctive_words():
    assert festival_match("Cannes", "Festival de Cannes")
    assert festival_match("Cannes Film Festival", "Festival de Cannes")
    assert festival_match("BFI London Film Festival", "London Film Festival")
    assert not festival_match("Venice Film Festival", "Cannes Film Festival")
    assert not festival_match("Film Festival", "Cannes Film Festival")  # nothing distinctive left


def test_awards_match_by_family_and_compatible_category():
    assert award_match("Oscar", "Academy Award")
    assert award_match("Academy Award for Best Actor", "Oscar")
    assert award_match("BAFTA", "British Academy Film Award")
    assert award_match("Palme d’Or", "Palme d'Or")
    assert award_match("Best Adapted Screenplay", "Best Screenplay")
    assert not award_match("Golden Globe", "Oscar")
    assert not award_match("Academy Award for Best Actor", "Oscar for Best Director")
    assert not award_match("Best Director", "Best Actor")
    assert not award_match("Oscar", "Best Director")  # nothing in common to compare


def test_award_facts_take_a_person_or_film_subject():
    gold = gold_doc([fact("Tom Hanks", "award", "Academy Award for Best Actor", outcome="won")],
                    [person("Tom Hanks")])
    score = score_document(gold, {"facts": [fact("Hanks", "award", "Oscar", outcome="nominated")]})
    assert counts(score, "award") == (1, 0, 0)


# --------------------------------------------------------------------------- optional and one-to-one

def test_optional_facts_are_neither_rewarded_nor_penalised():
    gold = gold_doc([fact("Heat (1995)", "director", "Michael Mann"),
                     fact("Heat (1995)", "remake_of", "L.A. Takedown (1989)", optional=True),
                     fact("Heat (1995)", "release_year", 1995, optional=True)],
                    [film("Heat", 1995), film("L.A. Takedown", 1989), person("Michael Mann")])
    score = score_document(gold, {"facts": [fact("Heat", "director", "Michael Mann"),
                                            fact("Heat", "remake_of", "L.A. Takedown")]})
    assert score.overall.tp == 1 and score.overall.fp == 0 and score.overall.fn == 0
    twice = score_document(gold, {"facts": [fact("Heat", "release_year", 1995)] * 2})
    assert twice.overall.fp == 0  # a repeat of an optional fact is still neutral


def test_optional_fact_about_an_untitled_film_accepts_any_subject_name():
    gold = gold_doc([fact("The Heat follow-up", "director", "Michael Mann", optional=True)],
                    [film("Heat", 1995), person("Michael Mann")])
    loose = score_document(gold, {"facts": [fact("Heat sequel", "director", "Michael Mann")]})
    assert loose.overall.fp == 0
    other = score_document(gold, {"facts": [fact("Heat sequel", "director", "Ridley Scott")]})
    assert other.overall.fp == 1


def test_matching_is_one_to_one():
    gold = gold_doc([fact("Heat (1995)", "director", "Michael Mann")], [film("Heat", 1995), person("Michael Mann")])
    score = score_document(gold, {"facts": [fact("Heat", "director", "Michael Mann"),
                                            fact("Heat (1995)", "director", "Mann")]})
    assert counts(score, "director") == (1, 1, 0)
    assert score.spurious and score.missed == []


def test_predicate_must_be_equal():
    gold = gold_doc([fact("Heat (1995)", "director", "Michael Mann")], [film("Heat", 1995), person("Michael Mann")])
    score = score_document(gold, {"facts": [fact("Heat", "screenwriter", "Michael Mann")]})
    assert counts(score, "director") == (0, 0, 1)
    assert counts(score, "screenwriter") == (0, 1, 0)


# --------------------------------------------------------------------------- characters

def test_character_accuracy_prefers_the_pairing_with_agreeing_characters():
    gold = gold_doc([fact("Toy Tale", "cast_member", "Tom Hanks", character="Woody"),
                     fact("Toy Tale", "cast_member", "Tom Hanks", character="Forrest")],
                    [film("Toy Tale"), person("Tom Hanks")])
    pred = {"facts": [fact("Toy Tale", "cast_member", "Tom Hanks", character="Forrest"),
                      fact("Toy Tale", "cast_member", "Tom Hanks", character="woody")]}
    score = score_document(gold, pred)
    assert (score.characters_matched, score.characters_correct) == (2, 2)


def test_character_null_rules():
    gold = gold_doc([fact("Heat (1995)", "cast_member", "Al Pacino", character="Vincent Hanna"),
                     fact("Heat (1995)", "cast_member", "Ashley Judd", character=None),
                     fact("Heat (1995)", "cast_member", "Jon Voight", character=None)],
                    [film("Heat", 1995), person("Al Pacino"), person("Ashley Judd"), person("Jon Voight")])
    pred = {"facts": [fact("Heat", "cast_member", "Pacino", character=None),
                      fact("Heat", "cast_member", "Ashley Judd"),
                      fact("Heat", "cast_member", "Jon Voight", character="Nate")]}
    score = score_document(gold, pred)
    assert counts(score, "cast_member") == (3, 0, 0)
    assert (score.characters_matched, score.characters_correct) == (3, 1)


# --------------------------------------------------------------------------- entities

def test_entities_score_films_and_people_only():
    gold = gold_doc(entities=[film("Heat", 1995), film("The Town"), person("Michael Mann"),
                              {"type": "organization", "name": "Warner Bros.", "year": None}])
    pred = {"entities": [film("Heat", 1986), film("Town", 2010), person("Mann"),
                         {"type": "organization", "name": "Regency", "year": None, "id": "x"}]}
    score = score_document(gold, pred)
    assert (score.entities["film"].tp, score.entities["film"].fp, score.entities["film"].fn) == (1, 1, 1)
    assert score.entities["person"].f1 == 1.0
    assert set(score.entities) == {"film", "person"}


# --------------------------------------------------------------------------- quotes

Q = "The motivation for this picture was always a challenge to myself"  # 11 words


def test_quote_overlap_threshold_uses_the_shorter_text():
    assert quote_overlap(Q, "motivation for this picture was always a challenge") == 1.0
    assert quote_overlap("I don’t think it is his film", "i don't think it is his film!") == 1.0
    # 10-word prediction sharing 8 words: exactly 80% -> match; sharing 7: 70% -> no match.
    assert quote_overlap(Q, "the motivation for this picture was always a problem indeed") == pytest.approx(0.8)
    gold = gold_doc(quotes=[{"text": Q, "speaker": None, "outlet": None}])
    hit = score_document(gold, {"quotes": [{"text": "the motivation for this picture was always a problem indeed"}]})
    miss = score_document(gold, {"quotes": [{"text": "the motivation for this picture was often a problem indeed"}]})
    assert (hit.quotes.matched, hit.quotes.spurious) == (1, 0)
    assert (miss.quotes.matched, miss.quotes.spurious) == (0, 1)


def test_speaker_and_outlet_accuracy():
    gold = gold_doc(entities=[person("Michael Mann")], quotes=[
        {"text": "one two three four five", "speaker": "Michael Mann", "outlet": "The Hollywood Reporter"},
        {"text": "six seven eight nine ten", "speaker": None, "outlet": None},
        {"text": "alpha beta gamma delta epsilon", "speaker": None, "outlet": None},
        {"text": "red orange yellow green blue", "speaker": "Michael Mann", "outlet": "Variety"}])
    pred = {"quotes": [
        {"text": "one two three four five", "speaker": "Mann", "outlet": "Hollywood Reporter", "confidence": 0.9},
        {"text": "six seven eight nine ten", "speaker": None, "outlet": None},
        {"text": "alpha beta gamma delta epsilon", "speaker": "Michael Mann", "outlet": None},
        {"text": "red orange yellow green blue", "speaker": None, "outlet": None},
        {"text": "a quote nobody wrote down", "speaker": None, "outlet": None}]}
    q = score_document(gold, pred).quotes.to_dict()
    assert q["found"] == 4 and q["recall"] == 1.0
    assert q["speaker_accuracy"] == 0.5  # first two right; null gold vs name, name vs null wrong
    assert q["outlet_accuracy"] == 0.5  # the judge's: over gold quotes that have an outlet (THR right, Variety missed)
    assert (q["outlet_correct"], q["outlet_gold"]) == (1, 2)
    assert q["outlet_accuracy_all"] == 0.75  # null = null counted as correct too
    assert q["outlet_precision"] == 1.0 and q["outlet_given_no_gold"] == 0
    assert q["spurious"] == 1 and q["spurious_rate"] == 0.25


# --------------------------------------------------------------------------- report and directory

def test_aggregate_micro_averages_and_renders():
    gold = gold_doc([fact("Heat (1995)", "director", "Michael Mann")], [film("Heat", 1995), person("Michael Mann")])
    good = score_document(gold, {"facts": [fact("Heat", "director", "Michael Mann")]})
    bad = score_document(gold, {"facts": [fact("Heat", "director", "Ridley Scott")]})
    report = aggregate([good, bad])
    data = report.to_dict()
    assert data["overall"] == {"p": 0.5, "r": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1}
    assert data["per_predicate"]["director"]["gold"] == 2
    assert data["documents"] == 2 and [d["f1"] for d in data["per_document"]] == [1.0, 0.0]
    assert set(data) >= {"overall", "per_predicate", "entities", "quotes", "character_accuracy"}
    json.dumps(data)
    console = Console(record=True, width=120)
    render_report(report, console)
    text = console.export_text()
    assert "director" in text and "overall" in text and "0.500" in text


def test_evaluate_dir_scores_only_articles_with_gold(tmp_path):
    (tmp_path / "a.txt").write_text("Michael Mann directed Heat.", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text(json.dumps(gold_doc(
        [fact("Heat", "director", "Michael Mann")], [film("Heat"), person("Michael Mann")]) | {"doc": "a"}))
    (tmp_path / "b.txt").write_text("No gold for this one.", encoding="utf-8")
    seen = []

    def extract(path: Path) -> dict:
        seen.append(path.name)
        return {"facts": [fact("Heat", "director", "Mann")], "entities": [], "quotes": []}

    report = evaluate_dir(tmp_path, extract)
    assert seen == ["a.txt"]
    assert report.overall.f1 == 1.0 and report.documents[0].doc == "a"


def test_bad_input_raises_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        evaluate_dir(tmp_path / "missing", lambda p: {})
    with pytest.raises(ValueError, match="no <id>.txt"):
        evaluate_dir(tmp_path, lambda p: {})
    with pytest.raises(ValueError, match="needs keys"):
        score_document(gold_doc(), {"facts": [{"s": "Heat", "p": "director"}]})


# --------------------------------------------------------------------------- dev corpus

def test_every_dev_gold_file_scores_perfectly_against_itself():
    if not DEV.is_dir():
        pytest.skip(f"dev corpus not found at {DEV}")
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(DEV.glob("*.gold.json"))]
    if not golds:
        pytest.skip(f"no gold files in {DEV}")
    report = aggregate([score_document(g, g) for g in golds])
    assert report.overall.f1 == 1.0
    assert report.entities["film"].f1 == 1.0 and report.entities["person"].f1 == 1.0
    assert report.quotes.to_dict()["recall"] == 1.0
    assert report.quotes.to_dict()["speaker_accuracy"] == 1.0
