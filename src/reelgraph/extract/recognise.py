"""Recognise typed names: films, people, characters, organisations, outlets, events, awards.

Films are found from how writers mark titles (italics, years, possessives, "the film X",
sequel numbers) and from catalog titles in title case; ordinary-word titles ("Heat")
need film context somewhere in the document.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc

from ..analyse import doc_text
from ..catalog import Catalog
from ..names import fold
from ..types import Document, Mention
from . import patterns as P
from .people import find_people, name_windows, not_a_person
from .titles import catalog_films, confirm_films, cued_films


def recognise(doc: Document, parsed: Doc, catalog: Catalog, titles=None, people_model=None) -> list[Mention]:
    """All typed mentions of a document, non-overlapping, in text order. With a learned
    title model (`learn/titles.py`), it decides which candidate titles are films or series."""
    text = doc.clean
    found: list[Mention] = []
    found += _events_and_awards(text)
    found += _publications(text)
    candidates, kept, people, characters = _rule_stage(doc, parsed, catalog)
    films = kept if titles is None else titles.select(doc, parsed, catalog, candidates, kept, people, characters)
    if people_model is not None:
        people, characters = people_model.select(doc, parsed, catalog, people, characters, films)
    found += characters + people
    found += films
    found += _organisations(parsed, catalog, people)
    found = _not_titles(found, films, catalog)
    return _resolve_overlaps(found)


def _not_titles(found: list[Mention], films: list[Mention], catalog: Catalog) -> list[Mention]:
    """A "person" spelt like a film accepted in this document ("Albert Nobbs") is that film's
    title, unless the catalog knows the name as a person."""
    titles = {fold(m.text) for m in films}
    return [m for m in found if m.type != "person" or fold(m.text) not in titles or catalog.is_known_person(m.text)]


def _rule_stage(doc: Document, parsed: Doc, catalog: Catalog):
    org_names = frozenset(e.text for e in parsed.ents if e.label_ == "ORG")
    films = cued_films(doc, catalog, org_names) + catalog_films(parsed, catalog)
    people, characters, possessive_films = find_people(parsed, catalog, doc.emphasis_starts)
    people = [p for p in people if not not_a_person(p.text)]
    candidates = films + possessive_films
    kept = confirm_films(candidates, doc.clean, parsed, people, catalog)
    return candidates, kept, people, characters


def rule_candidates(doc: Document, parsed: Doc, catalog: Catalog):
    """(title candidates, the rules' kept titles, people, characters) for the learned title stage."""
    return _rule_stage(doc, parsed, catalog)


# --- organisations, outlets, events, awards ----------------------------------------

def _organisations(parsed: Doc, catalog: Catalog, people: list[Mention]) -> list[Mention]:
    """ORG entities (split at commas, minus people's surnames) and studios the catalog knows."""
    person_words = {w for p in people for w in fold(p.text).split()}
    out = []
    for ent in parsed.ents:
        if ent.label_ != "ORG":
            continue
        offset = ent.start_char
        for part in re.split(r"(,\s+|/)", ent.text):  # "Disney/Fox" is two companies
            name = P.clean_org(part)
            if name and fold(name) not in person_words:
                s = offset + part.find(name)
                out.append(Mention(s, s + len(name), name, "organization", cue="ner"))
            offset += len(part)
    text = doc_text(parsed)
    for start, end in name_windows(text, P.ORG_RUN):
        name = text[start:end]
        if name.endswith("'s"):
            name, end = name[:-2], end - 2
        if " " not in name and catalog.common_word_title(name) and text[end:end + 2] != "'s":
            continue  # "With", "Focus": ordinary words that also name companies (unless they own something)
        if catalog.is_known_studio(name) and fold(name) not in person_words:
            out.append(Mention(start, end, name, "organization", cue="catalog"))
    not_companies = [(e.start_char, e.end_char) for e in parsed.ents if e.label_ in ("PERSON", "GPE", "NORP", "LOC", "DATE")]
    for m in P.OWNER_OF_WORK.finditer(text):  # "Pixar's animated adventure X": a film's owner that is no person or place
        name, start, end = m.group("owner"), m.start("owner"), m.end("owner")
        if fold(name) in person_words or catalog.is_known_person(name) or P.is_generic_phrase(name) \
                or any(s < end and start < e for s, e in not_companies):
            continue
        out.append(Mention(start, end, name, "organization", cue="owner"))
    return out


def _publications(text: str) -> list[Mention]:
    out = []
    for m in P.OUTLET_CUES.finditer(text):
        group = "outlet" if m.group("outlet") else "reporter"
        name = P.trim_title(m.group(group))
        if name and not P.is_generic_phrase(name):
            s = m.start(group)
            out.append(Mention(s, s + len(name), name, "publication", cue="outlet"))
    return out


def _events_and_awards(text: str) -> list[Mention]:
    out = []
    for m in P.FESTIVAL.finditer(text):
        year = m.group("year")
        name = m.group("name").strip()
        s = m.start("name")
        out.append(Mention(s, s + len(name), name, "event", year=int(year) if year else None, cue="festival"))
    for m in P.AWARD.finditer(text):
        out.append(Mention(m.start(), m.end(), m.group(0), "award", cue="award"))
    return out


_PRIORITY = {"event": 0, "award": 1, "publication": 2, "character": 3, "film": 4, "series": 4,
             "person": 5, "organization": 6}
_CUE_RANK = {"year-possessive": 0, "year-paren": 0, "emphasis": 1, "role": 1, "possessive": 1, "possessive-noun": 1,
             "festival": 4, "award": 4}  # a named festival or award beats a longer NER span around it


def _resolve_overlaps(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep one mention per stretch of text: stronger cues and longer spans first."""
    def cue_rank(m: Mention) -> int:  # a heading that gives a year states the whole title: "Rome, Open City (1945)"
        return 0 if m.cue == "header" and m.year else _CUE_RANK.get(m.cue, 5)

    ranked = sorted(mentions, key=lambda m: (cue_rank(m), -(m.end - m.start), _PRIORITY.get(m.type, 9)))
    kept: list[Mention] = []
    for m in ranked:
        if any(k.start < m.end and m.start < k.end for k in kept):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: m.start)
