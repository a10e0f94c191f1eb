"""Person, character or neither: candidate names and their features for `learn/people.py`.

The rules (`people.py`) propose people and characters. Their mentions are grouped by the name
they stand for in one document; each group gets one feature dict: what the rules said, the
catalog, the name's shape, and the words around its mentions ("directed by X", "X, 45,",
"X said" read as a real person; "as X", "Dr X", "X (Actor)" as a character; italics and a
catalog title as neither), and how the writer names them later: a character by the first name
alone, a real person by the surname alone.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from ..catalog import Catalog
from ..names import fold
from ..types import Mention
from .people import first_names

CREDIT_BY = re.compile(r"\b(?:directed|written|produced|created|shot|edited|scored|narrated|voiced|helmed|penned|"
                       r"co-written|co-directed|adapted)\s+by\s+$", re.I)
JOB_BEFORE = re.compile(r"\b(?:actor|actress|director|filmmaker|film-maker|screenwriter|writer|producer|composer|"
                        r"cinematographer|star|co-star|comedian|singer|author|novelist|critic|editor|executive|"
                        r"president|chief|founder|rapper|presenter|host|model|playwright)s?,?\s+$", re.I)
ROLE_BEFORE = re.compile(r"\b(?:as|playing|plays|played|play|character|characters|portrays|portrayed|portraying|"
                         r"role of|roles of|voices|voiced|named|called|protagonist|hero|heroine|villain)\s+$", re.I)
ROLE_NEAR_BEFORE = re.compile(r"\b(?:as|playing|plays|played|portrays|portrayed|portraying|portrayal of|role of|roles of)"
                              r"\s+(?:[\w'-]+\s+){1,4}$", re.I)  # "as the conniving X", "portrayal of evil X"
PLAYED_BY_AFTER = re.compile(r"^[^.;:!?()\n]{0,40}?\b(?:played|portrayed|voiced|performed) by\b", re.I)
HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|King|Queen|Prince|Princess|Captain|Agent|"
                              r"Detective|Uncle|Aunt|Father|Sister|Brother|Officer|Sergeant|General|Colonel)\.?\s+$")
SPEECH_AFTER = re.compile(r"^,?\s*(?:said|says|told|tells|added|explained|recalled|admitted|revealed|wrote|insisted|"
                          r"posted|shared|tweeted|joked|laughed|continued|noted)\b")
WHO_AFTER = re.compile(r"^,?\s*(?:who|whose)\b")
AGE_AFTER = re.compile(r"^,\s*\d{1,3},")
PAREN_OPEN_AFTER = re.compile(r"^\s*\(")
QUOTE_CHARS = "\"\u201c\u201d"
CONTEXT_WINDOW = 3  # tokens on each side read by `context_words`
RULE_CUES = ("ner", "catalog", "surname", "given-name", "shared-surname", "group", "role", "possessive", "owner")


@dataclass
class NameGroup:
    """Every rule mention (person or character) of one name in one document."""

    key: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def name(self) -> str:
        return max((m.full_name for m in self.mentions), key=len)


def group_names(people: list[Mention], characters: list[Mention]) -> list[NameGroup]:
    groups: dict[str, NameGroup] = {}
    for m in people + characters:
        key = fold(m.full_name)
        if key:
            groups.setdefault(key, NameGroup(key)).mentions.append(m)
    return sorted(groups.values(), key=lambda g: min(m.start for m in g.mentions))


QUOTED = re.compile(r"\u201c[^\u201c\u201d]*\u201d|\"[^\"\n]*\"")
PAIR_AFTER = re.compile(r" (?:and|&) [\w'-]+ ")  # "Joel and Ethan Coen" names Joel Coen in full


@lru_cache(maxsize=8)
def unquoted(text: str) -> str:
    """The text with every quoted span blanked out: what the writer says in their own voice."""
    return QUOTED.sub(lambda m: " " * len(m.group()), text)


def _whole_words(text: str, word: str) -> list[tuple[int, int]]:
    """Where `word` stands in `text` with no letter, digit, apostrophe or hyphen on either side."""
    out, at = [], text.find(word)
    while at >= 0:
        end = at + len(word)
        whole = not (at and _word_char(text[at - 1])) and not (end < len(text) and _word_char(text[end]))
        if whole:
            out.append((at, end))
        at = text.find(word, end if whole else at + 1)
    return out


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "_'-"


def _alone_counts(parts: list[str], prose: str) -> tuple[int, int]:
    """How often the first name stands without the next word of the name, and the surname without
    the word before it."""
    first = sum(1 for _, end in _whole_words(prose, parts[0]) if not prose.startswith(" " + parts[1], end)
                and not ((m := PAIR_AFTER.match(prose, end)) and prose.startswith(parts[-1], m.end())))
    last = sum(1 for start, _ in _whole_words(prose, parts[-1]) if not prose.endswith(parts[-2] + " ", 0, start))
    return first, last


def featurize(group: NameGroup, groups: list[NameGroup], text: str, parsed: Doc, catalog: Catalog,
              film_keys: set[str], emphasis: frozenset[int] = frozenset()) -> dict[str, float]:
    f: dict[str, float] = defaultdict(float)
    name, key = group.name, group.key
    words = key.split()
    f["bias"] = 1.0
    types = {m.type for m in group.mentions}
    f["rule_person"] = float("person" in types)
    f["rule_character"] = float("character" in types)
    for m in group.mentions:
        if m.cue in RULE_CUES:
            f["cue:" + m.cue] = 1.0
    f["known_person"] = float(catalog.is_known_person(name))
    f["given_first"] = float(len(words) >= 2 and words[0] in first_names(catalog))
    f["n_words=" + str(min(len(words), 4))] = 1.0
    f["n_mentions"] = math.log1p(len({m.start for m in group.mentions}))
    f["is_film_title"] = float(key in film_keys)
    f["catalog_title_any"] = float(catalog.has_title(key))  # any length; "catalog_title" below is its one-word twin
    f["all_caps"] = float(name.isupper() and len(name) > 3)
    f["surname_of_other"] = float(len(words) == 1 and any(
        g is not group and len(g.key.split()) > 1 and g.key.split()[-1] == key for g in groups))
    f["has_surname_alone"] = float(len(words) > 1 and any(g.key == words[-1] for g in groups))
    parts = name.split()
    if len(parts) >= 2:  # the writer calls a character by the first name alone, a real person by the surname
        first, last = _alone_counts(parts, unquoted(text))
        f["first_alone"], f["last_alone"] = math.log1p(first), math.log1p(last)
    if len(words) == 1:
        f["lower_in_text"] = math.log1p(len(_whole_words(text, words[0])))
        f["catalog_surname"] = math.log1p(len(catalog.people_with_surname(name)))
        f["given_name"] = float(key in first_names(catalog))
        f["catalog_title"] = f["catalog_title_any"]
    marks: dict[str, int] = defaultdict(int)
    mentions = list({m.start: m for m in group.mentions}.values())
    ents = {(e.start_char): e.label_ for e in parsed.ents}
    ends = {m.end for g in groups if g is not group for m in g.mentions}
    starts = {m.start for g in groups if g is not group for m in g.mentions}
    for m in mentions:
        before, after = text[max(0, m.start - 40):m.start], text[m.end:m.end + 40]
        marks["credit_by"] += bool(CREDIT_BY.search(before))
        marks["job_before"] += bool(JOB_BEFORE.search(before))
        role = bool(ROLE_BEFORE.search(before))
        marks["role_before"] += role
        marks["role_near_before"] += not role and bool(ROLE_NEAR_BEFORE.search(before))
        marks["played_by_after"] += bool(PLAYED_BY_AFTER.match(text[m.end:m.end + 60]))
        marks["honorific_before"] += bool(HONORIFIC_BEFORE.search(before))
        marks["speech_after"] += bool(SPEECH_AFTER.match(after))
        marks["who_after"] += bool(WHO_AFTER.match(after))
        marks["age_after"] += bool(AGE_AFTER.match(after))
        marks["possessive_after"] += after.startswith(("'s ", "’s "))
        marks["emphasised"] += m.start in emphasis  # italics mark titles, not people
        paren = PAREN_OPEN_AFTER.match(after)
        marks["paren_name_after"] += bool(paren) and (m.end + paren.end()) in starts
        marks["in_paren_after_name"] += before.rstrip().endswith("(") and any(0 <= m.start - e <= 3 for e in ends)
        marks["in_quotes"] += text.count("\u201c", 0, m.start) > text.count("\u201d", 0, m.start) \
            or text.count('"', 0, m.start) % 2 == 1
        label = ents.get(m.start)
        if label:
            marks["ent:" + label] += 1
    for mark, count in marks.items():
        if count:
            f[mark] = count / len(mentions)
    return dict(f)


def context_words(mentions: list[Mention], doc: Doc, window: int = CONTEXT_WINDOW) -> dict[str, float]:
    """The words around every mention, by position ("L1=as", "R2=directed") and as bags ("bL=",
    "bR="): never the name's own words (no weight is a name's) nor its shape, which a mention
    cut to a given name ("Joel" of "Joel & Ethan Vale") would misreport.
    The sparse input of the people and title models' context scorers (`learn/context.py`)."""
    out: dict[str, float] = {}
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        s, e = span.start, span.end
        for o in range(1, window + 1):
            if s - o >= 0:
                out[f"L{o}={doc[s - o].lower_}"] = out[f"bL={doc[s - o].lower_}"] = 1.0
            if e + o - 1 < len(doc):
                out[f"R{o}={doc[e + o - 1].lower_}"] = out[f"bR={doc[e + o - 1].lower_}"] = 1.0
    return out
