"""Name-matching rules of FACTS.md: people, films, organisations, money, years,
festivals, awards and quotes. Used by the scorer; pure functions, no I/O."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable, Iterable

from .names import fold, parse_film_label, strip_accents

PERSON_OBJECTS = {"cast_member", "director", "screenwriter", "producer", "composer"}
FILM_OR_PERSON_SUBJECTS = {"influenced_by", "award"}
SCORED_ENTITY_TYPES = ("film", "person")
MONEY_TOLERANCE = 0.02
QUOTE_OVERLAP = 0.8

_GENERIC = {"the", "of", "a", "an", "and", "in", "at", "de", "du", "des", "di", "del", "la", "le",
            "film", "films", "movie", "cinema", "annual", "edition"}
_FESTIVAL_GENERIC = _GENERIC | {"festival", "festivals", "fest", "international", "internationale"}
_FESTIVAL_ALIASES = {"berlinale": "berlin", "tiff": "toronto"}
_AWARD_GENERIC = _GENERIC | {"award", "awards", "for", "best", "win", "won", "winner", "winning",
                             "nominee", "nominated", "nomination", "nominations", "category"}
# Well-known award families and their usual synonyms, matched on folded text.
_AWARD_FAMILIES = (
    ("bafta", r"\bbaftas?\b|\bbritish academy\b"),
    ("oscar", r"\boscars?\b|\bacademy awards?\b"),
    ("golden globe", r"\bgolden globes?\b"),
    ("emmy", r"\bemmys?\b"),
    ("palme d'or", r"\bpalme d ?or\b"),
    ("golden lion", r"\bgolden lion\b|\bleone d ?oro\b"),
    ("golden bear", r"\bgolden bear\b|\bgoldener bar\b"),
    ("sag", r"\bsag awards?\b|\bscreen actors guild\b"),
    ("independent spirit", r"\b(independent )?spirit awards?\b"),
    ("cesar", r"\bcesars?\b"),
    ("goya", r"\bgoyas?\b"),
    ("pulitzer", r"\bpulitzer\b"),
    ("razzie", r"\brazzies?\b|\bgolden raspberr"),
    ("critics choice", r"\bcritics choice\b"),
)
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)?$")
_QUOTE_WORD = re.compile(r"\w+(?:'\w+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


# ----------------------------------------------------------------------------- name rules

def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _tokens(name: Any) -> tuple[str, ...]:
    return tuple(fold(_text(name)).split())


def person_match(a: Any, b: Any, persons: Iterable[tuple[str, ...]] = ()) -> bool:
    """Full name, or surname where the other side has the full name and the document has
    only one full name ending in that surname (`persons`: folded token tuples)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    short, long = sorted((ta, tb), key=len)
    n = len(short)
    if n == len(long) or long[-n:] != short:
        return False
    full_names = {p for p in set(persons) | {long} if len(p) > n and p[-n:] == short}
    return len(full_names) == 1


def film_match(a: Any, b: Any) -> bool:
    """Titles equal after folding; years agree where both give one."""
    ta, ya = parse_film_label(_text(a))
    tb, yb = parse_film_label(_text(b))
    return bool(fold(ta)) and fold(ta) == fold(tb) and (ya is None or yb is None or ya == yb)


def org_match(a: Any, b: Any) -> bool:
    """Folded equality, or one name's words begin the other's ("Warner Bros." ~ "Warner Bros. Pictures")."""
    ta, tb = _tokens(a), _tokens(b)
    short, long = sorted((ta, tb), key=len)
    return bool(short) and long[: len(short)] == short


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(re.sub(r"[,$£€\s]", "", _text(value)))
    except ValueError:
        return None


def money_match(gold: Any, pred: Any) -> bool:
    g, p = _number(gold), _number(pred)
    return g is not None and p is not None and abs(p - g) <= MONEY_TOLERANCE * abs(g)


def year_match(gold: Any, pred: Any) -> bool:
    g, p = _number(gold), _number(pred)
    return g is not None and p is not None and g == p and g == int(g)


def _distinctive(words: Iterable[str], generic: set[str]) -> frozenset[str]:
    return frozenset(_FESTIVAL_ALIASES.get(w, w) for w in words
                     if w not in generic and not _ORDINAL.match(w))


def _nested(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and (a <= b or b <= a)


def festival_match(a: Any, b: Any) -> bool:
    """Distinctive words of one contain the other's ("Cannes" ~ "Festival de Cannes")."""
    return _nested(_distinctive(_tokens(a), _FESTIVAL_GENERIC), _distinctive(_tokens(b), _FESTIVAL_GENERIC))


def award_parts(name: Any) -> tuple[str | None, frozenset[str]]:
    """(family, category words): "Academy Award for Best Actor" -> ("oscar", {"actor"})."""
    text = fold(_text(name))
    for family, pattern in _AWARD_FAMILIES:
        m = re.search(pattern, text)
        if m:
            rest = text[: m.start()] + " " + text[m.end():]
            return family, _distinctive(rest.split(), _AWARD_GENERIC)
    return None, _distinctive(text.split(), _AWARD_GENERIC)


def award_match(a: Any, b: Any) -> bool:
    """Same family where both name one, nested category words where both give some,
    and at least one of the two compared."""
    (fa, ca), (fb, cb) = award_parts(a), award_parts(b)
    compared = False
    if fa and fb:
        if fa != fb:
            return False
        compared = True
    if ca and cb:
        if not _nested(ca, cb):
            return False
        compared = True
    return compared


def _free_text_match(a: Any, b: Any, persons: Iterable[tuple[str, ...]]) -> bool:
    return (bool(_tokens(a)) and _tokens(a) == _tokens(b)) or person_match(a, b, persons)


def subject_match(p: str, gold: Any, pred: Any, persons: set[tuple[str, ...]]) -> bool:
    if p in FILM_OR_PERSON_SUBJECTS:
        return film_match(gold, pred) or person_match(gold, pred, persons)
    return film_match(gold, pred)


_OBJECT_RULES: dict[str, Callable[[Any, Any], bool]] = {
    "studio": org_match, "release_year": year_match, "budget": money_match, "box_office": money_match,
    "remake_of": film_match, "sequel_of": film_match, "award": award_match, "festival": festival_match,
}


def object_match(p: str, gold: Any, pred: Any, persons: set[tuple[str, ...]]) -> bool:
    if p in PERSON_OBJECTS:
        return person_match(gold, pred, persons)
    if p in _OBJECT_RULES:
        return _OBJECT_RULES[p](gold, pred)
    if p == "influenced_by":
        return film_match(gold, pred) or person_match(gold, pred, persons)
    if p == "based_on":
        return _free_text_match(gold, pred, persons) or film_match(gold, pred)
    return _free_text_match(gold, pred, persons)  # inspired_by and any other predicate


def _same(a: Any, b: Any) -> bool:
    """Exact agreement: equal numbers, or equal folded text."""
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return fold(_text(a)) == fold(_text(b))


def quote_words(text: Any) -> list[str]:
    """Lowercased word tokens; punctuation dropped, curly and straight apostrophes equal."""
    return _QUOTE_WORD.findall(strip_accents(_text(text).translate(_APOSTROPHES)).lower())


def quote_overlap(a: Any, b: Any) -> float:
    """Shared words as a share of the shorter text's words (0.0 when either is empty)."""
    wa, wb = quote_words(a), quote_words(b)
    if not wa or not wb:
        return 0.0
    return sum((Counter(wa) & Counter(wb)).values()) / min(len(wa), len(wb))
