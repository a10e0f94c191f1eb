"""The shipped reference catalog: American films 1900-2023 from English Wikipedia.

Data: Wikipedia contributors, CC BY-SA 4.0, via github.com/prust/wikipedia-movie-data
(see data/CATALOG_NOTICE.md); built by scripts/build_catalog.py. Lookups take a name as
written and fold it with `reelgraph.names.fold`, so each is one dict hit. The file is kept
columnar in memory: films and indexes are built on first use.
"""
from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from reelgraph.names import film_label, fold, surname

DATA_PATH = Path(__file__).resolve().parent / "data" / "catalog.json.gz"
FORMAT = "reelgraph-catalog/1"
PEOPLE = ("cast", "directors", "writers", "producers", "composers")
LISTS = ("cast", "genres", "directors", "writers", "producers", "composers", "studios")
_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}
_ARABIC = {v: k.upper() for k, v in _ROMAN.items()}
_NUMBER = re.compile(r"\b([IVX]{2,4}|\d)\b(?=\s*(?::|$))")
_SUBTITLE = re.compile(r"\s*(?::|\s[-–—]\s)\s*")


class CatalogError(ValueError):
    """The catalog file is missing or not in the expected format."""


@dataclass(frozen=True)
class CatalogFilm:
    key: str  # English Wikipedia page key ("Heat_(1995_film)"), or "Title_(Year)" without a page
    title: str
    year: int | None
    cast: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    writers: tuple[str, ...] = ()
    producers: tuple[str, ...] = ()
    composers: tuple[str, ...] = ()
    studios: tuple[str, ...] = ()
    remake_of: str | None = None  # "Title (Year)" of the earlier film, mined from the lead
    sequel_of: str | None = None
    based_on: tuple[str | None, str | None] | tuple[()] = ()  # (work, author), either may be None
    has_page: bool = True

    @property
    def label(self) -> str:
        return film_label(self.title, self.year)

    @property
    def people(self) -> tuple[str, ...]:
        """Cast and crew names, each once, cast first."""
        return tuple(dict.fromkeys(self.cast + self.directors + self.writers + self.producers
                                   + self.composers))


def title_forms(title: str) -> set[str]:
    """Folded lookup forms of a title: itself, with "&"/"and" swapped, and with a roman or
    arabic sequel number swapped at the end or before a subtitle ("Rocky II" / "Rocky 2")."""
    forms = {fold(title)}
    if "&" in title:
        forms.add(fold(title.replace("&", " and ")))
    if re.search(r"\sand\s", title, re.I):
        forms.add(fold(re.sub(r"\sand\s", " & ", title, flags=re.I)))
    numbered = _NUMBER.sub(lambda m: _ROMAN.get(m.group(1).lower()) or _ARABIC.get(
        m.group(1), m.group(1)), title)
    forms.add(fold(numbered))
    forms.discard("")
    return forms


class Catalog:
    """Films with title, person and studio indexes. Get the shipped one with `Catalog.load()`."""

    def __init__(self, data: dict[str, Any]) -> None:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise CatalogError(f"not a {FORMAT} catalog")
        try:
            self._strings: list[str] = data["strings"]
            self._cols: dict[str, list] = data["films"]
            self._keys = {k: i for i, k in enumerate(self._cols["key"])}
            folded, titles = data.get("folded_strings") or [], self._cols.get("folded_title") or []
        except (KeyError, TypeError) as exc:
            raise CatalogError(f"catalog data lacks {exc}") from None
        self._folded = folded if _folds_match(self._strings, folded) else list(
            map(fold, self._strings))  # recomputed only if fold() changed since the build
        self._titles_folded = titles if _folds_match(self._cols["title"], titles) else list(
            map(fold, self._cols["title"]))
        self._common_words = frozenset(data.get("common_words", ()))
        self._stop_words = frozenset(data.get("stop_words", ()))
        self._films: list[CatalogFilm | None] = [None] * len(self._keys)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Catalog:
        """The catalog at path (default: the shipped file), read once per process."""
        return _load_cached(str(Path(path).resolve()) if path else str(DATA_PATH))

    @classmethod
    def from_films(cls, films: Iterable[CatalogFilm], common_words: Iterable[str] = (),
                   stop_words: Iterable[str] = ()) -> Catalog:
        """A catalog of the given films (for tests and small custom catalogs)."""
        strings: dict[str, int] = {}
        cols: dict[str, list] = {name: [] for name in (
            "key", "title", "year", *LISTS, "remake_of", "sequel_of", "based_on", "has_page")}
        for film in films:
            for name, values in cols.items():
                value = getattr(film, name)
                values.append([strings.setdefault(v, len(strings)) for v in value]
                              if name in LISTS else list(value) if name == "based_on" else value)
        return cls({"format": FORMAT, "strings": list(strings), "films": cols,
                    "common_words": list(common_words), "stop_words": list(stop_words)})

    def __len__(self) -> int:
        return len(self._films)

    def __iter__(self) -> Iterator[CatalogFilm]:
        return map(self._film, range(len(self._films)))

    def _film(self, i: int) -> CatalogFilm:
        film = self._films[i]
        if film is None:
            c, pick = self._cols, self._strings.__getitem__
            film = CatalogFilm(c["key"][i], c["title"][i], c["year"][i],
                               *(tuple(map(pick, c[name][i])) for name in LISTS),
                               c["remake_of"][i], c["sequel_of"][i], tuple(c["based_on"][i]),
                               bool(c["has_page"][i]))
            self._films[i] = film
        return film

    def film(self, key: str) -> CatalogFilm | None:
        i = self._keys.get(key)
        return None if i is None else self._film(i)

    # ---------------------------------------------------------------- titles
    @cached_property
    def _titles(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for i, (title, folded) in enumerate(zip(self._cols["title"], self._titles_folded)):
            index.setdefault(folded, []).append(i)
            if "&" in title or " and " in title.lower() or _NUMBER.search(title):
                for form in title_forms(title) - {folded}:
                    index.setdefault(form, []).append(i)
        years = self._cols["year"]
        for ids in index.values():
            if len(ids) > 1:
                ids.sort(key=lambda i: years[i] or 0)
        return index

    @cached_property
    def _main_titles(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for i, title in enumerate(self._cols["title"]):
            parts = _SUBTITLE.split(title, maxsplit=1)
            if len(parts) > 1 and fold(parts[0]):
                index.setdefault(fold(parts[0]), []).append(i)
        return index

    @cached_property
    def _title_prefixes(self) -> frozenset[str]:
        out: set[str] = set()
        for form in self._titles:
            words = form.split()
            out.update(" ".join(words[:k]) for k in range(1, len(words)))
        return frozenset(out)

    @cached_property
    def title_max_tokens(self) -> int:
        """Most words in a folded title form."""
        return max((form.count(" ") + 1 for form in self._titles), default=0)

    def films_titled(self, title: str) -> list[CatalogFilm]:
        """Films with this title (any lookup form, folded), oldest first."""
        return [self._film(i) for i in self._titles.get(fold(title), ())]

    def films_by_main_title(self, title: str) -> list[CatalogFilm]:
        """Films whose title minus its subtitle is this ("Underworld" -> "Underworld: Awakening").
        Kept apart from films_titled: the short form alone often names another film."""
        return [self._film(i) for i in self._main_titles.get(fold(title), ())]

    def has_title(self, folded: str) -> bool:
        """True when an already folded string is a title lookup form."""
        return folded in self._titles

    def iter_title_matches(self, tokens: Sequence[str]) -> Iterator[tuple[int, int, str]]:
        """Every (start, end, folded title) where " ".join(tokens[start:end]) is a title form.
        tokens are folded words; a leading "the" is never part of a folded title."""
        titles, prefixes, limit = self._titles, self._title_prefixes, self.title_max_tokens
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + limit) + 1):
                key = " ".join(tokens[start:end])
                if key in titles:
                    yield start, end, key
                if key not in prefixes:
                    break

    # ---------------------------------------------------------------- people, studios
    @cached_property
    def _people(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        folded = self._folded
        columns = [self._cols[name] for name in PEOPLE]
        for i in range(len(self._films)):
            for column in columns:
                for sid in column[i]:
                    films = index.setdefault(folded[sid], [])
                    if not films or films[-1] != i:  # once per film
                        films.append(i)
        index.pop("", None)
        return index

    @cached_property
    def _names(self) -> dict[str, str]:
        """Folded person name -> the name as written."""
        return {self._folded[sid]: self._strings[sid] for name in PEOPLE
                for ids in self._cols[name] for sid in ids}

    @cached_property
    def _surnames(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for folded, name in sorted(self._names.items()):
            if " " in folded:
                index.setdefault(folded.rsplit(" ", 1)[1], []).append(name)
        return index

    @cached_property
    def _studios(self) -> frozenset[str]:
        return frozenset(self._folded[sid] for ids in self._cols["studios"] for sid in ids)

    def films_of_person(self, name: str) -> list[CatalogFilm]:
        """Films with this person in the cast or crew (full name, folded), oldest first."""
        return sorted(map(self._film, self._people.get(fold(name), ())),
                      key=lambda f: f.year or 0)

    def is_known_person(self, name: str) -> bool:
        return fold(name) in self._people

    def person_names(self) -> frozenset[str]:
        return frozenset(self._names.values())

    def people_with_surname(self, name: str) -> tuple[str, ...]:
        """Full names in the catalog whose last word is the surname of name."""
        return tuple(self._surnames.get(surname(name), ()))

    def is_known_studio(self, name: str) -> bool:
        return fold(name) in self._studios

    # ---------------------------------------------------------------- judging
    def choose(self, title: str, year: int | None = None, context_people: Iterable[str] = (),
               context_words: Iterable[str] = ()) -> tuple[CatalogFilm | None, float]:
        """The film a mention of title most likely means, with a confidence in [0, 1].

        A stated year decides: an exact match wins, one year off is accepted at lower
        confidence, and a year that fits no candidate gives (None, 0.0). Otherwise candidates
        are scored by context people in their cast or crew (full name 2, surname 1), context
        words naming their genres (0.5 each, at most 1.5), and a weak notability prior."""
        cands = self.films_titled(title)
        if not cands:
            return None, 0.0
        people = [p for p in map(fold, context_people) if p]
        words = set(map(fold, context_words))
        if year is not None:
            exact = [f for f in cands if f.year == year]
            pool = exact or [f for f in cands if f.year and abs(f.year - year) == 1]
            if not pool:
                return None, 0.0
            best, _, lead = self._rank(pool, people, words)
            base = 0.95 if exact else 0.6
            return best, base if len(pool) == 1 else base * (0.8 if lead > 0 else 0.6)
        best, evidence, lead = self._rank(cands, people, words)
        if len(cands) == 1:
            return best, min(0.9, 0.6 + 0.15 * evidence)
        if evidence > 0 and lead > 0:
            return best, min(0.9, 0.5 + 0.15 * lead)
        return best, 0.35 if evidence > 0 else round(0.5 / len(cands), 3)

    def _rank(self, cands: list[CatalogFilm], people: list[str],
              words: set[str]) -> tuple[CatalogFilm, float, float]:
        """Best candidate, its context evidence, and its evidence lead over the runner-up."""
        scored = sorted(((self._evidence(f, people, words), _prior(f), -i) for i, f in
                         enumerate(cands)), reverse=True)
        lead = scored[0][0] - (scored[1][0] if len(scored) > 1 else 0.0)
        return cands[-scored[0][2]], scored[0][0], lead

    @staticmethod
    def _evidence(film: CatalogFilm, people: list[str], words: set[str]) -> float:
        names = set(map(fold, film.people))
        last = {n.rsplit(" ", 1)[-1] for n in names}
        score = sum(2.0 if p in names else 1.0 if p.rsplit(" ", 1)[-1] in last else 0.0
                    for p in people)
        genres = sum(0.5 for g in map(fold, film.genres) if g in words or set(g.split()) <= words)
        return score + min(genres, 1.5)

    def common_word_title(self, title: str) -> bool:
        """True when a title reads as an ordinary word in running text: all its folded words
        are English stop words ("Up", "Her", "What If"), or it is a single word of at most two
        letters or one the catalog's source prose uses in lower case 3+ times ("Heat", "Town").
        Multi-word titles with a content word ("The Dark Knight") are not common."""
        words = fold(title).split()
        if not words:
            return False
        if all(w in self._stop_words for w in words):
            return True
        return len(words) == 1 and (len(words[0]) <= 2 or words[0] in self._common_words)


def _prior(film: CatalogFilm) -> float:
    """Weak notability prior below 0.2: a page of its own, cast size, a known director."""
    return 0.08 * film.has_page + 0.02 * math.log1p(len(film.cast)) + 0.03 * bool(film.directors)


def _folds_match(raw: Sequence[str], folded: Sequence[str]) -> bool:
    """Precomputed folds are used only when fold() still gives them (a spot check of 64)."""
    if len(raw) != len(folded):
        return False
    step = max(1, len(raw) // 64)
    return all(fold(raw[i]) == folded[i] for i in range(0, len(raw), step))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Catalog:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise CatalogError(f"catalog file not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise CatalogError(f"catalog file unreadable: {path}: {exc}") from None
    return Catalog(data)
