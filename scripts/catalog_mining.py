"""The catalog build's regex miner: crew, studios and film links from a Wikipedia lead paragraph.

    mine_crew -> classify: directors, writers, producers, composers and studios per film
    mine_links: remake_of / sequel_of / based_on

Imported by build_catalog.py, which puts src/ on the path for `reelgraph.names`.
"""
from __future__ import annotations

import re
from collections import defaultdict

from reelgraph.names import fold

ROLES = ("directors", "writers", "producers", "composers", "studios")
YEAR = r"(?:1[89]\d\d|20\d\d)"

# ---------------------------------------------------------------- reading names
_WORD = re.compile(r"[ \t]*([^\s,;:()\[\]\"“”]+)")
_SEP = {False: re.compile(r",?\s+and\s+|,\s+|\s+&\s+"), True: re.compile(r",?\s+and\s+|,\s+")}
_JR = re.compile(r",?\s+(Jr|Sr)\b\.?")
_DESCRIPTOR = re.compile(  # "the American filmmaker ", "first time writer/director "
    r"(?:\s*(?:(?:the|a|an)\s+)?(?:[\w/'-]+\s+){0,3}?(?:film\s?maker|director|actor|actress|"
    r"producer|writer|screenwriter|comedian|cinematographer|animator|novelist|playwright|author|"
    r"composer|musician|photographer|cartoonist)\s+(?=[A-Z]))?")
_INITIAL = re.compile(r"^(?:[^\W\d_]\.)+$")
_ABBR = {"jr.", "sr.", "st.", "dr.", "mr.", "mrs.", "ms.", "mt.", "bros.", "inc.", "co.", "corp.", "ltd."}
_ENDS_NAME = {"jr.", "sr.", "bros.", "inc.", "co.", "corp.", "ltd."}
_PARTICLES = {"de", "del", "della", "der", "den", "di", "da", "das", "dos", "du", "la", "le",
              "van", "von", "bin", "ibn", "al", "el", "y", "ter", "zu"}
ORG_WORDS = {"pictures", "picture", "productions", "production", "studios", "studio", "films",
             "film", "entertainment", "corporation", "company", "bros", "inc", "corp", "co", "ltd",
             "llc", "media", "animation", "releasing", "artists", "features", "television",
             "network", "group", "international", "enterprises", "distributing", "distribution",
             "classics", "attractions", "cinema", "industries", "associates", "brothers",
             "exchange", "manufacturing", "partners", "works", "channel", "records"}
_ORG_SUFFIX = {"pictures", "productions", "studios", "films", "entertainment", "corporation",
               "company", "bros", "inc", "animation", "releasing", "distribution", "classics",
               "attractions", "cinema", "features", "media"}
_NOT_NAME_START = {"the", "it", "he", "she", "they", "this", "that", "his", "her", "its", "their",
                   "a", "an", "in", "on", "at", "after", "before", "when", "while", "both", "as",
                   "with", "from", "for", "also", "later", "film", "there", "these", "each"}


def _upper(word: str, org: bool) -> bool:
    return word[:1].isupper() or (org and word[:1].isdigit())


def _read_one(text: str, pos: int, org: bool) -> tuple[list[str], int, bool]:
    """One capitalised name at pos: (tokens, end, whether a sentence end stopped it)."""
    toks: list[str] = []
    while m := _WORD.match(text, pos):
        word, low = m.group(1), m.group(1).lower()
        if not _upper(word, org):  # "de", "van"; "of"/"&" inside company names
            nxt = _WORD.match(text, m.end())
            linker = low in ({"of", "&", "de", "du"} if org else _PARTICLES)
            if not (toks and linker and nxt and _upper(nxt.group(1), org)):
                break
        elif re.search(r"['’]s$", word):  # a possessive ends the name and the list
            return toks + [word[:-2]], m.end(), True
        elif word.endswith(".") and not (_INITIAL.match(word) or low in _ABBR):
            return toks + [word[:-1]], m.end(), True  # sentence end
        toks.append(word)
        pos = m.end()
        if low in _ENDS_NAME:  # "Warner Bros." ends unless a company word follows
            nxt = _WORD.match(text, pos)
            if not (org and nxt and nxt.group(1).lower().strip(".") in ORG_WORDS):
                return toks, pos, True
    return toks, pos, False


def read_names(text: str, pos: int, org: bool = False) -> list[str]:
    """A list of capitalised names ("A, B and C") starting at pos."""
    names: list[str] = []
    pos = (re.compile(r"\s*(?:the\s+)?") if org else _DESCRIPTOR).match(text, pos).end()
    while True:
        toks, pos, ended = _read_one(text, pos, org)
        if toks and not org and not ended and (jr := _JR.match(text, pos)):
            toks.append(jr.group(1) + ".")
            pos = jr.end()
        if toks and (org or toks[0].lower() not in _NOT_NAME_START):
            names.append(" ".join(toks))
        sep = None if ended or not toks else _SEP[org].match(text, pos)
        nxt = _WORD.match(text, sep.end()) if sep else None
        if not nxt or not _upper(nxt.group(1), org):
            return names
        pos = sep.end()


def is_org_name(name: str) -> bool:
    words = name.split()
    return any(w.strip(".").lower() in ORG_WORDS for w in words[1:]) or bool(re.search(r"\d", name))


# ---------------------------------------------------------------- crew cues
_VERB = (r"(?:co-?)?(?:written|directed|produced|distributed|released|scored|financed|edited|"
         r"photographed|shot|filmed|animated|created|developed|adapted)")
_CHAIN = re.compile(  # "written, produced and directed by", "released on May 6, 2022, by"
    rf"\b({_VERB}(?:(?:,\s*and\s+|,\s*|\s+and\s+){_VERB})*)"
    r"(?:\s+(?:on|in)\s+[\w ]{3,22}?(?:,\s*\d{4})?)?,?\s+by,?\s+(?:and\s+star(?:ring|red|s)\s+)?", re.I)
_VERB_ROLE = {"direct": "directors", "written": "writers", "adapted": "writers",
              "produced": "producers", "distributed": "studios", "released": "studios",
              "financed": "studios", "scored": "composers"}
_NOUN_CUES = [
    (r"\b(?:screenplay|script|teleplay|scenario)\s+(?:(?:was|is)\s+)?(?:(?:written|adapted)\s+)?by\s+",
     "writers"),
    (r"\b(?:music|score|soundtrack)\s+(?:score\s+)?(?:(?:was|is)\s+)?"
     r"(?:(?:composed|written|performed)(?:\s+and\s+\w+ed)?\s+)?by\s+", "composers"),
    (r"\b(?:composed|scored)\s+by\s+", "composers"),
    (r"\b(?:for|under|with)\s+(?:distribution|release)\s+by\s+", "studios"),
    (r"\bwriter[-\s]director\s+", "writers+directors"),
    (r"\bdirector\s+(?:was|is)\s+|\bfrom\s+director\s+|\b(?:film|short|cartoon)\s+by\s+", "directors"),
]
_NOUN_CUES = [(re.compile(rx, re.I), role) for rx, role in _NOUN_CUES]
_NAME_RX = r"[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’\-]+)){0,3}"
_BACKWARD = re.compile(  # "Roy William Neill directed and ...", "Tom Stoppard wrote the screenplay"
    rf"({_NAME_RX}(?:,\s+{_NAME_RX})*(?:,?\s+and\s+{_NAME_RX})?)\s+(?:also\s+)?(?:co-?)?"
    r"(directed|wrote\s+the\s+(?:screenplay|script|scenario)|composed\s+the\s+(?:music|score))"
    r"\b(?!\s+by)(?=\s*[.,;]|\s+and\b|\s+it\b|\s+(?:the|this)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:film|picture|movie|screenplay|script|scenario|music|score)\b)")
_NOUN_BEFORE = r"\s+(?:(?:was|is|were|originally|also|first)\s+)*$"
_SOURCE_BEFORE = re.compile(r"(?<!film )(?<!movie )\b(?:novel|story|stories|book|play|songs?|lyrics|"
                            r"poem|article|comic|memoir|series|show|album|opera|game)s?"
                            + _NOUN_BEFORE, re.I)
_MUSIC_BEFORE = re.compile(r"\b(?:music|score|soundtrack)" + _NOUN_BEFORE, re.I)
_OTHER_FILM = re.compile(rf"\b({YEAR})\s+(?:[\w-]+\s+){{0,2}}?(?:film|movie|version|picture)\b|"
                         rf"\(({YEAR})\)|\b(?:remake\s+of|sequel\s+to|later\s+made\s+into)\b")
_SENT_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_PRODUCTION = re.compile(r"\b(?:produc|distribut|releas|financ|co-produc)\w*", re.I)
_CAPS_RUN = re.compile(r"(?<![\w.])[A-Z0-9][\w'’&\-]*\.?(?:\s+(?:of\s+|&\s+)?[A-Z0-9][\w'’&\-]*\.?)*")
_A_STUDIO_FILM = re.compile(r"\b(?:a|an)\s+([A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*\.?){0,3})\s+"
                            r"(?:original\s+)?(?:film|production|release|picture|movie)\b")
_ON_STUDIO = re.compile(r"\b(?:made|produced|released|premiered|streaming|streamed|exclusively)"
                        r"\s+(?:\w+\s+)?(?:for|on)\s+")


def sentences(text: str) -> list[str]:
    """Split at sentence ends, but not after initials or abbreviations ("Fred M. Wilcox")."""
    out: list[str] = []
    for piece in _SENT_BREAK.split(text):
        last = out[-1].rsplit(None, 1)[-1] if out else ""
        if _INITIAL.match(last) or last.lower() in _ABBR:
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def _about_other_film(clause: str, year: int | None, dated_only: bool = False) -> bool:
    """The clause names another film ("the 1932 film", "(1938)", or "a remake of")."""
    return any((not y and not dated_only) or (y and year and abs(int(y) - year) > 1)
               for y in map("".join, _OTHER_FILM.findall(clause)))


def _clause_before(text: str, pos: int) -> str:
    return text[max(text.rfind(c, 0, pos) for c in ".;,(") + 1:pos]


def _sentence_before(text: str, pos: int) -> str:
    return text[text.rfind(". ", 0, pos) + 1:pos]


def mine_crew(text: str, studio_vocab: set[str] | None = None,
              year: int | None = None) -> dict[str, list[str]]:
    """Raw crew mentions in one lead paragraph: role -> names, unresolved, in order.
    Role "mixed" holds producer lists that name a company; `classify` sorts them out."""
    out: dict[str, list[str]] = defaultdict(list)
    for m in _CHAIN.finditer(text):
        before = _clause_before(text, m.start())
        if _about_other_film(before, year) or _about_other_film(
                _sentence_before(text, m.start()), year, True):
            continue  # "the 1932 film of the same name directed by ..."
        verbs = re.findall(r"[a-z-]+", m.group(1).lower())
        roles = {role for v in verbs for stem, role in _VERB_ROLE.items() if stem in v}
        if roles & {"writers", "directors", "producers"} and _SOURCE_BEFORE.search(before):
            continue  # "a novel written by", "a play produced by"
        if "writers" in roles and _MUSIC_BEFORE.search(before):
            roles = {"composers"}
        for role in roles:
            names = read_names(text, m.end(), org=role == "studios")
            if role == "producers" and any(is_org_name(n) for n in names):
                role, names = "mixed", read_names(text, m.end(), org=True)
            out[role] += names
    for rx, roles in _NOUN_CUES:
        for m in rx.finditer(text):
            for role in roles.split("+"):
                out[role] += read_names(text, m.end(), org=role == "studios")
    for m in _BACKWARD.finditer(text):
        out[{"d": "directors", "w": "writers", "c": "composers"}[m.group(2)[0]]] += read_names(
            m.group(1), 0)
    for sent in filter(_PRODUCTION.search, sentences(text)):  # "... Amblin Entertainment ..."
        for run in _CAPS_RUN.findall(sent):
            words = run.split()
            while words and (words[0].isdigit() or words[0].lower() in _NOT_NAME_START):
                words.pop(0)
            if len(words) > 1 and words[-1].strip(".").lower() in _ORG_SUFFIX:
                name = " ".join(words)
                out["studios"].append(name if name.lower()[-5:] in {"bros.", " inc."} else
                                      name.rstrip("."))
    if studio_vocab:  # "a Netflix film", "released on Netflix": known companies only
        for m in _A_STUDIO_FILM.finditer(text):
            if fold(m.group(1)) in studio_vocab:
                out["studios"].append(m.group(1))
        for m in _ON_STUDIO.finditer(text):
            out["studios"] += [n for n in read_names(text, m.end(), True) if fold(n) in studio_vocab]
    return out


def resolve_person(name: str, pool: list[str]) -> str | None:
    """Full name for a bare surname ("Dekker") from the film's own people, else None."""
    if len(name.split()) > 1:
        return name
    hits = {p for p in pool if fold(name) in fold(p).split() and len(p.split()) > 1}
    return hits.pop() if len(hits) == 1 else None


def classify(raw: dict[str, list[str]], cast: list[str], studio_vocab: set[str],
             given_names: set[str] = frozenset()) -> dict[str, list[str]]:
    """People per role and studios: surnames resolved, companies moved, duplicates dropped.
    In a producer list that names a company, names not starting with a given name are companies."""
    pool = list(cast) + [n for r in ROLES[:4] for n in raw.get(r, []) if len(n.split()) > 1]
    out: dict[str, list[str]] = {r: [] for r in ROLES}
    for raw_role in (*ROLES, "mixed"):
        for name in raw.get(raw_role, []):
            person_like = len(name.split()) > 1 and fold(name).split()[0] in given_names
            orgish = is_org_name(name) or (not person_like and (
                fold(name) in studio_vocab or raw_role == "mixed"))
            role = "producers" if raw_role == "mixed" else raw_role
            if role == "studios" or (orgish and (role == "producers" or is_org_name(name))):
                role, value = "studios", name
            else:
                value = None if orgish else resolve_person(name, pool)
            key = fold(value or "")
            if key and key not in ORG_WORDS | {"incorporated"} and key not in map(fold, out[role]):
                out[role].append(value)
    return out


# ---------------------------------------------------------------- film links
_LINK = re.compile(r"\b(remake\s+of|sequel\s+to|follow-up\s+to|prequel\s+to)\s+"
                   r"(?:and\s+(?:a\s+)?(?:remake\s+of|sequel\s+to)\s+)?")
_LINK_PREFIX = re.compile(  # "the 1976 feature film ", "Burton's 1984 short film ", "1993's "
    r"\d{4}['’]s\s+(?=[A-Z])|(?:(?:the|a|an|his|her|their|its)\s+|[A-Z][\w.'\- ]{0,40}?['’]s\s+)?"
    r"(?:(?:\d{4}|[\w-]+)\s+){0,3}(?:film|movie|picture|feature|version|comedy|drama|western|"
    r"thriller|cartoon|serial|documentary|short|musical)s?\s+")
_SAME_NAME = re.compile(r"(?:of\s+)?the\s+same\s+(?:name|title)\b")
_BASED = re.compile(
    r"\b(?:[Bb]ased\s+(?:up)?on|[Aa]dapted\s+from|adaptation\s+of)\s+(?:the\s+|a\s+|an\s+|"
    r"(?P<pron>his|her)\s+|their\s+|its\s+|(?P<owner>[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3})['’]s?\s+)?"
    r"(?P<adj>(?:(?:\d{4}|[\w'’-]+)\s+){0,3}?)(?:novella|novel|stage\s+play|play|short\s+story|"
    r"story|book|comic\s+book|graphic\s+novel|comics?|musical|memoir|poem|article|video\s+game|"
    r"manga|opera|biography|(?:television\s+|TV\s+|radio\s+)?series|comic\s+strip)\b,?\s*")
_BY_AUTHOR = re.compile(r",?\s*(?:written\s+)?by\s+(?:(?:the\s+)?(?:author|writer|novelist|"
                        r"playwright|cartoonist|journalist)\s+)?")
_TITLE_GLUE = {"of", "the", "a", "an", "and", "&", "–", "-", "in", "on", "at", "to", "for",
               "with", "from", "or", "vs", "is", "my", "your", "no", "not", "me", "it"}


def read_title(text: str, pos: int) -> str | None:
    """A quoted or capitalised title at pos ("The Cat and the Canary", "Underworld: Awakening")."""
    if q := re.compile(r"[\"“]([^\"”]{1,80})[\"”]").match(text, pos):
        return q.group(1).strip(" ,.")
    words: list[str] = []
    for m in re.compile(r"\S+").finditer(text, pos):
        word = m.group(0)
        abbr = word.lower() in _ABBR or bool(_INITIAL.match(word))
        core = word if abbr else word.rstrip(",.;:)!?") + (":" if word.endswith(":") else "")
        if core.startswith("(") or core == "by" or not (
                core[:1].isupper() or core[:1].isdigit() or (words and core in _TITLE_GLUE)):
            break
        words.append(core)
        if core.rstrip(":") != word.rstrip(":") or len(words) >= 12:
            break
    while words and words[-1] in _TITLE_GLUE:
        words.pop()
    return " ".join(words).rstrip(":") or None


def _catalog_prefix(text: str, pos: int, titles: dict[str, list[int]] | None) -> str | None:
    """The longest catalog title that the text at pos starts with."""
    words = text[pos:pos + 200].split()[:12] if titles else []
    best = None
    for k in range(1, len(words) + 1):
        cand = " ".join(words[:k]).rstrip(",.;:")
        if "(" in cand:
            break
        best = cand if fold(cand) in titles else best
    return best


def mine_links(text: str, title: str, year: int | None = None,
               titles: dict[str, list[int]] | None = None,
               writers: list[str] = (), people: list[str] = ()) -> dict[str, object]:
    """remake_of / sequel_of as (title, year or None); based_on as [work, author], one may be None."""
    out: dict[str, object] = {}
    for m in _LINK.finditer(text):
        field = "remake_of" if m.group(1).startswith("remake") else "sequel_of"
        if field in out or re.search(r"\b(?:his|her|its|their)\b|['’]s\b",
                                     _clause_before(text, m.start())):
            continue  # "his 1956 remake of ..." is about another film
        pos, when = m.end(), None
        if pre := _LINK_PREFIX.match(text, pos):
            pos = pre.end()
            when = int(y.group(0)) if (y := re.search(YEAR, pre.group(0))) else None
        if _SAME_NAME.match(text, pos):
            target = title
        else:
            known, read = _catalog_prefix(text, pos, titles), read_title(text, pos)
            target = read if read and (not known or read.startswith(known)) else known
            after = re.compile(r"\s*\((\d{4})\)").match(text, pos + len(target or ""))
            when = int(after.group(1)) if after and when is None else when
        if target and (fold(target) != fold(title) or (when and when != year)):
            out[field] = (target, when)
    for m in _BASED.finditer(text):
        before = _clause_before(text, m.start())
        if re.search(r"\bwhich\b|\bin\s+turn\b", before) or _about_other_film(before, year, True):
            continue  # "a remake of X, which was based on ..."
        pos = m.end()
        same = _SAME_NAME.match(text, pos)
        work = title if same or "eponymous" in m.group("adj") else None
        if same:
            pos = same.end()
        elif work is None and not re.compile(r"\s*by\b").match(text, pos):
            work = read_title(text, pos)
            pos += len(work or "") + (2 if text[pos:pos + 1] in "\"“" else 0)
        by = _BY_AUTHOR.match(text, pos)
        author = (read_names(text, by.end()) or [None])[0] if by else m.group("owner")
        if author is None and m.group("pron") and writers:
            author = writers[0]  # "written by X, based on his novel"
        author = author and (resolve_person(author, list(people)) or author)
        if work or author:
            out["based_on"] = [work, author]  # either may be None
            break
    return out
