"""The learned people stage: is a name the rules call a person really one?

NER and the catalog call many names people that the article uses as characters ("Carrie
White", "Daisy Buchanan") or that are titles and products. For every name the rules type as a
person, small gradient-boosted trees (the same trainer and plain-list export as `titles.py`)
choose person, character or neither from the features of `extract/people_features.py`. That
covers full names and lone words that are part of no longer name ("Spielberg" named alone, the
character "Amy"); a word of a longer name ("Mann" of "Michael Mann") is left for linking to
attach, and the rules' own characters stay characters.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..matching import person_match
from ..names import fold
from ..types import KEPT_BY_MODEL, Mention
from . import context
from .titles import TitleModel, _fit

LEARNS_FROM_ENTITIES = True  # labels come from entities alone (annotations/ lists characters too)
TREES, DEPTH = 80, 3  # smaller than the title trees: fewer examples (about 2,000 names)
PERSON_FLOOR = 0.3  # a name stays a person when the model gives it at least this probability
LONE_FLOOR = 0.5  # the same for a one-word name that is part of no longer name (3-split CV people 0.899 vs 0.897 at 0.3)


@dataclass
class PeopleModel(TitleModel):
    """Trees per class (none, person, character). A name the rules call a person stays one at
    P(person) >= PERSON_FLOOR (LONE_FLOOR for a lone word); below, it becomes a character or is
    dropped, whichever is likelier.
    Losing a real person costs their facts too, so the floor is low: at 0.5, pooled CV person F1
    was barely higher (0.867 against 0.865), and an actor named once ("X plays Y", P 0.41) was lost.
    One tree feature is the score of a logistic model over the words around the name (`context.py`)."""

    CONTEXT_FEATURE = "ctx_person"

    def decide(self, features: dict[str, float], floor: float = PERSON_FLOOR) -> str | None:
        p = self.probabilities(features)
        if p.get("person", 0.0) >= floor:
            return "person"
        return "character" if p.get("character", 0.0) > p.get("none", 0.0) else None

    def select(self, doc, parsed, catalog, people: list[Mention], characters: list[Mention],
               films: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """(people, characters) after the model's decisions on the names it judges."""
        if not self.init:
            return people, characters
        verdict = {g.key: self.decide(self.with_context(f, g.mentions, parsed),
                                      PERSON_FLOOR if " " in g.key else LONE_FLOOR)
                   for g, f in judged_groups(doc, parsed, catalog, people, characters, films)}
        kept_people, more_characters = [], []
        for m in people:
            key = fold(m.full_name)
            kind = verdict.get(key, "person")
            if kind == "person":
                if " " not in key and key in verdict:  # a lone name the model accepts: linking keeps it
                    m = replace(m, cue=KEPT_BY_MODEL)
                kept_people.append(m)
            elif kind == "character":
                more_characters.append(Mention(m.start, m.end, m.text, "character", cue=m.cue))
        return kept_people, characters + more_characters


def judged_groups(doc, parsed, catalog, people: list[Mention], characters: list[Mention], films: list[Mention]):
    """(name group, features) for every name of the document the model decides."""
    from ..extract.people_features import featurize, group_names

    groups = group_names(people, characters)
    film_keys = {fold(m.text) for m in films}
    emphasis = doc.emphasis_starts
    return [(g, featurize(g, groups, doc.clean, parsed, catalog, film_keys, emphasis))
            for g in groups if judged(g, groups)]


def judged(group, groups) -> bool:
    """The names the model decides, typed person by the rules: two or more words, or one word
    that is part of no longer name in the document ("Spielberg" alone, "Amy" the character)."""
    if not any(m.type == "person" for m in group.mentions):
        return False
    words = group.key.split()
    return len(words) >= 2 or not any(len(g.key.split()) >= 2 and words[0] in g.key.split() for g in groups)


MODEL = PeopleModel


def label(name: str, gold: dict[str, Any]) -> str:
    entities = gold.get("entities") or []
    persons = {tuple(fold(e["name"]).split()) for e in entities if e.get("type") == "person" and e.get("name")}
    if any(e.get("type") == "person" and person_match(e.get("name"), name, persons) for e in entities):
        return "person"
    key = fold(name)
    if any(e.get("type") == "character" and fold(e.get("name")) == key for e in entities):
        return "character"
    return "none"


def examples(articles: list, catalog, models=None) -> list[tuple[str, dict[str, float], dict[str, float], str]]:
    """(article id, features, context words, label) for every name the model decides."""
    from ..extract.people_features import context_words
    from ..extract.recognise import rule_candidates

    titles = getattr(models, "titles", None)
    rows = []
    for a in articles:
        candidates, kept, people, characters = rule_candidates(a.doc, a.parsed, catalog)
        films = kept if titles is None else titles.select(a.doc, a.parsed, catalog, candidates, kept, people, characters)
        rows += [(a.id, f, context_words(g.mentions, a.parsed), label(g.name, a.gold))
                 for g, f in judged_groups(a.doc, a.parsed, catalog, people, characters, films)]
    return rows


def fit(articles: list, catalog, models=None) -> PeopleModel:
    rows = examples(articles, catalog, models)
    scored = context.out_of_fold(rows, "person", PeopleModel.CONTEXT_FEATURE)
    model = _fit([(f, y) for _, f, y in scored], trees=TREES, depth=DEPTH)
    return PeopleModel(model.init, model.trees, model.rate,
                       context=context.fit([(w, y == "person") for _, _, w, y in rows]))
