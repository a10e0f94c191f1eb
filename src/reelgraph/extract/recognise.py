"""Recognise typed names: films, people, characters, organisations, outlets, events, awards.

Films are found from how writers mark titles (italics, years, possessives, "the film X",
sequel numbers) and from catalog titles in title case; ordinary-word titles ("Heat")
need film context somewhere in the document.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc

from ..catalog import Catalog
from ..names import fold
from ..types import Document, Mention
from . import patterns as P

_POSSESSIVE_SPLIT = re.compile(r"^(?P<owner>.+?)'s\s+(?P<owned>[A-Z].*)$")


def recognise(doc: Document, parsed: Doc, catalog: Catalog) -> list[Mention]:
    """All typed mentions of a document, non-overlapping, in text order."""
    text = doc.clean
    found: list[Mention] = []
    found += _events_and_awards(text)
    found += _publications(text)
    films = _cued_films(doc) + _catalog_films(parsed, catalog)
    people, characters, possessive_films = _people(parsed, catalog)
    found += characters + people
    found += _confirm_films(films + possessive_films, text, parsed, people, catalog)
    found += _organisations(parsed)
    return _resolve_overlaps(found)


# --- films -----------------------------------------------------------------------

def _cued_films(doc: Document) -> list[Mention]:
    """Titles marked by the writer: italics, years, film nouns, sequel numbers."""
    text = doc.clean
    out: list[Mention] = []
    for start, end in doc.emphasis:
        title = P.trim_title(text[start:end])
        if title and title[0].isupper() and len(title.split()) <= 12:
            s = start + text[start:end].find(title)
            out.append(Mention(s, s + len(title), title, "film", cue="emphasis"))
    for rx, cue in P.FILM_CUES:
        for m in rx.finditer(text):
            title = P.trim_title(m.group("title"))
            if not title or P.is_generic_phrase(title):
                continue
            s = m.start("title")
            year = int(m.group("year")) if "year" in m.groupdict() and m.group("year") else None
            kind = "series" if cue == "franchise" else "film"
            out.append(Mention(s, s + len(title), title, kind, year=year, cue=cue))
    return out


def _catalog_films(parsed: Doc, catalog: Catalog) -> list[Mention]:
    """Longest catalog titles in title case, sentence by sentence (prefix-pruned lookups)."""
    out: list[Mention] = []
    for sent in parsed.sents:
        words = [t for t in sent if not t.is_space and fold(t.text)]
        folded = [fold(t.text) for t in words]
        taken_until = -1
        for start, end, _ in sorted(catalog.iter_title_matches(folded), key=lambda m: (m[0], -m[1])):
            if start <= taken_until:
                continue
            span = words[start:end]
            if not _title_case(span):
                continue
            if start > 0 and words[start - 1].text in ("The", "A", "An") and folded[start - 1] in ("the", "a", "an"):
                span = [words[start - 1], *span]
            begin, finish = span[0].idx, span[-1].idx + len(span[-1].text)
            out.append(Mention(begin, finish, parsed.text[begin:finish], "film", cue="catalog"))
            taken_until = end - 1
    return out


def _title_case(tokens) -> bool:
    if not (P.title_token(tokens[0].text) and P.title_token(tokens[-1].text)):
        return False
    return all(P.title_token(t.text) or t.lower_ in P.TITLE_JOINERS or t.is_punct for t in tokens)


def _confirm_films(candidates: list[Mention], text: str, parsed: Doc, people: list[Mention],
                   catalog: Catalog) -> list[Mention]:
    """Keep cued titles. A catalog title counts when it is a distinctive phrase, or when the
    document confirms it: film context, the film's cast or crew named, or a list shared with
    a confirmed film. Never inside a person's name."""
    person_names = {fold(p.text) for p in people}
    person_spans = [(p.start, p.end) for p in people]
    other_ents = [(e.start_char, e.end_char) for e in parsed.ents if e.label_ not in ("PERSON", "WORK_OF_ART", "DATE", "CARDINAL")]
    kept: list[Mention] = []
    pending: list[Mention] = []
    for m in candidates:
        key = fold(m.text)
        if m.cue != "catalog":
            if key not in person_names or m.cue in ("year-possessive", "year-paren", "emphasis"):
                kept.append(m)
            continue
        if any(s <= m.start and m.end <= e for s, e in person_spans) or key in person_names:
            continue
        distinctive = not catalog.common_word_title(m.text) and len(key.split()) > 1 \
            and not any(s <= m.start and m.end <= e for s, e in other_ents)
        if distinctive or _has_film_context(text, m) or _catalog_people_overlap(m.text, person_names, catalog):
            kept.append(m)
        else:
            pending.append(m)
    confirmed = {fold(m.text) for m in kept}
    for m in pending:
        if fold(m.text) in confirmed or _listed_with(text, m, kept):
            kept.append(m)
    kept = [_extend_sequel(text, m) for m in kept]
    return kept + _propagate(text, {fold(m.text) for m in kept}, kept)


_SEQUEL_NUMBER = re.compile(r"^ (?:[2-9]|II|III|IV|VI?|Part (?:II|III|IV|[2-9]|Two|Three))\b(?!\s*(?:million|billion|bn|m\b|%|years?|of|percent))")


def _extend_sequel(text: str, m: Mention) -> Mention:
    """"Heat" followed by " 2" is the film "Heat 2"."""
    hit = _SEQUEL_NUMBER.match(text[m.end:m.end + 16])
    if not hit:
        return m
    end = m.end + hit.end()
    return Mention(m.start, end, text[m.start:end], m.type, year=None, cue=m.cue)


def _listed_with(text: str, m: Mention, films: list[Mention]) -> bool:
    """A title in a coordination ("X and Y", "X, Y") with an accepted film."""
    for f in films:
        lo, hi = (f.end, m.start) if f.end <= m.start else (m.end, f.start)
        if 0 <= hi - lo <= 6 and re.fullmatch(r"\s*(?:,|and|or|&|, and)\s*", text[lo:hi]):
            return True
    return False


def _has_film_context(text: str, m: Mention) -> bool:
    before = text[max(0, m.start - 40):m.start]
    after = text[m.end:m.end + 40]
    return bool(P.FILM_CONTEXT_BEFORE.search(before) or P.FILM_CONTEXT_AFTER.match(after))


def _catalog_people_overlap(title: str, person_names: set[str], catalog: Catalog) -> bool:
    for film in catalog.films_titled(title):
        crew = {fold(x) for x in (*film.cast, *film.directors, *film.writers)}
        if len(crew & person_names) >= 1:
            return True
    return False


def _propagate(text: str, titles: set[str], have: list[Mention]) -> list[Mention]:
    """Every other mention of an accepted title is a film mention too (longest titles first)."""
    taken = [(m.start, m.end) for m in have]
    out: list[Mention] = []
    for m in sorted({fold(m.text): m for m in have}.values(), key=lambda m: -len(m.text)):
        rx = re.compile(r"(?<![\w'])" + re.escape(m.text) + r"(?![\w])")
        for hit in rx.finditer(text):
            if any(s < hit.end() and hit.start() < e for s, e in taken):
                continue
            found = _extend_sequel(text, Mention(hit.start(), hit.end(), m.text, m.type, cue="repeat"))
            taken.append((found.start, found.end))
            out.append(found)
    return out


# --- people and characters --------------------------------------------------------

def _people(parsed: Doc, catalog: Catalog) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """PERSON entities split at possessives; "X's Y" makes Y a film or a character."""
    people: list[Mention] = []
    characters: list[Mention] = []
    films: list[Mention] = []
    for ent in parsed.ents:
        if ent.label_ not in ("PERSON", "ORG", "WORK_OF_ART", "GPE", "NORP"):
            continue
        start, raw = ent.start_char, ent.text
        m = _POSSESSIVE_SPLIT.match(raw)
        if m and ent.label_ == "PERSON":
            owner, owned = m.group("owner"), P.trim_title(m.group("owned"))
            o_start = start + m.start("owned")
            people.append(Mention(start, start + len(owner), owner, "person", cue="ner"))
            kind = "film" if catalog.has_title(fold(owned)) else "character"
            target = films if kind == "film" else characters
            target.append(Mention(o_start, o_start + len(owned), owned, kind, cue="possessive"))
            continue
        name = P.clean_person(raw)
        if not name:
            continue
        s = start + raw.find(name)
        if ent.label_ == "PERSON" or (len(name.split()) >= 2 and catalog.is_known_person(name)):
            people.append(Mention(s, s + len(name), name, "person", cue="ner"))
    people += _catalog_people(parsed, catalog, people)
    people, owned = _possessed_people(parsed.text, people, catalog)
    characters += owned + _role_characters(parsed.text, people)
    char_keys = {fold(c.text) for c in characters}
    real = {fold(m.group("name")) for m in P.REAL_PERSON.finditer(parsed.text)}
    people = [p for p in people if fold(p.text) not in char_keys or fold(p.text) in real]
    return people, characters, films


def _possessed_people(text: str, people: list[Mention], catalog: Catalog) -> tuple[list[Mention], list[Mention]]:
    """In "X's Y" with both names tagged as people, Y is X's character unless Y is a known actor."""
    people = sorted(people, key=lambda m: m.start)
    characters, kept = [], []
    for i, m in enumerate(people):
        prev = people[i - 1] if i else None
        if prev and re.fullmatch(r"'s? ", text[prev.end:m.start]) and not catalog.is_known_person(m.text) \
                and len(m.text.split()) >= 1:
            characters.append(Mention(m.start, m.end, m.text, "character", cue="possessive"))
        else:
            kept.append(m)
    return kept, characters


def _catalog_people(parsed: Doc, catalog: Catalog, have: list[Mention]) -> list[Mention]:
    """Two- and three-word names the catalog knows as actors or crew, missed by NER."""
    taken = [(m.start, m.end) for m in have]
    out = []
    for m in P.NAME_RUN.finditer(parsed.text):
        name = m.group(0)
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if catalog.is_known_person(name):
            out.append(Mention(m.start(), m.end(), name, "person", cue="catalog"))
    return out


def _role_characters(text: str, people: list[Mention]) -> list[Mention]:
    """Names in a role position next to a person: "X as Y", "Y (X)", "Y, played by X"."""
    out = []
    person_at = {p.start: p for p in people}
    person_end = {p.end: p for p in people}
    for rx in P.CHARACTER_AFTER_PERSON:
        for m in rx.finditer(text):
            if m.start("person") in person_at or m.end("person") in person_end:
                out.append(Mention(m.start("char"), m.end("char"), m.group("char"), "character", cue="role"))
    for rx in P.CHARACTER_BEFORE_PERSON:
        for m in rx.finditer(text):
            if m.start("person") in person_at:
                out.append(Mention(m.start("char"), m.end("char"), m.group("char"), "character", cue="role"))
    return out


# --- organisations, outlets, events, awards ----------------------------------------

def _organisations(parsed: Doc) -> list[Mention]:
    out = []
    for ent in parsed.ents:
        if ent.label_ == "ORG":
            name = P.clean_org(ent.text)
            if name:
                s = ent.start_char + ent.text.find(name)
                out.append(Mention(s, s + len(name), name, "organization", cue="ner"))
    return out


def _publications(text: str) -> list[Mention]:
    out = []
    for m in P.OUTLET_CUES.finditer(text):
        name = P.trim_title(m.group("outlet"))
        if name:
            s = m.start("outlet")
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
_CUE_RANK = {"year-possessive": 0, "year-paren": 0, "emphasis": 1, "role": 1, "possessive": 1}


def _resolve_overlaps(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep one mention per stretch of text: stronger cues and longer spans first."""
    ranked = sorted(mentions, key=lambda m: (_CUE_RANK.get(m.cue, 5), _PRIORITY.get(m.type, 9), -(m.end - m.start)))
    kept: list[Mention] = []
    for m in ranked:
        if any(k.start < m.end and m.start < k.end for k in kept):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: m.start)
