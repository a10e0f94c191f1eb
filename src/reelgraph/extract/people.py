"""People and characters: NER, catalog names, given names, surnames and possessives."""
from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc

from ..analyse import doc_text
from ..catalog import Catalog
from ..names import fold
from ..types import Mention
from . import patterns as P

_POSSESSIVE_SPLIT = re.compile(r"^(?P<owner>.+?)'s\s+(?P<owned>[A-Z].*)$")


def find_people(parsed: Doc, catalog: Catalog, title_starts: frozenset[int] = frozenset()
                ) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """People from NER and the catalog; "X's Y" then makes Y a film or X's character.
    `title_starts` are offsets where an italicised title begins ("Name Surname's _Title_")."""
    text = doc_text(parsed)
    people: list[Mention] = []
    other_ents = []
    for start, end, label in _ner_names(parsed):
        raw = text[start:end]
        split = _POSSESSIVE_SPLIT.match(raw)
        if split and label == "PERSON":
            raw = split.group("owner")
        name = P.clean_person(raw)
        if not name:
            continue
        s = start + raw.find(name)
        if label == "PERSON" or (len(name.split()) >= 2 and catalog.is_known_person(name)) \
                or (label == "ORG" and _looks_like_person(name, catalog)):
            people.append(Mention(s, s + len(name), name, "person", cue="ner"))
        elif label in ("GPE", "LOC", "FAC", "ORG", "NORP"):
            other_ents.append((start, end))
    people, other_ents = _catalog_people(parsed, catalog, people, other_ents)
    people += _owners_of_titles(text, people, title_starts, catalog)
    people += _given_name_people(text, people, other_ents, catalog)
    people += _short_names(text, people)
    shared = _shared_surnames(text, people, catalog)
    people = [p for p in people if not any(s.start <= p.start and p.end <= s.end for s in shared)] + shared
    people += _group_credits(text, people, catalog)
    people = _without_named_families(people)
    people, characters, films = _possessions(text, people, catalog)
    characters += _role_characters(text, people)
    char_keys = {fold(c.text) for c in characters}
    real = {fold(m.group("name")) for m in P.REAL_PERSON.finditer(text)}
    people = [p for p in people if fold(p.text) not in char_keys or fold(p.text) in real]
    return people, characters, films


def _ner_names(parsed: Doc) -> list[tuple[int, int, str]]:
    """NER's (start, end, label) spans, where a one-word PERSON takes in the capitalised proper
    nouns beside it that no longer entity holds ("Charlize" of "Charlize Theron", "Depp" of
    "Johnny Depp"): the small English model often tags only one word of a full name."""
    spans, absorbed = [], set()
    for ent in parsed.ents:
        start, end = ent.start, ent.end
        if ent.label_ == "PERSON" and len(ent) == 1:
            while start > 0 and ent.start - start < 2 and _name_word(parsed[start - 1]):
                start -= 1
            if start == ent.start and end < len(parsed) and _name_word(parsed[end], before=parsed[end - 1]):
                end += 1
            absorbed |= {parsed[i].idx for i in range(start, end) if i != ent.start}
        spans.append((parsed[start].idx, parsed[end - 1].idx + len(parsed[end - 1]), ent.label_))
    return [s for s in spans if s[0] not in absorbed or s[2] == "PERSON"]


def _name_word(token, before=None) -> bool:
    """A capitalised proper noun joined by one space to the name beside it (`before` is the token
    left of it, else the token itself is), in no PERSON and in no entity of more than one word."""
    word, doc = token.text, token.doc
    joined = (before or token).whitespace_ == " "
    entity_continues = token.i + 1 < len(doc) and doc[token.i + 1].ent_iob_ == "I"
    lone_entity = not token.ent_type_ or (token.ent_iob_ == "B" and not entity_continues)
    shaped = word[:1].isupper() and any(c.islower() for c in word) and word.replace("-", "").replace("'", "").isalpha()
    return joined and lone_entity and token.ent_type_ != "PERSON" and token.pos_ == "PROPN" and shaped


def _looks_like_person(name: str, catalog: Catalog) -> bool:
    """A two- or three-word name that opens with a common given name and is no known studio."""
    words = fold(name).split()
    return 2 <= len(words) <= 3 and words[0] in first_names(catalog) and not catalog.is_known_studio(name) \
        and P.clean_person(name) == name


def _owners_of_titles(text: str, people: list[Mention], title_starts: frozenset[int],
                      catalog: Catalog) -> list[Mention]:
    """"Marta Kowalska's _The Orchard_": a two- or three-word name owning an italicised title."""
    taken = [(p.start, p.end) for p in people]
    out = []
    for m in P.NAME_BEFORE_TITLE.finditer(text):
        if m.end() not in title_starts or catalog.is_known_studio(m.group("name")):
            continue
        if any(s < m.end("name") and m.start() < e for s, e in taken) or P.clean_person(m.group("name")) != m.group("name"):
            continue
        out.append(Mention(m.start(), m.end("name"), m.group("name"), "person", cue="title-owner"))
    return out


def _given_name_people(text: str, people: list[Mention], blocked: list[tuple[int, int]],
                       catalog: Catalog) -> list[Mention]:
    """"Chloe Zhao": a common given name followed by a capitalised surname, missed by NER or read
    by it as a place or group."""
    given_names = first_names(catalog)
    taken = [(p.start, p.end) for p in people]
    out = []
    for m in P.GIVEN_NAME_PAIR.finditer(text):
        given, family = m.group("given"), m.group("family")
        if fold(given) not in given_names or fold(family) in given_names or catalog.has_title(fold(m.group(0))):
            continue
        crossed = [(s, e) for s, e in blocked if not (m.start() <= s and e <= m.end())]  # "Giovanni" read as a place
        if any(s < m.end() and m.start() < e for s, e in taken + crossed) or P.clean_person(m.group(0)) != m.group(0):
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


GROUP_CREDIT = re.compile(r"(?<![\w'])(?P<name>[A-Z][\w'-]{1,30} (?:[Bb]rothers|[Ss]isters))(?![\w'])(?! (?:Pictures|Studios?|Entertainment|Records|Films?)\b)")


SHARED_SURNAME = re.compile(r"(?<![\w'])(?P<given>[A-Z][a-z]{1,20}) (?:and|&) [A-Z][a-z]{1,20} (?P<surname>[A-Z][\w'-]{1,30})(?![\w'])")


def _shared_surnames(text: str, people: list[Mention], catalog: Catalog) -> list[Mention]:
    """"Joel and Ethan Coen": the first given name is a person of that surname too ("Joel Coen")."""
    ends = {p.end for p in people if " " in p.text}
    given_names = first_names(catalog)
    out = []
    for m in SHARED_SURNAME.finditer(text):
        given = m.group("given")
        after_a_name = re.search(r"[A-Z][\w'-]*[ \t]$", text[max(0, m.start() - 40):m.start()])
        if m.end() in ends and fold(given) in given_names and not after_a_name:  # not "Mahershala Ali and Viggo ..."
            out.append(Mention(m.start(), m.end("given"), given, "person", cue="shared-surname",
                               name=f"{given} {m.group('surname')}"))
    return out


def _without_named_families(people: list[Mention]) -> list[Mention]:
    """"The Coens" is no person of its own where the article names two Coens."""
    counts = Counter(p.full_name.split()[-1] for p in people if " " in p.full_name)
    families = {f"{surname}s" for surname, n in counts.items() if n >= 2}
    return [p for p in people if p.text not in families]


def _group_credits(text: str, people: list[Mention], catalog: Catalog) -> list[Mention]:
    """"The Coen brothers" is one credited name while the article does not name the members;
    where it names two people of that surname, the members stand for the group."""
    out = []
    for m in GROUP_CREDIT.finditer(text):
        name, family = m.group("name"), m.group("name").split()[0]
        members = {p.full_name for p in people if " " in p.full_name and p.full_name.split()[-1] == family}
        if len(members) < 2 and not catalog.is_known_studio(name) and not catalog.is_known_studio(family):
            out.append(Mention(m.start(), m.end(), name, "person", cue="group"))  # outranks "Coen" inside it
    return out


def _possessions(text: str, people: list[Mention], catalog: Catalog) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """"X's Y" where X is a person: Y is a character when it reads as a person's name
    (a known first name, not a known actor), else a title ("Riz Ahmed's Mogul Mowgli");
    "X's <work noun> Y" is always a title ("McQueen's festival opener Mangrove")."""
    owners = {p.end: p for p in people}
    starts = {p.start: p for p in people}
    characters, films, demoted = [], [], set()
    given_names = first_names(catalog)
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
        owned_person = catalog.is_known_person(title) or (t_start in starts and " " in title)
        lone = " " not in owner.text and not any(owner.text in p.text.split() for p in people if " " in p.text)
        if catalog.has_title(fold(whole)) or lone and not m.group("noun") and not owned_person:  # "Ryan's Daughter"
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
                key.split()[0] in given_names or (t_start in starts and " " in key)):
            characters.append(Mention(t_start, t_end, title, "character", cue="possessive"))
            if t_start in starts:
                demoted.add(t_start)
        else:
            films.append(Mention(t_start, t_end, title, "film", cue="possessive"))
            if t_start in starts:
                demoted.add(t_start)
    return [p for p in people if p.start not in demoted], characters, films


_FIRST_NAMES: dict[int, frozenset[str]] = {}


def first_names(catalog: Catalog) -> frozenset[str]:
    """Given names seen at least five times among the catalog's cast and crew (once per catalog)."""
    if id(catalog) not in _FIRST_NAMES:
        counts = Counter(fold(n).split()[0] for n in catalog.person_names() if " " in n)
        _FIRST_NAMES[id(catalog)] = frozenset(w for w, c in counts.items() if c >= 5)
    return _FIRST_NAMES[id(catalog)]


def _catalog_people(parsed: Doc, catalog: Catalog, people: list[Mention], other_ents: list[tuple[int, int]]
                    ) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Add the two- and three-word names the catalog knows as actors or crew, missed by NER or
    cut short by it ("Shia" read as a nationality in "Shia LaBeouf"): a known name replaces
    the shorter entities inside it. Returns (people, the other entities left)."""
    taken = [(m.start, m.end) for m in people] + list(other_ents)
    replaced: set[tuple[int, int]] = set()
    out = []
    text = doc_text(parsed)
    for start, end in name_windows(text, P.NAME_RUN):
        name = text[start:end]
        single = " " not in name  # one-name performers count only when the catalog knows them and the word is no common one
        if single and (catalog.common_word_title(name) or catalog.has_title(fold(name)) or not name[1:].islower()):
            continue
        inside = {(s, e) for s, e in taken if start <= s and e <= end and (s, e) != (start, end)} if not single else set()
        if any(s < end and start < e for s, e in taken if (s, e) not in inside) or P.clean_person(name) != name:
            continue
        if catalog.is_known_person(name):
            out.append(Mention(start, end, name, "person", cue="catalog"))
            taken = [t for t in taken if t not in inside] + [(start, end)]
            replaced |= inside
    kept = [m for m in people if (m.start, m.end) not in replaced] + out
    return kept, [t for t in other_ents if t not in replaced]


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
    for m in P.CHARACTER_AFTER_ROLE.finditer(text):
        if m.start("char") not in person_at or " " in m.group("char"):  # "She plays Mildred Hayes"
            out.append(_character(m))
    return out


def _character(m: re.Match[str]) -> Mention:
    name = m.group("char").rstrip(".'")
    return Mention(m.start("char"), m.start("char") + len(name), name, "character", cue="role")


def name_windows(text: str, run: re.Pattern[str]) -> list[tuple[int, int]]:
    """Every word window of each capitalised run, longest first, without overlaps."""
    found: list[tuple[int, int]] = []
    for m in run.finditer(text):
        words = [(w.start() + m.start(), w.end() + m.start()) for w in re.finditer(r"\S+", m.group(0))]
        windows = sorted(((i, j) for i in range(len(words)) for j in range(i, len(words))), key=lambda w: w[0] - w[1])
        for i, j in windows:
            found.append((words[i][0], words[j][1]))
    return found


_EVENT_WORDS = frozenset("war wars revolution olympics games cup championship election uprising crisis pandemic "
                         "depression era age dynasty empire republic kingdom festival awards eve christmas easter "
                         "street avenue road square station bridge river mountain island county state city "
                         "cinema cinemas inn manor hotel theatre theater museum con prediction language".split())
_PRONOUN_LIKE = re.compile(r"^(?:I|I[\u00b4\u2019'`]\w*|Im|Ive|Ill|Id|Oh|Ok|Okay|Yes|No|Mr|Mrs|Ms|Dr|Dir|Prof|Sir|Dame|Lord|Lady|God|Jesus)$")


def not_a_person(name: str) -> bool:
    """Events, wars, places and pronoun-like tokens read as names by NER ("World War I", "I´m")."""
    words = name.split()
    if not words or _PRONOUN_LIKE.match(name) or any(ch in name for ch in "\u00b4`"):
        return True
    if words[-1].lower() in _EVENT_WORDS or any(w.lower() in ("war", "wars") for w in words):
        return True
    return bool(re.fullmatch(r"(?:[A-Z][\w'-]* )+(?:I{1,3}|IV|V|VI{0,3})", name)) and len(words) > 2
