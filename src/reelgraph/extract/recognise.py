"""Recognise typed names: films, people, characters, organisations, outlets, events, awards.

Films are found from how writers mark titles (italics, years, possessives, "the film X",
sequel numbers) and from catalog titles in title case; ordinary-word titles ("Heat")
need film context somewhere in the document.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Doc

from ..catalog import Catalog
from ..names import fold
from ..types import Document, Mention
from . import patterns as P

STRONG_CUES = ("year-possessive", "year-paren", "emphasis", "possessive-noun", "possessive")
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
    found += _organisations(parsed, catalog, people)
    return _resolve_overlaps(found)


# --- films -----------------------------------------------------------------------

def _cued_films(doc: Document) -> list[Mention]:
    """Titles marked by the writer: italics, years, film nouns, sequel numbers."""
    text = doc.clean
    out: list[Mention] = []
    for start, end in doc.emphasis:
        title = P.trim_title(text[start:end])
        if title and len(title.split()) <= 10 and P.TITLE_RX.fullmatch(title):
            s = start + text[start:end].find(title)
            out.append(Mention(s, s + len(title), title, "film", cue="emphasis"))
    for m in P.QUOTED_TITLE.finditer(text):
        title = P.trim_title(m.group("title"))
        if title and len(title.split()) <= 8:
            out.append(Mention(m.start("title"), m.start("title") + len(title), title, "film", cue="quoted"))
    for rx, cue in P.FILM_CUES:
        for m in rx.finditer(text):
            title = P.trim_title(m.group("title"))
            if not title or P.is_generic_phrase(title) or title.isdigit():
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
            if not _title_case(span) or (end < len(words) and P.title_token(words[end].text) and words[end].is_alpha):
                continue  # "American" of "American Utopia" is not a title by itself
            if start > 0 and words[start - 1].text in ("The", "A", "An") and folded[start - 1] in ("the", "a", "an"):
                span = [words[start - 1], *span]
            begin, finish = span[0].idx, span[-1].idx + len(span[-1].text)
            longer = P.TITLE_CONTINUES.match(parsed.text, finish) if len(span) > 1 else None
            if longer:  # "A Touch" of "A Touch of Sin": the whole title-case run is the title
                full = P.TITLE_RX.match(parsed.text, begin)
                if full and full.end() > finish:
                    finish = begin + len(P.trim_title(full.group(0)))
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
    person_names = {fold(p.text) for p in people if " " in p.text or catalog.is_known_person(p.text)}
    person_words = {w for name in person_names if " " in name for w in name.split()}
    headline_end = _headline_end(text)
    person_spans = [(p.start, p.end) for p in people]
    other_ents = [(e.start_char, e.end_char) for e in parsed.ents if e.label_ not in ("PERSON", "WORK_OF_ART")]
    kept: list[Mention] = []
    pending: list[Mention] = []
    candidates = [_after_owner(text, m, people) for m in candidates]
    for m in candidates:
        key = fold(m.text)
        overlaps_person = any(p.start < m.end and m.start < p.end for p in people
                              if " " in p.text or catalog.is_known_person(p.text))
        if m.cue not in ("catalog", "quoted"):
            if m.cue in STRONG_CUES or not (key in person_names or overlaps_person):
                kept.append(m)
            continue
        if any(s <= m.start and m.end <= e and e - s > m.end - m.start for s, e in person_spans):
            continue  # "Val" inside "Val Kilmer"
        if P.is_generic_phrase(m.text) or key.isdigit() or (len(key.split()) == 1 and key in person_words) \
                or m.start < headline_end:
            continue  # "She", or "Fox" where Megan Fox is in the article
        if key in person_names and catalog.is_known_person(m.text):
            continue
        distinctive = m.cue == "catalog" and not catalog.common_word_title(m.text) and len(key.split()) > 1 \
            and not any(s <= m.start and m.end <= e for s, e in other_ents)
        ordinary = catalog.common_word_title(m.text) or any(s <= m.start and m.end <= e for s, e in other_ents)
        if distinctive or _catalog_people_overlap(m.text, person_names, catalog) \
                or (m.cue == "quoted" and catalog.has_title(key)) or _has_film_context(text, m, strong_only=ordinary):
            kept.append(m)
        else:
            pending.append(m)
    confirmed = {fold(m.text) for m in kept}
    for m in pending:
        if fold(m.text) in confirmed or _listed_with(text, m, kept):
            kept.append(m)
    kept = [_extend_sequel(text, m) for m in kept]
    kept += _coordinated_titles(text, kept, person_spans + other_ents, catalog)
    return kept + _propagate(text, {fold(m.text) for m in kept}, kept, person_spans)


def _coordinated_titles(text: str, films: list[Mention], blocked: list[tuple[int, int]],
                        catalog: Catalog) -> list[Mention]:
    """Title-case items listed with an accepted film ("X, Y and Z") are films too."""
    out: list[Mention] = []
    taken = blocked + [(m.start, m.end) for m in films]

    def add(start: int, title: str) -> Mention | None:
        end = start + len(title)
        if not title or P.is_generic_phrase(title) or title.endswith(("'s", "'")) or text[end:end + 1] == "'" \
                or catalog.is_known_studio(title) or any(s < end and start < e for s, e in taken):
            return None
        found = Mention(start, end, title, "film", cue="listed")
        taken.append((start, end))
        out.append(found)
        return found

    for m in list(films):
        cursor = m
        while cursor is not None:
            nxt = P.LIST_NEXT.match(text, cursor.end)
            cursor = add(nxt.start("t"), P.trim_title(nxt.group("t"))) if nxt else None
        cursor = m
        while cursor is not None:
            prev = P.LIST_PREV.search(text[max(0, cursor.start - 80):cursor.start])
            if not prev:
                break
            base = max(0, cursor.start - 80)
            cursor = add(base + prev.start("t"), P.trim_title(prev.group("t")))
    return out


_SEQUEL_NUMBER = re.compile(r"^ (?:[2-9]|II|III|IV|VI?|Part (?:II|III|IV|[2-9]|Two|Three))\b(?!\s*(?:million|billion|bn|m\b|%|years?|of|percent))")


def _after_owner(text: str, m: Mention, people: list[Mention]) -> Mention:
    """"Ridley Scott's Alien (1979)" grabbed whole by a cue: the title starts after the owner."""
    for p in people:
        if p.start == m.start and p.end < m.end and text[p.end:p.end + 3] in ("'s ", "' "):
            start = p.end + (3 if text[p.end + 1] == "s" else 2)
            return Mention(start, m.end, text[start:m.end], m.type, year=m.year, cue=m.cue)
    return m


def _headline_end(text: str) -> int:
    """End of a title-case first line (a headline, where every word is capitalised anyway)."""
    first = text.split("\n", 1)[0]
    words = re.findall(r"[A-Za-z][\w'-]*", first)
    if len(words) >= 5 and not first.rstrip().endswith(".") and \
            sum(w[0].isupper() for w in words if w.lower() not in P.TITLE_JOINERS) >= 0.8 * len(words):
        return len(first)
    return 0


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


def _has_film_context(text: str, m: Mention, strong_only: bool = False) -> bool:
    """Film words around a title; ordinary-word titles need them before the title."""
    before = text[max(0, m.start - 40):m.start]
    after = text[m.end:m.end + 40]
    return bool(P.FILM_CONTEXT_BEFORE.search(before) or P.FILM_CONTEXT_AFTER_STRONG.match(after)
                or not strong_only and P.FILM_CONTEXT_AFTER.match(after))


def _catalog_people_overlap(title: str, person_names: set[str], catalog: Catalog) -> bool:
    for film in catalog.films_titled(title):
        crew = {fold(x) for x in (*film.cast, *film.directors, *film.writers)}
        if len(crew & person_names) >= 1:
            return True
    return False


def _propagate(text: str, titles: set[str], have: list[Mention], blocked: list[tuple[int, int]]) -> list[Mention]:
    """Every other mention of an accepted title is a film mention too (longest titles first)."""
    taken = [(m.start, m.end) for m in have] + blocked
    out: list[Mention] = []
    for m in sorted({fold(m.text): m for m in have}.values(), key=lambda m: -len(m.text)):
        rx = re.compile(r"(?<![\w'])" + re.escape(m.text) + r"(?![\w])")
        for hit in rx.finditer(text):
            if any(s < hit.end() and hit.start() < e for s, e in taken if (s, e) != hit.span() or (s, e) not in blocked):
                continue
            found = _extend_sequel(text, Mention(hit.start(), hit.end(), m.text, m.type, cue="repeat"))
            taken.append((found.start, found.end))
            out.append(found)
    return out


# --- people and characters --------------------------------------------------------

def _people(parsed: Doc, catalog: Catalog) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """People from NER and the catalog; "X's Y" then makes Y a film or X's character."""
    people: list[Mention] = []
    other_ents = []
    for ent in parsed.ents:
        start, raw = ent.start_char, ent.text
        split = _POSSESSIVE_SPLIT.match(raw)
        if split and ent.label_ == "PERSON":
            raw = split.group("owner")
        name = P.clean_person(raw)
        if not name:
            continue
        s = start + raw.find(name)
        if ent.label_ == "PERSON" or (len(name.split()) >= 2 and catalog.is_known_person(name)) \
                or (ent.label_ == "ORG" and _looks_like_person(name, catalog)):
            people.append(Mention(s, s + len(name), name, "person", cue="ner"))
        elif ent.label_ in ("GPE", "LOC", "FAC", "ORG", "NORP"):
            other_ents.append((ent.start_char, ent.end_char))
    people += _catalog_people(parsed, catalog, people + [Mention(a, b, "", "x") for a, b in other_ents])
    people += _given_name_people(parsed.text, people, other_ents, catalog)
    people += _short_names(parsed.text, people)
    people, characters, films = _possessions(parsed.text, people, catalog)
    characters += _role_characters(parsed.text, people)
    char_keys = {fold(c.text) for c in characters}
    real = {fold(m.group("name")) for m in P.REAL_PERSON.finditer(parsed.text)}
    people = [p for p in people if fold(p.text) not in char_keys or fold(p.text) in real]
    return people, characters, films


def _looks_like_person(name: str, catalog: Catalog) -> bool:
    """A two- or three-word name that opens with a common given name and is no known studio."""
    words = fold(name).split()
    return 2 <= len(words) <= 3 and words[0] in _first_names(catalog) and not catalog.is_known_studio(name) \
        and P.clean_person(name) == name


def _given_name_people(text: str, people: list[Mention], blocked: list[tuple[int, int]],
                       catalog: Catalog) -> list[Mention]:
    """"Chloe Zhao": a common given name followed by a capitalised surname, missed by NER."""
    first_names = _first_names(catalog)
    taken = [(p.start, p.end) for p in people] + blocked
    out = []
    for m in P.GIVEN_NAME_PAIR.finditer(text):
        given, family = m.group("given"), m.group("family")
        if fold(given) not in first_names or fold(family) in first_names or catalog.has_title(fold(m.group(0))):
            continue
        if any(s < m.end() and m.start() < e for s, e in taken) or P.clean_person(m.group(0)) != m.group(0):
            continue
        out.append(Mention(m.start(), m.end(), m.group(0), "person", cue="given-name"))
        taken.append(m.span())
    return out


def _short_names(text: str, people: list[Mention]) -> list[Mention]:
    """Surnames of people named in full elsewhere ("Fox" after "Megan Fox"), as person mentions."""
    taken = [(p.start, p.end) for p in people]
    out = []
    forms = set()
    for p in people:
        words = p.text.split()
        if len(words) >= 2:
            forms.add(words[-1])
            if len(words) >= 3 or words[-2][0].isupper() and words[-2] in ("De", "Del", "Van", "Von", "El", "Le", "La", "Di", "Da"):
                forms.add(" ".join(words[-2:]))
    for form in sorted(forms, key=len, reverse=True):
        if len(form) < 3 or not form[0].isupper():
            continue
        for hit in re.finditer(r"(?<![\w'-])" + re.escape(form) + r"(?![\w-])", text):
            if not any(s < hit.end() and hit.start() < e for s, e in taken):
                out.append(Mention(hit.start(), hit.end(), form, "person", cue="surname"))
                taken.append(hit.span())
    return out


def _possessions(text: str, people: list[Mention], catalog: Catalog) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """"X's Y" where X is a person: Y is a character when it reads as a person's name
    (a known first name, not a known actor), else a title ("Riz Ahmed's Mogul Mowgli");
    "X's <work noun> Y" is always a title ("McQueen's festival opener Mangrove")."""
    owners = {p.end: p for p in people}
    starts = {p.start: p for p in people}
    characters, films, demoted = [], [], set()
    first_names = _first_names(catalog)
    for m in P.POSSESSION.finditer(text):
        if m.start("apos") not in owners:
            continue
        title = P.trim_title(m.group("title"))
        if not title:
            continue
        t_start, t_end = m.start("title"), m.start("title") + len(title)
        key = fold(title)
        owner = owners[m.start("apos")]
        if P.OTHER_MEDIA_BEFORE.search(text[max(0, owner.start - 24):owner.start]):
            continue  # "the podcast X's Y" names a podcast, not a film
        whole = text[owner.start:t_end]
        if catalog.has_title(fold(whole)):  # "Jennifer's Body" is one title
            films.append(Mention(owner.start, t_end, whole, "film", cue="catalog"))
            demoted.add(owner.start)
            continue
        if catalog.is_known_person(title):
            continue
        if m.group("noun"):
            films.append(Mention(t_start, t_end, title, "film", cue="possessive-noun"))
        elif re.match(r",? (?:which|that)\b", text[t_end:t_end + 8]):
            films.append(Mention(t_start, t_end, title, "film", cue="possessive"))
            demoted.add(t_start)
        elif len(key.split()) <= 3 and not catalog.has_title(key) and (
                key.split()[0] in first_names or (t_start in starts and " " in key)):
            characters.append(Mention(t_start, t_end, title, "character", cue="possessive"))
            if t_start in starts:
                demoted.add(t_start)
        else:
            films.append(Mention(t_start, t_end, title, "film", cue="possessive"))
            if t_start in starts:
                demoted.add(t_start)
    return [p for p in people if p.start not in demoted], characters, films


@lru_cache(maxsize=1)
def _first_names_cached(catalog_id: int, names: frozenset[str]) -> frozenset[str]:
    counts = Counter(fold(n).split()[0] for n in names if " " in n)
    return frozenset(w for w, c in counts.items() if c >= 5)


def _first_names(catalog: Catalog) -> frozenset[str]:
    """Given names seen at least five times among the catalog's cast and crew."""
    return _first_names_cached(id(catalog), catalog.person_names())


def _catalog_people(parsed: Doc, catalog: Catalog, have: list[Mention]) -> list[Mention]:
    """Two- and three-word names the catalog knows as actors or crew, missed by NER."""
    taken = [(m.start, m.end) for m in have]
    out = []
    for start, end in _name_windows(parsed.text, P.NAME_RUN):
        name = parsed.text[start:end]
        if " " not in name or any(s < end and start < e for s, e in taken) or P.clean_person(name) != name:
            continue
        if catalog.is_known_person(name):
            out.append(Mention(start, end, name, "person", cue="catalog"))
            taken.append((start, end))
    return out


def _role_characters(text: str, people: list[Mention]) -> list[Mention]:
    """Names in a role position next to a person: "X as Y", "Y (X)", "Y, played by X"."""
    out = []
    person_at = {p.start: p for p in people}
    person_end = {p.end: p for p in people}
    for rx in P.CHARACTER_AFTER_PERSON:
        for m in rx.finditer(text):
            if m.start("person") in person_at or m.end("person") in person_end:
                out.append(_character(m))
    for rx in P.CHARACTER_BEFORE_PERSON:
        for m in rx.finditer(text):
            if m.start("person") in person_at:
                out.append(_character(m))
    return out


def _character(m: re.Match[str]) -> Mention:
    name = m.group("char").rstrip(".'")
    return Mention(m.start("char"), m.start("char") + len(name), name, "character", cue="role")


# --- organisations, outlets, events, awards ----------------------------------------

def _organisations(parsed: Doc, catalog: Catalog, people: list[Mention]) -> list[Mention]:
    """ORG entities (split at commas, minus people's surnames) and studios the catalog knows."""
    person_words = {w for p in people for w in fold(p.text).split()}
    out = []
    for ent in parsed.ents:
        if ent.label_ != "ORG":
            continue
        offset = ent.start_char
        for part in re.split(r"(,\s+)", ent.text):
            name = P.clean_org(part)
            if name and fold(name) not in person_words:
                s = offset + part.find(name)
                out.append(Mention(s, s + len(name), name, "organization", cue="ner"))
            offset += len(part)
    for start, end in _name_windows(parsed.text, P.ORG_RUN):
        name = parsed.text[start:end]
        if catalog.is_known_studio(name) and fold(name) not in person_words:
            out.append(Mention(start, end, name, "organization", cue="catalog"))
    return out


def _name_windows(text: str, run: re.Pattern[str]) -> list[tuple[int, int]]:
    """Every word window of each capitalised run, longest first, without overlaps."""
    found: list[tuple[int, int]] = []
    for m in run.finditer(text):
        words = [(w.start() + m.start(), w.end() + m.start()) for w in re.finditer(r"\S+", m.group(0))]
        windows = sorted(((i, j) for i in range(len(words)) for j in range(i, len(words))), key=lambda w: w[0] - w[1])
        for i, j in windows:
            found.append((words[i][0], words[j][1]))
    return found


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
_CUE_RANK = {"year-possessive": 0, "year-paren": 0, "emphasis": 1, "role": 1, "possessive": 1}


def _resolve_overlaps(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep one mention per stretch of text: stronger cues and longer spans first."""
    ranked = sorted(mentions, key=lambda m: (_CUE_RANK.get(m.cue, 5), -(m.end - m.start), _PRIORITY.get(m.type, 9)))
    kept: list[Mention] = []
    for m in ranked:
        if any(k.start < m.end and m.start < k.end for k in kept):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: m.start)
