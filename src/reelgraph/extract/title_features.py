"""Candidate titles and their features for the learned title classifier (`learn/titles.py`).

Candidates are every span a rule cue proposes (`titles.py`), plus header lines, quoted spans
(straight and curly quotes), italic spans, spaCy WORK_OF_ART names and capitalised runs listed
beside other candidates. They are grouped by folded title per document; each group gets one
feature dict (marks, cue words around its mentions, catalog match and ambiguity, shape, header
position, repeats, person/company likelihood, the titles listed beside it: `title_lists.py`) and
one decision: film, series or neither.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..catalog import Catalog
from ..names import fold
from ..types import Document, Mention
from . import patterns as P
from .people import first_names
from .title_lists import list_features, listed_runs

LIST_NUMBER = re.compile(r"^(?:#?\d{1,3}\s*[.):]*\)?\s+|\d{1,3}\s*[.)]+\s*)(?=\S)")
NUMBERED_LINE = re.compile(r"(?m)^[ \t]*#?\d{1,3}\s*[.):]*\)?[ \t]+[A-Z]")
MIN_LIST_LINES = 3  # lines that start with a number and a capital: a numbered list
HEADER_LINE = re.compile(r"(?m)^[ \t]*(?P<line>[^\n]{1,90}?)[ \t]*$")
QUOTED = re.compile(r"(?:^|(?<=[\s(\[]))(?P<q>['\u2018\"\u201c])(?P<title>[A-Z0-9][^\n'\"\u201c\u201d\u2018\u2019]{0,70}?)"
                    r"[,.!?]?['\u2019\"\u201d](?![\w])")
COMPANY_AFTER = re.compile(r"^'?s? ?(?:Entertainment|Studios?|Pictures|Films|Productions|Media|Animation|Group|"
                           r"Network|Channel|Records|Inc\b|Ltd\b|Corp|Company|Distribution|Releasing|Television|TV\b)")
SERIES_BEFORE = re.compile(r"\b(?:series|show|sitcom|TV|television|season|miniseries|mini-series|docuseries|"
                           r"drama series|franchise|HBO|Netflix series|episode|programme|program|soap)\s*$", re.I)
SERIES_AFTER = re.compile(r"^(?:'s)?\s*(?:season|series|episode|showrunner|franchise|saga|universe|trilogy|TV)\b", re.I)
OTHER_WORK_BEFORE = re.compile(r"\b(?:novel|book|play|song|single|album|memoir|poem|podcast|magazine|newspaper|"
                               r"game|video game|comic|musical|opera|ballet|painting|story|track|record|column)s?,?\s*$", re.I)
PLACE_BEFORE = re.compile(r"\b(?:in|at|from|near|to|across|outside|around|of)\s+(?:the\s+)?$")
FILM_WORD_BEFORE = re.compile(rf"\b(?:{P.FILM_NOUNS})s?,?\s*(?:called |titled |entitled )?$")
CREDIT_BEFORE = re.compile(r"\b(?:directed|starring|stars?|starred|appeared in|role in|premiered|premieres|screened|"
                           r"sequel to|remake of|prequel to|follow-up to|version of|watch|watched|see|saw|released)\s+(?:in\s+)?$", re.I)
CREDIT_AFTER = re.compile(r"^,?\s*(?:\((?:19|20)\d\d\)|directed by|starring|stars\b|starred\b|premiered|premieres|"
                          r"opens|opened|grossed|earned|debuted|is released|was released|hits|arrives)", re.I)
PERSON_VERB_AFTER = re.compile(r"^,?\s*(?:said|says|told|tells|added|explained|recalled|who|has|had|he|she|is an? (?:actor|actress|director))\b")
HEADER_TIME = re.compile(r"^\d{1,2}[:.]\d\d:?\s+(?=\S)")
HEADER_NOTE = re.compile(r"\s*\([^()\n]{1,60}\)\s*$")
WORD_RX = re.compile(r"[A-Za-z][\w'’-]*")
CATEGORY_WORDS = re.compile(r"\b(?:Best|Picture|Actor|Actress|Directing|Director|Screenplay|Cinematography|Score|"
                            r"Design|Editing|Prediction|Category|Nominees?|Winners?|Verdict|Rating|Runtime|Released)\b")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
OPEN_QUOTES = ("'", '"', "\u201c", "\u2018")
CLOSE_QUOTE = re.compile(r"[,.]?['\"\u201d\u2019]")
PAREN_YEAR = re.compile(r"\s*\((?:19|20)\d\d\)")
CUES = ("year-possessive", "year-paren", "year-noun", "film-noun", "rating", "verb", "franchise", "emphasis",
        "quoted", "catalog", "possessive", "possessive-noun", "owns-person", "listed", "repeat", "header",
        "quote-any", "work", "list-run")
EXTRA_CUES = frozenset({"header", "quote-any", "work", "list-run"})


EDGE_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")


@dataclass
class TitleGroup:
    """Every candidate mention of one folded title in one document."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    rule_kept: bool = False

    @property
    def text(self) -> str:
        return max((m.text for m in self.mentions), key=len)


def extra_candidates(doc: Document, parsed: Doc) -> list[Mention]:
    """Header lines, quoted spans, WORK_OF_ART names; list numbers are stripped off."""
    text = doc.clean
    out: list[Mention] = []
    for m in HEADER_LINE.finditer(text):
        line = m.group("line")
        s = m.start("line")
        num = LIST_NUMBER.match(line) or HEADER_TIME.match(line)
        if num:
            line, s = line[num.end():], s + num.end()
        year = None
        yr = re.search(r"\s*\(((?:19|20)\d\d)\)\s*$", line)
        if yr:
            line, year = line[:yr.start()], int(yr.group(1))
        else:  # "Title (Netflix)", "Title (in cinemas, 12A)": the note is no part of the title
            note = HEADER_NOTE.search(line)
            line = line[:note.start()] if note and note.start() else line
        line = P.trim_title(line)
        words = line.split()
        if not line or len(words) > 9 or not line[0].isupper() or line.endswith((".", "?", "!")) and not year:
            continue
        caps = sum(w[0].isupper() or w[0].isdigit() for w in words if w.lower() not in P.TITLE_JOINERS)
        if caps < 0.7 * max(1, sum(w.lower() not in P.TITLE_JOINERS for w in words)):
            continue
        out.append(Mention(s, s + len(line), line, "film", year=year, cue="header"))
    for m in QUOTED.finditer(text):
        title = P.trim_title(m.group("title"))
        if title and len(title.split()) <= 8 and P.TITLE_RX.fullmatch(title):
            s = m.start("title")
            out.append(Mention(s, s + len(title), title, "film", cue="quote-any"))
    for ent in parsed.ents:
        if ent.label_ == "WORK_OF_ART":
            title = P.trim_title(ent.text.strip("'\"\u201c\u201d\u2018\u2019 "))
            if title and title[0].isupper():
                s = ent.start_char + ent.text.find(title)
                out.append(Mention(s, s + len(title), title, "film", cue="work"))
    return out


def numbered_variants(text: str, mentions: list[Mention], in_list: bool) -> list[Mention]:
    """"17 Pather Panchali" at the start of a line is also the title without its list number
    ("12 Angry Men" may be a title); in a numbered list it is only the title without it."""
    out = []
    for m in mentions:
        line_start = text.rfind("\n", 0, m.start) + 1
        num = LIST_NUMBER.match(m.text)
        if num and not text[line_start:m.start].strip() and len(m.text) > num.end():
            out.append(Mention(m.start + num.end(), m.end, m.text[num.end():], m.type, year=m.year, cue=m.cue))
            if in_list:
                continue
        out.append(m)
    return out


def group_candidates(candidates: list[Mention], kept: list[Mention]) -> list[TitleGroup]:
    groups: dict[str, TitleGroup] = {}
    for m in candidates + kept:
        key = fold(m.text)
        if key:
            groups.setdefault(key, TitleGroup(key)).mentions.append(m)
    for m in kept:
        if fold(m.text) in groups:
            groups[fold(m.text)].rule_kept = True
    return sorted(groups.values(), key=lambda g: min(m.start for m in g.mentions))


@dataclass
class DocContext:
    text: str
    headline_end: int
    ent_at: list[tuple[int, int, str]]
    person_names: set[str]
    person_words: set[str]
    person_spans: list[tuple[int, int]]
    lower_counts: dict[str, int]
    ent_starts: list[int] = field(default_factory=list)
    character_names: set[str] = field(default_factory=set)  # "X" of "Person as X", "X (Person)", "plays X"
    outlet_spans: list[tuple[int, int]] = field(default_factory=list)  # "told X", "according to X"
    parsed: Doc | None = None
    lists: dict[str, dict[str, float]] = field(default_factory=dict)  # group key -> list features

    def entity_label(self, m: Mention) -> str | None:
        """The label of the spaCy entity holding the mention's start, or else starting inside it."""
        i = bisect.bisect_right(self.ent_starts, m.start) - 1
        if i >= 0 and m.start < self.ent_at[i][1]:
            return self.ent_at[i][2]
        if i + 1 < len(self.ent_at) and self.ent_at[i + 1][0] < m.end:
            return self.ent_at[i + 1][2]
        return None


def doc_context(doc: Document, parsed: Doc, people: list[Mention], characters: list[Mention] = ()) -> DocContext:
    text = doc.clean
    body = text.strip()
    headline_end = text.find("\n") if "\n" in body else 0  # a text of one line has no headline
    names = {fold(p.text) for p in people}
    counts: dict[str, int] = defaultdict(int)
    for w in re.findall(r"(?<![\w'])[a-z][a-z'-]+", text):
        counts[w] += 1
    ents = sorted((e.start_char, e.end_char, e.label_) for e in parsed.ents)
    outlets = [(m.start(g), m.end(g)) for m in P.OUTLET_CUES.finditer(text) for g in ("outlet", "reporter") if m.group(g)]
    return DocContext(text, headline_end, ents, names, {w for n in names if " " in n for w in n.split()},
                      [(p.start, p.end) for p in people], counts, [s for s, _, _ in ents],
                      {fold(c.text) for c in characters}, outlets, parsed)


def featurize(group: TitleGroup, ctx: DocContext, catalog: Catalog) -> dict[str, float]:
    """One feature dict per title group: binary marks and a few log counts."""
    f: dict[str, float] = defaultdict(float)
    text, title = ctx.text, group.text
    words = title.split()
    key = group.key
    f["bias"] = 1.0
    f["rule_kept"] = float(group.rule_kept)
    cues = {m.cue for m in group.mentions}
    extra_only = cues <= EXTRA_CUES
    f["src:" + ("kept" if group.rule_kept else "extra" if extra_only else "rejected")] = 1.0
    for cue in CUES:
        if cue in cues:
            f["cue:" + cue] = 1.0
            if group.rule_kept:
                f["kept&" + cue] = 1.0
    f["n_cues"] = math.log1p(len(cues))
    starts = {m.start for m in group.mentions}
    f["n_mentions"] = math.log1p(len(starts))
    f["n_words=" + str(min(len(words), 5))] = 1.0
    f["has_year"] = float(any(m.year for m in group.mentions))
    # catalog
    films = catalog.films_titled(title)
    f["cat_match"] = float(bool(films))
    f["cat_ambiguity"] = math.log1p(len(films))
    f["cat_main_title"] = float(bool(catalog.films_by_main_title(title)))
    f["common_word"] = float(catalog.common_word_title(title))
    f["known_person"] = float(catalog.is_known_person(title))
    f["known_studio"] = float(catalog.is_known_studio(title))
    f["given_name_first"] = float(len(words) in (2, 3) and fold(words[0]) in first_names(catalog))
    years = {m.year for m in group.mentions if m.year}
    if films and years:
        f["cat_year_agrees"] = float(any(film.year in years for film in films))
    if films:
        crew = {fold(x) for film in films for x in (*film.cast, *film.directors, *film.writers)}
        f["cat_crew_in_doc"] = float(bool(crew & ctx.person_names))
    # shape
    f["all_caps"] = float(title.isupper() and len(title) > 3)
    f["starts_digit"] = float(title[0].isdigit())
    f["has_colon"] = float(":" in title)
    f["starts_the"] = float(words[0].lower() in ("the", "a", "an"))
    f["lower_in_text"] = math.log1p(ctx.lower_counts.get(title.lower(), 0)) if len(words) == 1 else 0.0
    f["person_word"] = float(len(words) == 1 and key in ctx.person_words)
    f["is_person_name"] = float(key in ctx.person_names)
    f["is_character"] = float(key in ctx.character_names)
    f.update(_line_features(group, ctx))
    f.update(ctx.lists.get(key, {}))
    f["generic"] = float(P.is_generic_phrase(title))
    # context of each mention (share of mentions showing each mark)
    marks: dict[str, int] = defaultdict(int)
    ments = list({m.start: m for m in group.mentions}.values())
    for m in ments:
        before, after = text[max(0, m.start - 40):m.start], text[m.end:m.end + 40]
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        marks["in_headline"] += m.start < ctx.headline_end
        marks["line_start"] += not text[line_start:m.start].strip()
        marks["whole_line"] += not text[line_start:m.start].strip() and not text[m.end:line_end].strip(" \t()0123456789")
        marks["sentence_start"] += bool(SENTENCE_START.search(text[max(0, m.start - 3):m.start]) or m.start == 0)
        marks["quoted"] += before.endswith(OPEN_QUOTES) and bool(CLOSE_QUOTE.match(after))
        marks["curly"] += before.endswith("\u201c")
        marks["paren_year"] += bool(PAREN_YEAR.match(after))
        marks["film_word_before"] += bool(FILM_WORD_BEFORE.search(before))
        marks["credit_before"] += bool(CREDIT_BEFORE.search(before))
        marks["credit_after"] += bool(CREDIT_AFTER.match(after))
        marks["film_context_after"] += bool(P.FILM_CONTEXT_AFTER.match(after))
        marks["series_before"] += bool(SERIES_BEFORE.search(before))
        marks["series_after"] += bool(SERIES_AFTER.match(after))
        marks["other_work_before"] += bool(OTHER_WORK_BEFORE.search(before))
        marks["place_before"] += bool(PLACE_BEFORE.search(before))
        marks["company_after"] += bool(COMPANY_AFTER.match(after))
        marks["person_verb_after"] += bool(PERSON_VERB_AFTER.match(after))
        marks["possessive_after"] += after.startswith("'s ")
        marks["colon_after"] += after.startswith(":")
        marks["in_person"] += any(s <= m.start and m.end <= e for s, e in ctx.person_spans)
        marks["in_outlet"] += any(s < m.end and m.start < e for s, e in ctx.outlet_spans)
        marks["holds_person"] += any(m.start <= s and e <= m.end and e - s < m.end - m.start for s, e in ctx.person_spans)
        marks["holds_award"] += bool(P.AWARD.search(m.text))
        label = ctx.entity_label(m)
        if label:
            marks["ent:" + label] += 1
        marks["prev:" + _edge_word(before, -1)] += 1  # the word or mark next to it, for the trees to weigh
        marks["next:" + _edge_word(after, 0)] += 1
    for name, count in marks.items():
        if count:
            f[name] = count / len(ments)
    return dict(f)


def _edge_word(context: str, index: int) -> str:
    tokens = EDGE_TOKEN.findall(context)
    return tokens[index].lower() if tokens else "|"


def _line_features(group: TitleGroup, ctx: DocContext) -> dict[str, float]:
    """How the first mention's line reads (a heading that is a sentence or an award category
    is no title) and how much of the title spaCy tags as proper nouns."""
    f: dict[str, float] = {}
    m = min(group.mentions, key=lambda m: m.start)
    text = ctx.text
    line = text[text.rfind("\n", 0, m.start) + 1:(text.find("\n", m.end) + 1 or len(text) + 1) - 1]
    words = WORD_RX.findall(line)
    if words and len(line) <= 100:
        lower = [w for w in words if w[0].islower() and w.lower() not in P.TITLE_JOINERS]
        f["line_lower_share"] = len(lower) / len(words)
        f["line_category"] = float(bool(CATEGORY_WORDS.search(line)))
    if ctx.parsed is not None:
        span = ctx.parsed.char_span(m.start, m.end, alignment_mode="expand")
        tokens = [t for t in span or () if t.is_alpha]
        if tokens:
            f["propn_share"] = sum(t.pos_ == "PROPN" for t in tokens) / len(tokens)
    return f


def title_groups(doc: Document, parsed: Doc, catalog: Catalog, candidates: list[Mention], kept: list[Mention],
                 people: list[Mention], characters: list[Mention] = ()) -> tuple[list[TitleGroup], DocContext]:
    """The candidate groups of a document (rule candidates, rule-kept mentions and extra spans)."""
    extra = extra_candidates(doc, parsed)
    allc = candidates + extra
    in_list = len(NUMBERED_LINE.findall(doc.clean)) >= MIN_LIST_LINES
    allc = numbered_variants(doc.clean, allc, in_list)
    if in_list:
        kept = numbered_variants(doc.clean, kept, in_list)
    allc += listed_runs(doc.clean, allc, {fold(m.text) for m in allc + kept + people + list(characters)})
    groups, ctx = group_candidates(allc, kept), doc_context(doc, parsed, people, characters)
    ctx.lists = list_features(groups, doc.clean, catalog)
    return groups, ctx


def accepted_mentions(text: str, group: TitleGroup, kind: str) -> list[Mention]:
    """The mentions an accepted group contributes: one per span, years kept, typed `kind`."""
    by_span: dict[tuple[int, int], Mention] = {}
    for m in sorted(group.mentions, key=lambda m: m.year is None):
        by_span.setdefault((m.start, m.end), m)
    return [Mention(m.start, m.end, m.text, kind, year=m.year, cue=m.cue) for m in by_span.values()]
