"""Forgiving name search: every entity's canonical name and the texts it was mentioned by
("Mann", "Pacino", "Heat"), folded, matched exactly, by prefix, by whole words, by substring,
then fuzzily with rapidfuzz ("Forest Gump" -> "Forrest Gump", "Vigo Mortensen" -> "Viggo Mortensen").

The index is plain Python data built from the store in four queries; `Graph` keeps one and rebuilds
it when the store changes. Searching it needs no SQL.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .names import fold, parse_film_label
from .views import EntitySummary

# Match tiers, best first.
EXACT, PREFIX, WORDS, SUBSTRING, FUZZY = range(5)
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0-100) for a misspelling to count as a hit
SUGGEST_CUTOFF = 65.0  # looser, for "did you mean"
SUGGEST_WINDOW = 10.0  # suggestions within this many points of the best one
MAX_GRAM = 4  # word n-grams of aliases compared with queries of up to this many words


@dataclass(frozen=True)
class Match:
    entry: EntitySummary
    tier: int
    score: float  # 100 for the exact tiers
    alias: str  # the name or mention text that matched


class NameIndex:
    def __init__(self, entries: list[EntitySummary], aliases: list[tuple[str, str]]):
        """`aliases`: (entity id, text) pairs; canonical names are added here."""
        self.entries = {e.id: e for e in entries}
        by_alias: dict[str, set[str]] = defaultdict(set)
        shown: dict[str, str] = {}
        for entity_id, text in [(e.id, e.name) for e in entries] + list(aliases):
            folded = fold(text)
            if folded and entity_id in self.entries:
                by_alias[folded].add(entity_id)
                shown.setdefault(folded, text)
        self.by_alias = {k: sorted(v) for k, v in by_alias.items()}
        self.shown = shown
        self.aliases = list(self.by_alias)
        grams: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for alias in self.aliases:  # "viggo mortensen" -> "viggo", "mortensen", "viggo mortensen"
            words = alias.split()
            for n in range(1, min(MAX_GRAM, len(words)) + 1):
                for i in range(len(words) - n + 1):
                    grams[n][" ".join(words[i:i + n])].add(alias)
        self.grams = {n: (list(g), [sorted(v) for v in g.values()]) for n, g in grams.items()}

    def ranked(self) -> list[EntitySummary]:
        """Every entity, most facts first (the listing behind an empty search)."""
        return sorted(self.entries.values(), key=lambda e: (-e.facts, -e.documents, e.name, e.id))

    def search(self, query: str, type: str | None = None, year: int | None = None) -> list[Match]:
        """Entities matching `query` ("Heat (1995)" sets the year), best first: tier, score, facts."""
        title, label_year = parse_film_label(query)
        year = year or label_year
        needle = fold(title) or title.strip().lower()
        if not needle:
            raise ValueError("search text is empty")
        best: dict[str, Match] = {}
        for alias, tier, score in self._alias_hits(needle):
            for entity_id in self.by_alias[alias]:
                entry = self.entries[entity_id]
                if (type and entry.type != type) or (year and entry.year != year):
                    continue
                old = best.get(entity_id)
                if old is None or (tier, -score) < (old.tier, -old.score):
                    best[entity_id] = Match(entry, tier, score, self.shown[alias])
        return sorted(best.values(), key=lambda m: (m.tier, -m.score, -m.entry.facts, m.entry.name, m.entry.id))

    def suggest(self, query: str, type: str | None = None, limit: int = 5) -> list[Match]:
        """Loose fuzzy matches for "did you mean": used when `search` finds nothing."""
        needle = fold(parse_film_label(query)[0]) or query.strip().lower()
        if not needle or not self.aliases:
            return []
        found = process.extract(needle, self.aliases, scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF, limit=50)
        out: dict[str, Match] = {}
        for alias, score, _ in found:
            for entity_id in self.by_alias[alias]:
                entry = self.entries[entity_id]
                if entity_id not in out and (not type or entry.type == type):
                    out[entity_id] = Match(entry, FUZZY, score, self.shown[alias])
        ranked = sorted(out.values(), key=lambda m: (-m.score, -m.entry.facts, m.entry.name))
        return [m for m in ranked if m.score >= ranked[0].score - SUGGEST_WINDOW][:limit]

    def _alias_hits(self, needle: str):
        """(alias, tier, score) for every alias that matches the folded query."""
        padded = f" {needle} "
        for alias in self.aliases:
            if alias == needle:
                yield alias, EXACT, 100.0
            elif alias.startswith(needle):
                yield alias, PREFIX, 100.0
            elif padded in f" {alias} ":
                yield alias, WORDS, 100.0
            elif needle in alias:
                yield alias, SUBSTRING, 100.0
        n = len(needle.split())
        if n in self.grams:  # the query, misspelt, as whole words of an alias
            grams, owners = self.grams[n]
            for _, score, i in process.extract(needle, grams, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                               limit=None):
                for alias in owners[i]:
                    yield alias, FUZZY, score
        for alias, score, _ in process.extract(needle, self.aliases, scorer=fuzz.token_sort_ratio,
                                               score_cutoff=FUZZY_CUTOFF, limit=None):
            yield alias, FUZZY, score
