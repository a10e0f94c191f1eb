"""Film titles: writers' cues, catalog titles in title case, and their confirmation."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..analyse import doc_text
from ..catalog import Catalog
from ..names import fold
from ..types import Document, Mention
from . import patterns as P
from .people import first_names

PLACE_OR_NUMBER = frozenset("GPE LOC NORP DATE TIME MONEY PERCENT CARDINAL ORDINAL QUANTITY".split())
PRONOUNS = frozenset("this that these those it he she they which who".split())  # "No! This is a movie"
STRONG_CUES = ("year-possessive", "year-paren", "year-noun", "emphasis", "possessive-noun", "possessive", "rating")


def cued_films(doc: Document, catalog: Catalog, org_names: frozenset[str] = frozenset()) -> list[Mention]:
    """Titles marked by the writer: italics, years, film nouns, sequel numbers, quotes,
    and a title that owns an actor ("Hereditary's Toni Collette", confirmed later)."""
    text = doc.clean
    out: list[Mention] = []
    for m in P.STUDIO_OWNS_TITLE.finditer(text):  # "Sony's The Broken Heart's Gallery"
        title = P.trim_title(m.group("title"))
        owner = m.group("owner")
        if catalog.has_title(fold(text[m.start("owner"):m.start("title") + len(title)])):
            continue  # "Ryan's Daughter" is one title
        if (owner in org_names or catalog.is_known_studio(owner)) and title and not catalog.is_known_studio(title) \
                and not catalog.is_known_person(title):
            out.append(Mention(m.start("title"), m.start("title") + len(title), title, "film", cue="possessive-noun"))
    for m in P.FILM_OWNS_PERSON.finditer(text):
        title = P.trim_title(m.group("title"))
        if title and not P.is_generic_phrase(title):
            out.append(Mention(m.start("title"), m.start("title") + len(title), title, "film", cue="owns-person"))
    for start, end in doc.emphasis:
        title = P.trim_title(text[start:end])
        if P.OUTLET_BEFORE.search(text[max(0, start - 30):start]):
            continue  # "told _Sight and Sound_": an italicised publication
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
            if not title or P.is_generic_phrase(title) or title.isdigit() or title.split()[-1].lower() in PRONOUNS:
                continue
            s = m.start("title")
            owned = re.match(r"^[A-Z][\w&.-]*(?: [A-Z][\w&.-]*)?'s? (?=[A-Z])", title)
            if owned and not catalog.has_title(fold(title)):  # "Universal's The Hollow Crown": the owner is no part of it
                s, title = s + owned.end(), title[owned.end():]
            year = int(m.group("year")) if "year" in m.groupdict() and m.group("year") else None
            kind = "series" if cue == "franchise" else "film"
            out.append(Mention(s, s + len(title), title, kind, year=year, cue=cue))
    return out


def catalog_films(parsed: Doc, catalog: Catalog) -> list[Mention]:
    """Longest catalog titles in title case, sentence by sentence (prefix-pruned lookups)."""
    out: list[Mention] = []
    text = doc_text(parsed)
    for sent in parsed.sents:
        words = [t for t in sent if not t.is_space and fold(t.text)]
        folded = [fold(t.text) for t in words]
        taken_until = -1
        for start, end, _ in sorted(catalog.iter_title_matches(folded), key=lambda m: (m[0], -m[1])):
            if start <= taken_until:
                continue
            span = words[start:end]
            after = parsed[span[-1].i + 1] if span[-1].i + 1 < len(parsed) else None
            if not _title_case(span) or (after is not None and after.is_alpha and P.title_token(after.text)):
                continue  # "American" of "American Utopia" is not a title by itself
            if start > 0 and words[start - 1].text in ("The", "A", "An") and folded[start - 1] in ("the", "a", "an"):
                span = [words[start - 1], *span]
            begin, finish = span[0].idx, span[-1].idx + len(span[-1].text)
            longer = P.TITLE_CONTINUES.match(text, finish) if len(span) > 1 else None
            if longer:  # "A Touch" of "A Touch of Sin": the whole title-case run is the title
                full = P.TITLE_RX.match(text, begin)
                if full and full.end() > finish:
                    finish = begin + len(P.trim_title(full.group(0)))
            out.append(Mention(begin, finish, text[begin:finish], "film", cue="catalog"))
            taken_until = end - 1
    return out


def _title_case(tokens) -> bool:
    if not (P.title_token(tokens[0].text) and P.title_token(tokens[-1].text)):
        return False
    return all(P.title_token(t.text) or t.lower_ in P.TITLE_JOINERS or t.is_punct for t in tokens)


def confirm_films(candidates: list[Mention], text: str, parsed: Doc, people: list[Mention],
                   catalog: Catalog) -> list[Mention]:
    """Keep cued titles. A catalog title counts when it is a distinctive phrase, or when the
    document confirms it: film context, the film's cast or crew named, or a list shared with
    a confirmed film. Never inside a person's name."""
    credible = [p for p in people if _credible_person(p, people, catalog)]
    person_names = {fold(p.text) for p in credible}
    person_words = {w for name in person_names if " " in name for w in name.split()}
    headline_end = _headline_end(text)
    person_spans = [(p.start, p.end) for p in people]
    other_ents = [(e.start_char, e.end_char) for e in parsed.ents if e.label_ not in ("PERSON", "WORK_OF_ART")]
    kept: list[Mention] = []
    pending: list[Mention] = []
    candidates = [_after_owner(text, m, people) for m in candidates]
    for m in candidates:
        key = fold(m.text)
        overlaps_person = any(p.start < m.end and m.start < p.end for p in credible)
        if m.cue == "owns-person" and not any(p.start in (m.end + 2, m.end + 3) and " " in p.text for p in people):
            continue  # only "Title's Firstname Lastname" reads as a credit
        surname = len(key.split()) == 1 and key in person_words
        if m.start < headline_end and m.cue not in ("year-possessive", "year-paren", "emphasis", "rating", "quoted"):
            continue  # every word of a headline is capitalised: only explicit title marks count there
        if m.cue not in ("catalog", "quoted", "owns-person"):
            if m.cue in ("year-possessive", "year-paren", "emphasis") or \
                    (m.cue in STRONG_CUES or not (key in person_names or overlaps_person)) and not surname:
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
                or (m.cue in ("quoted", "owns-person") and catalog.has_title(key)) or _has_film_context(text, m, strong_only=ordinary):
            kept.append(m)
        else:
            pending.append(m)
    confirmed = {fold(m.text) for m in kept}
    for m in pending:
        if fold(m.text) in confirmed or _listed_with(text, m, kept):
            kept.append(m)
    kept = [_extend_sequel(text, m) for m in kept]
    # a list item blocks only as a known person, a surname or a place/number (NER often tags titles ORG/PERSON)
    list_blockers = [(p.start, p.end) for p in people if catalog.is_known_person(p.text) or p.cue == "surname"]
    list_blockers += [(e.start_char, e.end_char) for e in parsed.ents if e.label_ in PLACE_OR_NUMBER
                      or e.label_ == "ORG" and catalog.is_known_studio(e.text)]
    weak_people = [(p.start, p.end) for p in people if " " in p.text]
    kept += _coordinated_titles(text, kept, list_blockers, catalog, weak_people)
    titles = {fold(m.text) for m in kept}
    blocking = [(p.start, p.end) for p in people
                if p.cue == "surname" or " " in p.text and fold(p.text) not in titles]  # NER may tag a title as a name
    return kept + _propagate(text, titles, kept, blocking)


def _coordinated_titles(text: str, films: list[Mention], blocked: list[tuple[int, int]],
                        catalog: Catalog, weak_people: list[tuple[int, int]] = ()) -> list[Mention]:
    """Title-case items listed with an accepted film ("X, Y and Z") are films too."""
    out: list[Mention] = []
    taken = blocked + [(m.start, m.end) for m in films]

    def add(start: int, title: str, joiner: str) -> Mention | None:
        end = start + len(title)
        if not title or P.is_generic_phrase(title) or title.endswith(("'s", "'")) or text[end:end + 1] == "'" \
                or catalog.is_known_studio(title) or any(s < end and start < e for s, e in taken):
            return None
        if joiner.strip() == "," and any(s <= start and end <= e for s, e in weak_people) \
                and not P.LIST_NEXT.match(text, end):
            return None  # "X, Winston Groom was...": an apposition, not a list
        found = Mention(start, end, title, "film", cue="listed")
        taken.append((start, end))
        out.append(found)
        return found

    for m in list(films):
        cursor = m
        while cursor is not None:
            nxt = P.LIST_NEXT.match(text, cursor.end)
            cursor = add(nxt.start("t"), P.trim_title(nxt.group("t")), text[cursor.end:nxt.start("t")]) if nxt else None
        cursor = m
        while cursor is not None:
            prev = P.LIST_PREV.search(text[max(0, cursor.start - 80):cursor.start])
            if not prev:
                break
            base = max(0, cursor.start - 80)
            cursor = add(base + prev.start("t"), P.trim_title(prev.group("t")), prev.group(0)[len(prev.group("t")):])
    return out


_SEQUEL_NUMBER = re.compile(r"^ (?:[2-9]|II|III|IV|VI?|Part (?:II|III|IV|[2-9]|Two|Three))\b(?!\s*(?:million|billion|bn|m\b|%|years?|of|percent))")


def _credible_person(p: Mention, people: list[Mention], catalog: Catalog) -> bool:
    """A person mention strong enough to veto a title cue: known to the catalog, a multi-word
    name opening with a common given name, or the surname of such a person."""
    def credible(name: str) -> bool:
        words = fold(name).split()
        return catalog.is_known_person(name) or (len(words) > 1 and words[0] in first_names(catalog))

    if p.cue == "surname":
        return any(credible(q.text) for q in people if q.cue != "surname" and q.text.endswith(" " + p.text))
    return credible(p.text)


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
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", first) if w.lower() not in P.TITLE_JOINERS]
    if len(words) >= 4 and not first.rstrip().endswith(".") and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
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
    """Every other mention of an accepted title is a film mention too (longest titles first),
    except inside names of people ("Fox" in "Megan Fox", or "Fox" alone where it is her surname)."""
    taken = [(m.start, m.end) for m in have] + blocked
    out: list[Mention] = []
    for m in sorted({fold(m.text): m for m in have}.values(), key=lambda m: -len(m.text)):
        for start in _occurrences(text, m.text):
            end = start + len(m.text)
            if any(s < end and start < e for s, e in taken):
                continue
            found = _extend_sequel(text, Mention(start, end, m.text, m.type, cue="repeat"))
            taken.append((found.start, found.end))
            out.append(found)
    return out


def _occurrences(text: str, title: str):
    """Starts of `title` in `text` as whole words (no regex compiled per title)."""
    at = text.find(title)
    while at >= 0:
        end = at + len(title)
        before = text[at - 1] if at else " "
        if not (before.isalnum() or before in "_'") and not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
            yield at
        at = text.find(title, at + 1)


_TITLE_HEAD = re.compile(r"(?<![\w'])[A-Z][\w'&.-]*(?: (?:of|the|and|a|an|in|on|&|[A-Z][\w'&.-]*)){0,3}: $")
_LABEL_WORDS = re.compile(r"\b(?:Best|Picture|Actor|Actress|Director|Directing|Screenplay|Verdict|Review|Rating|Runtime|"
                          r"Released|Release|Starring|Cast|Category|Winner|Nominees?|Prediction|Update|Watch|Exclusive)\b")


def with_title_heads(text: str, films: list[Mention]) -> list[Mention]:
    """A film named right after "<Title-case words>: " is that title's subtitle ("The Boss Baby:
    Back in Business"), unless the words open the line or read as a label ("Verdict: X",
    "Best Picture: X"). Films inside a lengthened title give way to it."""
    out = []
    for m in films:
        window = text[max(0, m.start - 60):m.start]
        head = _TITLE_HEAD.search(window)
        if head and m.type == "film":
            start = m.start - len(window) + head.start()
            if text[text.rfind("\n", 0, start) + 1:start].strip() and not _LABEL_WORDS.search(head.group(0)):
                m = Mention(start, m.end, text[start:m.end], m.type, year=m.year, cue=m.cue)
        out.append(m)
    longer = [(m.start, m.end) for m, old in zip(out, films) if m.start != old.start]
    return [m for m in out if not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in longer)]


def propagate_titles(text: str, films: list[Mention], people: list[Mention]) -> list[Mention]:
    """Other mentions of accepted titles (for the learned title stage), outside people's names."""
    titles = {fold(m.text) for m in films}
    blocking = [(p.start, p.end) for p in people if p.cue == "surname" or " " in p.text and fold(p.text) not in titles]
    return _propagate(text, titles, films, blocking)
