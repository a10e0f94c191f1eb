"""The learned relation stage, cross-validation and rule provenance, on the hand-written
fixture articles (tests/fixtures/articles), which need nothing from ../shared."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgraph.catalog import Catalog
from reelgraph.cli import app
from reelgraph.corpus import folds, load_gold, parse_all
from reelgraph.crossval import by_rule, cross_validate
from reelgraph.extract import analyse_relations, extract
from reelgraph.learn import Models, dumps, train
from reelgraph.learn.relations import PredicateModel, RelationModel
from reelgraph.pipeline import extract_text

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def articles():
    return parse_all(load_gold([FIXTURES]))


def test_folds_split_by_article_deterministically(articles):
    first, second = folds(articles, 3), folds(articles, 3)
    assert [[a.id for a in f] for f in first] == [[a.id for a in f] for f in second]
    ids = [a.id for f in first for a in f]
    assert sorted(ids) == sorted(a.id for a in articles) and len(set(ids)) == len(ids)
    with pytest.raises(ValueError):
        folds(articles, 1)
    reshuffled = folds(articles, 3, shuffle=1)
    assert sorted(a.id for f in reshuffled for a in f) == sorted(ids)
    assert [[a.id for a in f] for f in reshuffled] != [[a.id for a in f] for f in first]


def test_every_rule_fact_becomes_evidence_on_a_candidate(articles):
    catalog = Catalog.load()
    for article in articles:
        rel = analyse_relations(article.doc, article.parsed, catalog, Models())
        keyed = {(c.s_id, c.p, c.o_key) for c in rel.candidates if c.rules}
        for rid, fact in rel.rule_facts:
            assert rid in fact.sources
            assert (fact.s_id, fact.p, fact.o_id or fact.o) in keyed


def test_candidates_pair_people_with_the_film_in_focus():
    ex = extract_text("Heat is a 1995 crime film directed by Michael Mann.\n\nShe plays a thief, and "
                      "Ashley Judd is superb.", doc_id="focus")
    # the second sentence names no film: its person is paired with the film in focus
    from reelgraph.analyse import analyse
    from reelgraph.read import read_text

    doc = read_text(ex.doc.text, doc_id="focus")
    rel = analyse_relations(doc, analyse(doc), Catalog.load(), Models())
    focus_pairs = [c for c in rel.candidates if c.s_is_focus and c.p == "cast_member"]
    assert any(c.o.text == "Ashley Judd" for c in focus_pairs)


def test_a_pronoun_pairs_the_films_of_its_sentence_with_the_person_last_named():
    from reelgraph.analyse import analyse
    from reelgraph.read import read_text

    text = ("Profile\n\nAva Stone grew up in Leeds.\n\nCritics agree that the actress shone in Glass River (2004) "
            "and Salt Road (2008).\n\nCritics loved Blue Hour (2010).")
    doc = read_text(text, doc_id="pronoun")
    rel = analyse_relations(doc, analyse(doc), Catalog.load(), Models())
    carried = {(c.s.text, c.p, c.o.text) for c in rel.candidates if c.o_from == "pronoun"}
    assert {("Glass River", "cast_member", "Ava Stone"), ("Salt Road", "director", "Ava Stone")} <= carried
    assert not any(s == "Blue Hour" for s, _, _ in carried)  # no pronoun in that sentence


def test_a_studio_candidate_says_what_kind_of_organisation_its_object_is():
    from reelgraph.analyse import analyse
    from reelgraph.extract.features import FeatureContext, featurize
    from reelgraph.read import read_text

    text = "News\n\nGlass River (2004) was made by Pinewood Pictures and shared on Instagram by its star."
    doc = read_text(text, doc_id="studio")
    parsed = analyse(doc)
    catalog = Catalog.load()
    rel = analyse_relations(doc, parsed, catalog, Models())
    ctx = FeatureContext(rel.frames, parsed, catalog)
    kinds = {c.o.text: [k for k in featurize(c, ctx) if k.startswith("o_org=")]
             for c in rel.candidates if c.p == "studio"}
    assert kinds.get("Pinewood Pictures") == ["o_org=company_word"]
    assert kinds.get("Instagram", ["o_org=other"]) == ["o_org=other"]


def test_a_sentence_without_a_title_pairs_its_people_with_the_focus_and_the_runner_up():
    from reelgraph.analyse import analyse
    from reelgraph.read import read_text

    text = ("Glass River review\n\nGlass River (2004) is a slow drama directed by Ava Stone. "
            "Blue Hour (1999), her earlier film, was louder. Tom Reed plays the ferryman with great calm.")
    doc = read_text(text, doc_id="focus")
    rel = analyse_relations(doc, analyse(doc), Catalog.load(), Models())
    films = {(c.s.text, c.s_runner_up) for c in rel.candidates if c.p == "cast_member" and c.o.text == "Tom Reed"}
    assert len(films) == 2 and {name for name, _ in films} == {"Glass River", "Blue Hour"}
    assert sorted(runner_up for _, runner_up in films) == [False, True]


def test_training_is_byte_reproducible(articles):
    catalog = Catalog.load()
    a = train(articles, catalog, ("relations",))
    b = train(articles, catalog, ("relations",))
    assert dumps(a.relations.to_json()) == dumps(b.relations.to_json())


def test_a_model_decides_and_records_itself():
    """A hand-set model that trusts one rule: its facts carry the rule and the model ids."""
    model = RelationModel({"director": PredicateModel(bias=-3.0, threshold=0.5, weights={"rule=facts.crew_rules": 6.0})})
    text = "Heat is a 1995 crime film directed by Michael Mann, starring Al Pacino."
    from reelgraph.analyse import analyse
    from reelgraph.read import read_text

    doc = read_text(text, doc_id="t")
    out = extract(doc, analyse(doc), Catalog.load(), Models(relations=model))
    directors = [f for f in out.facts if f.p == "director"]
    assert directors and all("model.relations" in f.sources and "facts.crew_rules" in f.sources for f in directors)
    assert all(0.5 <= f.confidence <= 1.0 for f in directors)
    # predicates without a model keep their rule facts
    assert any(f.p == "cast_member" and f.sources == ["facts.cast_rules"] for f in out.facts)


def test_threshold_is_the_middle_of_the_near_best_cuts():
    from reelgraph.learn.relations import Example, _best_threshold

    probs = [0.9, 0.85, 0.8, 0.7, 0.65, 0.6, 0.5, 0.45, 0.4]
    labels = [1, 1, 1, 0, 0, 1, 0, 0, 1]  # with 6 gold facts, cutting after the 3rd, 6th or 9th row ties at F1 2/3
    rows = [(Example(i, "director", ("film", "director", str(i)), {}, y, i if y else None), p)
            for i, (p, y) in enumerate(zip(probs, labels))]
    f1, threshold = _best_threshold(rows, gold_total=6)
    assert abs(f1 - 2 / 3) < 1e-9
    assert threshold == 0.6  # the middle cut, not the first one that reaches the best F1 (0.8)


def test_model_json_round_trip():
    model = RelationModel({"cast_member": PredicateModel(0.25, 0.4, {"bw=as": 1.5}, "filter")})
    again = RelationModel.from_json(json.loads(dumps(model.to_json())))
    assert again.predicates["cast_member"] == model.predicates["cast_member"]


def test_cross_validation_pools_every_article(articles):
    result = cross_validate([FIXTURES], k=3)
    assert result.learned and "relations" in result.learned
    assert sorted(d.doc for d in result.report.documents) == sorted(a.id for a in articles)
    data = result.to_dict()
    assert data["cv"]["k"] == 3 and 0.0 <= data["overall"]["f1"] <= 1.0


def test_by_rule_counts_add_up():
    counts = by_rule([FIXTURES])
    assert counts
    for rid, c in counts.items():
        assert "." in rid and c["fired"] == c["tp"] + c["fp"] + c["optional"]


def test_cli_eval_cv_json_and_by_rule():
    runner = CliRunner()
    done = runner.invoke(app, ["eval", "--cv", "3", str(FIXTURES), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert "f1" in data["overall"] and data["cv"]["k"] == 3
    done = runner.invoke(app, ["eval", "--by-rule", str(FIXTURES)])
    assert done.exit_code == 0 and "facts.cast_rules" in done.output
    bad = runner.invoke(app, ["eval", "--cv", "99", str(FIXTURES)])
    assert bad.exit_code == 1 and "error:" in bad.output
    bad = runner.invoke(app, ["eval", "--repeats", "2", str(FIXTURES)])
    assert bad.exit_code == 1 and "--repeats needs --cv" in bad.output


def test_cv_repeats_report_the_spread_over_splits():
    from reelgraph.crossval import cross_validate

    result = cross_validate([FIXTURES], 3, repeats=2).to_dict()["cv"]
    assert len(result["splits"]) == 2 and set(result["splits"][0]) == {"facts_f1", "films_f1", "people_f1"}
    facts = result["spread"]["facts_f1"]
    values = [s["facts_f1"] for s in result["splits"]]
    assert facts["min"] == min(values) and facts["max"] == max(values) and facts["sd"] >= 0


def test_cli_train_writes_model_files(tmp_path):
    done = CliRunner().invoke(app, ["train", str(FIXTURES), "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    written = json.loads((tmp_path / "relations.json").read_text())
    assert isinstance(written["predicates"], dict)  # nine articles: the rules may win every predicate


def test_extraction_json_lists_sources():
    out = extract_text("Heat (1995) was directed by Michael Mann.", doc_id="src").to_dict()
    assert out["facts"] and all(isinstance(f["sources"], list) and f["sources"] for f in out["facts"])


SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.mark.skipif(not (SHARED / "unlabeled").is_dir(), reason="needs ../shared/corpus (train, dev and unlabeled)")
def test_shipped_models_rebuild_byte_for_byte(tmp_path):
    """`make train` from ../shared and annotations/ gives exactly the model files in the package."""
    from reelgraph.learn import MODEL_DIR

    annotations = Path(__file__).resolve().parents[1] / "annotations" / "unlabeled-entities.jsonl"
    done = CliRunner().invoke(app, ["train", str(SHARED / "train"), str(SHARED / "dev"), "--out", str(tmp_path),
                                    "--entities", str(annotations),
                                    "--entity-texts", str(SHARED / "unlabeled" / "articles.jsonl.gz")])
    assert done.exit_code == 0, done.output
    shipped = sorted(p.name for p in MODEL_DIR.glob("*.json"))
    assert shipped == ["people.json", "relations.json", "speakers.json", "titles.json"]
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (MODEL_DIR / name).read_bytes(), name


@pytest.mark.skipif(not (SHARED / "unlabeled").is_dir(), reason="needs ../shared/corpus/unlabeled")
def test_the_held_out_annotations_load_and_share_no_article_with_training():
    from reelgraph.corpus import load_entity_annotations

    folder, texts = Path(__file__).resolve().parents[1] / "annotations", SHARED / "unlabeled" / "articles.jsonl.gz"
    held = load_entity_annotations(folder / "heldout-entities.jsonl", texts)
    trained = load_entity_annotations(folder / "unlabeled-entities.jsonl", texts)
    assert len(held) == 120 and all(a.gold["entities"] for a in held)
    assert not {a.id for a in held} & {a.id for a in trained}


def _entity_only_files(tmp_path, articles, change_text=False):
    """Two fixture articles as entity-only annotations: their texts in a gzipped JSON-lines file,
    their gold entities (no facts, no quotes) in an annotation file."""
    import gzip
    import hashlib

    texts, notes = [], []
    for a in articles[:2]:
        text = a.path.read_text(encoding="utf-8")
        texts.append({"id": f"extra-{a.id}", "text": text + (" Changed." if change_text else "")})
        notes.append({"id": f"extra-{a.id}", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                      "entities": a.gold["entities"]})
    with gzip.open(tmp_path / "texts.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("".join(json.dumps(t) + "\n" for t in texts))
    (tmp_path / "notes.jsonl").write_text("".join(json.dumps(n) + "\n" for n in notes), encoding="utf-8")
    return tmp_path / "notes.jsonl", tmp_path / "texts.jsonl.gz"


def test_entity_only_annotations_load_and_check_their_texts(tmp_path, articles):
    from reelgraph.corpus import load_entity_annotations

    notes, texts = _entity_only_files(tmp_path, articles)
    extra = load_entity_annotations(notes, texts)
    assert [a.id for a in extra] == [f"extra-{a.id}" for a in articles[:2]]
    assert all(a.entities_only and a.gold["entities"] for a in extra)
    assert not any(a.entities_only for a in articles)
    notes, texts = _entity_only_files(tmp_path, articles, change_text=True)
    with pytest.raises(ValueError, match="has changed since it was annotated"):
        load_entity_annotations(notes, texts)
    with pytest.raises(FileNotFoundError):
        load_entity_annotations(tmp_path / "missing.jsonl", texts)


def test_entity_only_articles_teach_the_title_stage_alone(tmp_path, articles, monkeypatch):
    from reelgraph.corpus import load_entity_annotations
    from reelgraph.learn import relations as relations_stage, titles as title_stage

    extra = parse_all(load_entity_annotations(*_entity_only_files(tmp_path, articles)))
    seen = {}
    for name, module in (("titles", title_stage), ("relations", relations_stage)):
        real = module.fit
        monkeypatch.setattr(module, "fit", lambda arts, catalog, models=None, name=name, real=real:
                            seen.setdefault(name, [a.id for a in arts]) and real(arts, catalog, models))
    train(articles + extra, stages=("titles", "relations"))
    assert set(seen["titles"]) == {a.id for a in articles + extra}
    assert set(seen["relations"]) == {a.id for a in articles}


def test_cross_validation_scores_entity_only_articles_apart(tmp_path, articles):
    from reelgraph.corpus import load_entity_annotations

    extra = load_entity_annotations(*_entity_only_files(tmp_path, articles))
    result = cross_validate([FIXTURES], 2, extra=extra)
    assert sorted(d.doc for d in result.report.documents) == sorted(a.id for a in articles)
    data = result.to_dict()["cv"]
    assert data["entities_only"]["articles"] == 2 and data["entities_only"]["film"]["tp"] > 0
    assert set(result.splits[0]) >= {"extra_films_f1", "extra_people_f1"}


def test_cli_entities_need_cv(tmp_path, articles):
    notes, texts = _entity_only_files(tmp_path, articles)
    bad = CliRunner().invoke(app, ["eval", str(FIXTURES), "--entities", str(notes), "--entity-texts", str(texts)])
    assert bad.exit_code == 1 and "--entities needs --cv" in bad.output
