"""The learned people stage: is a full name the rules call a person really one?

NER and the catalog call many names people that the article uses as characters ("Carrie
White", "Daisy Buchanan") or that are titles and products. For every name of two or more words
that the rules type as a person, small gradient-boosted trees (the same trainer and plain-list
export as `titles.py`) choose person, character or neither from the features of
`extract/people_features.py`. Single words (surnames, first names, which linking attaches to
full names) and the rules' own characters are left as the rules have them.
"""
from __future__ import annotations

from typing import Any

from ..matching import person_match
from ..names import fold
from ..types import Mention
from .titles import TitleModel, _fit

LEARNS_FROM_ENTITIES = True  # labels come from entities alone (annotations/ lists characters too)
TREES, DEPTH = 80, 3  # smaller than the title trees: fewer examples (about 2,000 names)
PERSON_FLOOR = 0.3  # a name stays a person when the model gives it at least this probability


class PeopleModel(TitleModel):
    """Trees per class (none, person, character). A name the rules call a person stays one at
    P(person) >= PERSON_FLOOR; below, it becomes a character or is dropped, whichever is likelier.
    Losing a real person costs their facts too, so the floor is low: at 0.5, pooled CV person F1
    was barely higher (0.867 against 0.865), and an actor named once ("X plays Y", P 0.41) was lost."""

    def decide(self, features: dict[str, float]) -> str | None:
        p = self.probabilities(features)
        if p.get("person", 0.0) >= PERSON_FLOOR:
            return "person"
        return "character" if p.get("character", 0.0) > p.get("none", 0.0) else None

    def select(self, doc, parsed, catalog, people: list[Mention], characters: list[Mention],
               films: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """(people, characters) after the model's decisions on the names it judges."""
        from ..extract.people_features import featurize, group_names

        if not self.init:
            return people, characters
        groups = group_names(people, characters)
        film_keys = {fold(m.text) for m in films}
        verdict: dict[str, str | None] = {}
        for g in groups:
            if judged(g):
                verdict[g.key] = self.decide(featurize(g, groups, doc.clean, parsed, catalog, film_keys))
        kept_people, more_characters = [], []
        for m in people:
            kind = verdict.get(fold(m.full_name), "person")
            if kind == "person":
                kept_people.append(m)
            elif kind == "character":
                more_characters.append(Mention(m.start, m.end, m.text, "character", cue=m.cue))
        return kept_people, characters + more_characters


def judged(group) -> bool:
    """The names the model decides: two or more words, typed person by the rules."""
    return len(group.key.split()) >= 2 and any(m.type == "person" for m in group.mentions)


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


def examples(articles: list, catalog, models=None) -> list[tuple[dict[str, float], str]]:
    from ..extract.people_features import featurize, group_names
    from ..extract.recognise import rule_candidates

    titles = getattr(models, "titles", None)
    rows = []
    for a in articles:
        candidates, kept, people, characters = rule_candidates(a.doc, a.parsed, catalog)
        films = kept if titles is None else titles.select(a.doc, a.parsed, catalog, candidates, kept, people, characters)
        groups = group_names(people, characters)
        film_keys = {fold(m.text) for m in films}
        rows += [(featurize(g, groups, a.doc.clean, a.parsed, catalog, film_keys), label(g.name, a.gold))
                 for g in groups if judged(g)]
    return rows


def fit(articles: list, catalog, models=None) -> PeopleModel:
    model = _fit(examples(articles, catalog, models), trees=TREES, depth=DEPTH)
    return PeopleModel(model.init, model.trees, model.rate)
