"""Link stage: group mentions into entities with canonical names, years, catalog keys and ids.

- People: one canonical full name per document ("Mann" -> "Michael Mann").
- Films: one entity per title and year. The year is only one the text states; a confident
  catalog link adds its key and its year as `catalog_year`, which never becomes the output's year.
- Ids are stable across documents: the catalog key where linked, else type + name (+ year).
"""
from __future__ import annotations

import re
from collections import defaultdict

from .catalog import Catalog
from .names import fold, slug
from .types import KEPT_BY_MODEL, Document, Entity, Mention

LINK_THRESHOLD = 0.5


def link(doc: Document, mentions: list[Mention], catalog: Catalog) -> list[Entity]:
    """Cluster mentions into entities; sets `entity_id` on every mention that links."""
    not_people = {w for m in mentions if m.type == "character" for w in fold(m.text).split()}
    not_people |= {fold(m.text) for m in mentions if m.type in ("organization", "publication", "film", "series")}
    people = _link_people([m for m in mentions if m.type == "person"], catalog, doc.clean, not_people)
    characters = _link_by_name([m for m in mentions if m.type == "character"], "character", short_forms=True)
    films = _link_films([m for m in mentions if m.type in ("film", "series")], doc, people, catalog)
    others = []
    for kind in ("organization", "publication", "event", "award"):
        others += _link_by_name([m for m in mentions if m.type == kind], kind)
    return films + people + characters + others


def _tokens(name: str) -> list[str]:
    return fold(name).split()


def _link_people(mentions: list[Mention], catalog: Catalog, text: str, not_people: set[str]) -> list[Entity]:
    full: dict[str, Entity] = {}
    for m in sorted(mentions, key=lambda m: -len(_tokens(m.full_name))):
        toks = _tokens(m.full_name)
        if len(toks) < 2:
            continue
        key = " ".join(toks)
        target = full.get(key) or _unique(e for k, e in full.items() if k.endswith(" " + key))
        if target is None:
            target = Entity(id=f"person:{slug(m.full_name)}", type="person", name=m.full_name)
            full[key] = target
        _attach(target, m)
    for m in mentions:
        toks = _tokens(m.full_name)
        if len(toks) != 1:
            continue
        word = toks[0]
        target = _unique(e for k, e in full.items() if k.split()[-1] == word) \
            or _unique(e for k, e in full.items() if k.split()[0] == word) \
            or _unique(e for k, e in full.items() if word in k.split()) \
            or _most_recent([e for k, e in full.items() if k.split()[-1] == word], m.start)
        if target is None and (m.cue == KEPT_BY_MODEL or catalog.is_known_person(m.text)
                               or _repeated_single_name(word, mentions, text, not_people)):
            target = Entity(id=f"person:{slug(m.text)}", type="person", name=m.text)
            full[word] = target
        if target is not None:
            _attach(target, m)
    return _merge_near_duplicates(list(full.values()), mentions)


def _merge_near_duplicates(people: list[Entity], mentions: list[Mention]) -> list[Entity]:
    """"Tom Hank" and "Tom Hanks" in one document are one person: same given name, surnames a
    letter added or dropped (rapidfuzz Indel distance 1). The fuller, more often written spelling wins."""
    from rapidfuzz.distance import Indel

    order = sorted(people, key=lambda e: (-len(e.mentions), -len(e.name), e.name))
    kept: list[Entity] = []
    for e in order:
        toks = _tokens(e.name)
        into = None
        for k in kept:
            ktoks = _tokens(k.name)
            if len(ktoks) == len(toks) >= 2 and ktoks[:-1] == toks[:-1] and min(len(toks[-1]), len(ktoks[-1])) >= 4 \
                    and Indel.distance(toks[-1], ktoks[-1]) == 1:
                into = k
                break
        if into is None:
            kept.append(e)
            continue
        if len(e.mentions) == len(into.mentions) and len(e.name) > len(into.name):
            into.name = e.name
        for m in mentions:
            if m.entity_id == e.id:
                m.entity_id = into.id
        into.mentions += e.mentions
    kept_ids = {id(e) for e in kept}
    return [e for e in people if id(e) in kept_ids]


def _most_recent(candidates: list[Entity], position: int) -> Entity | None:
    """Of several people sharing a surname, the one named most recently before `position`."""
    named = [(max((s.start for s in e.mentions if s.start < position), default=-1), e) for e in candidates]
    named = [(at, e) for at, e in named if at >= 0]
    return max(named, key=lambda pair: pair[0])[1] if named else None


def _repeated_single_name(word: str, mentions: list[Mention], text: str, not_people: set[str]) -> bool:
    """A one-word name ("Freud") counts when named at least twice, never as a character,
    title or organisation, and not only as a "Label:" opening a line."""
    same = [m for m in mentions if fold(m.text) == word and m.cue == "ner"]
    if len(same) < 2 or word in not_people or word.rstrip("s") in not_people:
        return False
    return any(text[m.end:m.end + 1] != ":" for m in same)


def _link_by_name(mentions: list[Mention], kind: str, short_forms: bool = False) -> list[Entity]:
    groups: dict[str, Entity] = {}
    for m in sorted(mentions, key=lambda m: -len(m.text)):
        key = fold(m.text)
        if not key:
            continue
        target = groups.get(key)
        if target is None and short_forms:
            target = _unique(e for k, e in groups.items() if key in k.split())
        if target is None:
            year = m.year if kind == "event" else None
            target = Entity(id=f"{kind}:{slug(m.text)}", type=kind, name=m.text, year=year)
            groups[key] = target
        if target.year is None and m.year:
            target.year = m.year
        _attach(target, m)
    return list(groups.values())


def _link_films(mentions: list[Mention], doc: Document, people: list[Entity], catalog: Catalog) -> list[Entity]:
    by_title: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if not m.year:
            m.year = _text_year(doc.clean, m)
    short = _short_forms({fold(m.text): m.text for m in sorted(mentions, key=lambda m: len(m.text))}, catalog)
    for m in mentions:
        by_title[short.get(fold(m.text), fold(m.text))].append(m)
    context_people = [p.name for p in people]
    context_words = set(fold(doc.clean).split())
    entities: list[Entity] = []
    for mentions_of_title in by_title.values():
        years = sorted({m.year for m in mentions_of_title if m.year})
        clusters: dict[int | None, list[Mention]] = {y: [] for y in years} or {None: []}
        for m in sorted(mentions_of_title, key=lambda m: m.start):
            if not m.year and _remade(doc.clean, m, mentions_of_title):
                clusters.setdefault(None, []).append(m)  # "X, a remake of the 1962 western X": a new film
                continue
            clusters[m.year if m.year else _nearest_year(m, mentions_of_title, years)].append(m)
        if not years:  # no mention of it carries a year: another spot may state it ("X  (1996)" in a caption)
            clusters = {_stated_year(doc.clean, mentions_of_title): clusters[None]}
        for year, group in clusters.items():
            entities.append(_film_entity(group, year, context_people, context_words, catalog, used_years=set(years)))
    return entities


YEAR_BEFORE = re.compile(r"\b(?P<year>(?:19|20)\d\d)(?:'s)? (?:[a-z][\w-]* ){0,3}(?:film|movie|picture|feature|documentary|"
                         r"adaptation|remake|version|original|classic|hit|thriller|drama|comedy|sequel|work|debut|"
                         r"blockbuster|smash|flop|release|effort|outing|horror|western|musical|biopic|epic)s?,? $")
YEAR_AFTER = re.compile(r"^\s*\((?P<year>(?:19|20)\d\d)\)")
# "Ring of Fire", "Wild Fire": "Fire" there is the end of a longer title
TITLE_WORD_BEFORE = re.compile(r"\b[A-Z][\w'-]*(?: (?:of|the|a|an|and|in|on|at|to|for|from|with|&))* $")
SEQUEL_TAIL = re.compile(r"^(?:part )?(?:[2-9]|ii|iii|iv|v|vi|\d+ \d+|3d)$")


def _text_year(text: str, m: Mention) -> int | None:
    """A year the text states at this mention ("Baumbach's 2012 movie X", "X (2012)"): it beats the catalog."""
    hit = YEAR_BEFORE.search(text[max(0, m.start - 60):m.start]) or YEAR_AFTER.match(text[m.end:m.end + 8])
    return int(hit.group("year")) if hit else None


def _stated_year(text: str, mentions: list[Mention]) -> int | None:
    """The one year the text states at any spot where the title is written in full, found as a
    mention or not; None where it states none or several."""
    years = set()
    for title in {m.text for m in mentions}:
        for hit in re.finditer(rf"(?<![\w'-]){re.escape(title)}(?![\w'-])", text):
            if not TITLE_WORD_BEFORE.search(text[max(0, hit.start() - 40):hit.start()]):
                years.add(_text_year(text, Mention(hit.start(), hit.end(), title, "film")))
    years.discard(None)
    return years.pop() if len(years) == 1 else None


def _short_forms(texts: dict[str, str], catalog: Catalog) -> dict[str, str]:
    """Short forms of a longer title in the same document (folded key -> longer key), when only
    one title fits: its subtitle ("Ragnarok" of "Thor: Ragnarok"), its first words ("Three
    Billboards"), or the title without "A"/"An". A short form that is a film of its own in the
    catalog ("Jurassic World" beside "Jurassic World: Dominion") or differs by a sequel number
    ("Creep" and "Creep 2") stays a different film."""
    out: dict[str, str] = {}
    for short, short_text in texts.items():
        own_film = catalog.has_title(short)
        fits = []
        for long, long_text in texts.items():
            if long == short or len(long) <= len(short):
                continue
            tail = long[len(short):].strip() if long.startswith(short + " ") else None
            if tail is not None and not SEQUEL_TAIL.match(tail) and not own_film \
                    and tail.split()[0] not in ("and", "or", "for", "with", "in", "at", "from", "by"):
                fits.append(long)
            elif ":" in long_text and fold(long_text.rsplit(":", 1)[1]) == short and len(short) >= 5:
                fits.append(long)
            elif long.split(" ", 1)[0] in ("a", "an") and long.split(" ", 1)[1] == short:
                fits.append(long)
        if len(fits) == 1:
            out[short] = fits[0]
    return out


REMADE = re.compile(r"\b(?:remake|remade|reboot|re-imagining|reimagining|new version|update)\b", re.I)


def _remade(text: str, m: Mention, same_title: list[Mention]) -> bool:
    """A bare title next to a dated one of the same name with "remake" between them."""
    for other in same_title:
        if other.year and abs(other.start - m.end) < 120:
            lo, hi = sorted((m.end, other.start))
            if REMADE.search(text[lo:hi]):
                return True
    return False


def _nearest_year(m: Mention, mentions: list[Mention], years: list[int]) -> int | None:
    if not years:
        return None
    earlier = [x for x in mentions if x.year and x.start <= m.start]
    chosen = max(earlier, key=lambda x: x.start) if earlier else min((x for x in mentions if x.year), key=lambda x: x.start)
    return chosen.year


def _film_entity(group: list[Mention], year: int | None, people: list[str], words: set[str],
                 catalog: Catalog, used_years: set[int]) -> Entity:
    title = max((m.text for m in group), key=len)
    kind = "series" if all(m.type == "series" for m in group) else "film"
    film, confidence = catalog.choose(title, year, context_people=people, context_words=words)
    key = None
    if film is not None and confidence >= LINK_THRESHOLD \
            and (year == film.year or (year is None and film.year not in used_years)):
        key = film.key
    if key:
        entity_id = f"film:{key}"
    else:
        entity_id = f"{kind}:{slug(title)}" + (f"-{year}" if year else "")
        confidence = 0.6 if year else 0.5
    entity = Entity(id=entity_id, type=kind, name=title, year=year, catalog_key=key, confidence=confidence,
                    catalog_year=film.year if key else None)
    for m in group:
        _attach(entity, m)
    return entity


def _attach(entity: Entity, m: Mention) -> None:
    m.entity_id = entity.id
    entity.mentions.append(m.span())


def _unique(candidates) -> Entity | None:
    found = list({id(e): e for e in candidates}.values())
    return found[0] if len(found) == 1 else None
