"""Fact rules over sentence frames: cast, crew and studios.

Relations between works, money, awards and festivals live in `relations.py`. Each rule
yields facts; `extract()` in this package runs them all, drops negated ones and merges duplicates.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..catalog import Catalog
from ..names import fold
from ..types import Entity, Fact, Mention
from . import patterns
from .sentences import DocumentFrames, Frame, slot
from .status import fact_status

UNNAMED_SEQUEL = re.compile(r"\b(?:is getting|gets|getting|will get|to get|has been given|is to get) (?:a|an) "
                            r"(?:sequel|follow-up|prequel|remake|spin-off|reboot)\b")
DEFINITE_RELATION = re.compile(r"(?:^|[.;:] )\s*[Tt]he (?:[\w-]+ )?$")

Rule = Callable[[DocumentFrames, Frame, Catalog], Iterator[Fact]]

P, F, O = slot("P"), slot("F"), slot("O")
PITEM = rf"(?:{F}'s? )?{P}"  # "Hereditary's Toni Collette" lists the actor
PLIST = rf"{PITEM}(?:(?:, | and |, and ){PITEM})*"
NEGATION = re.compile(r"\b(?:passed on|turned down|declined|rejected|dropped out|exited|won't|will not|"
                      r"never (?:made|directed|starred)|not (?:be )?(?:direct|star|produce|return))\b", re.I)


def make(frames: DocumentFrames, frame: Frame, s: Mention | None, p: str, o: Mention | str | int | None,
         confidence: float = 0.75, **qualifiers) -> Iterator[Fact]:
    """One fact between mentions (or a literal object), labelled with canonical names."""
    if s is None or o is None:
        return
    s_label = frames.label(s)
    if isinstance(o, Mention):
        o_label, o_id = frames.label(o), o.entity_id
    else:
        o_label, o_id = o, None
    if s_label is None or o_label is None or s.entity_id == o_id:
        return
    quals = {k: v for k, v in qualifiers.items() if v is not None or k == "character"}
    status = fact_status(frames, frame, s, p)
    if status:
        quals.setdefault("status", status)
    yield Fact(s=s_label, p=p, o=o_label, evidence=frames.evidence(frame), confidence=confidence,
               qualifiers=quals, s_id=s.entity_id, o_id=o_id)


def subject_film(frames: DocumentFrames, frame: Frame, before: int | None = None) -> Mention | None:
    """The film a sentence talks about: the last film slot before `before`, the first
    film in the sentence, or the discourse focus."""
    films = [m for m in frame.of_type("F") if not _bound_to_role(frame, m)]
    if (not films and _names_unnamed_relative(frame)) or UNNAMED_SEQUEL.search(frame.text):
        return None  # "a sequel to X, with Y set to direct": the subject has no title
    if before is not None:
        earlier = [m for m in films if _slot_pos(frame, m) < before]
        if earlier:
            return earlier[-1]
        if frame.focus is not None:
            return first_mention(frame.focus)
    if films:
        return films[0]
    return first_mention(frame.focus)


RELATION_OBJECT = patterns.RELATION_OBJECT


def _bound_to_role(frame: Frame, m: Mention) -> bool:
    """A film the sentence is not about (see `patterns.secondary_title`)."""
    marker = re.search(rf"⟦F{frame.slots.index(m)}⟧", frame.masked)
    return marker is not None and patterns.secondary_title(frame.masked[:marker.start()], frame.masked[marker.end():])


def film_near(frames: DocumentFrames, frame: Frame, pos: int) -> Mention | None:
    """For "director X" with no title attached: a film earlier in the sentence, else one
    later in it ("Director X, who cast him in her drama F"), else the film in focus."""
    films = [m for m in frame.of_type("F") if not _bound_to_role(frame, m)]
    if any(_slot_pos(frame, m) < pos for m in films) or not films:
        return subject_film(frames, frame, pos)
    return films[0]


def _names_unnamed_relative(frame: Frame) -> bool:
    """"a sequel to X" names a film without its title; "The sequel to X" is the film in focus."""
    for m in frame.of_type("F"):
        marker = re.search(rf"⟦F{frame.slots.index(m)}⟧", frame.masked)
        hit = marker and RELATION_OBJECT.search(frame.masked[:marker.start()])
        if hit and not DEFINITE_RELATION.search(frame.masked[:hit.start()]):
            return True
    return False


def first_mention(e: Entity | None) -> Mention | None:
    """An entity's first mention, typed and linked as the entity (None without one)."""
    if e is None or not e.mentions:
        return None
    first = e.mentions[0]
    return Mention(first.start, first.end, first.text, e.type, year=e.year, entity_id=e.id)


def _slot_pos(frame: Frame, m: Mention) -> int:
    idx = frame.slots.index(m)
    marker = re.search(rf"⟦[A-Z]{idx}⟧", frame.masked)
    return marker.start() if marker else 0


def people_in(frame: Frame, text_match: re.Match[str]) -> list[Mention]:
    return [frame.mention(i) for i in re.findall(r"⟦P(\d+)⟧", text_match.group(0))]


# --- cast -------------------------------------------------------------------------------

CAST_WITH_CHARACTER = [
    re.compile(rf"{slot('P', 'p')}'s?(?: [a-z-]+)? {slot('C', 'c')}"),
    re.compile(rf"{slot('C', 'c')} \((?:played by |voiced by )?(?:the |a |an )?(?:[a-z-]+ ){{0,3}}{slot('P', 'p')}\)"),
    re.compile(rf"{slot('P', 'p')}(?: \([^)]*\))?,? (?:who |which )?(?:as(?! well\b)|plays|played|playing|voices|voiced|portrays|portrayed|"
               rf"(?:stars|starred|starring|reprising (?:his|her|their) role|returns|returning|returned|return|reprises (?:his|her|their) role) as|(?:is|was) cast as|"
               rf"(?:is|was|are|were) (?:[a-z]+ ){{1,3}}as|(?:has|have) been cast as) "
               rf"(?:[^.⟦]{{0,60}}?\b(?:named|called) |(?:(?:the|our|his|her|their|a|an) )?(?:[a-z-]+ ){{0,5}}?){slot('C', 'c')}"),
    re.compile(rf"{slot('C', 'c')},? (?:who is |who was )?(?:played|portrayed|voiced) by {slot('P', 'p')}"),
]
CAST_LIST = re.compile(
    rf"\b(?:stars?|starring|starred|co-stars?|co-starring|features|featuring|ensemble (?:cast )?(?:with|of|including)|"
    rf"cast (?:(?:also|further) )?(?:includes?|of|including)|alongside|there (?:was|were)|reprising|joined by|opposite)\s+(?:[a-z]+ )?({PLIST})"
)
PERSON_IN_FILM = re.compile(
    rf"{slot('P', 'p')}(?: \([^)]*\))?,? (?:[a-z]+ ){{0,4}}(?:stars?|starred|starring|appears|appeared|co-stars?|co-starred|"
    rf"plays|played|playing|voiced|voices|cameos|had a role|has a role|is cast|was cast)(?: [a-z-]+){{0,4}} (?:in|on) "
    rf"(?:(?:the|his|her|their|a) )?(?:(?:19|20)\d\d )?(?:[a-z-]+ )?{slot('F', 'f')}"
)
FLIST = rf"{F}(?: \([^()]{{0,60}}\))?(?:(?:, | and |, and |,? as well as |,? or ){F}(?: \([^()]{{0,60}}\))?)*"
FILMOGRAPHY = re.compile(
    rf"{slot('P', 'p')}(?:'s)?[^.⟦]{{0,40}}?\b(?:(?:appeared|appears|starred|stars|acted|featured|roles?|turns?|worked) in"
    rf"(?: (?:more than|over|nearly|some|about|dozens of|\d+|[a-z]+ty))*|"
    rf"(?:worked|collaborated)(?: with)?(?: [a-z]+)? on|is pictured in|was pictured in) "
    rf"(?:such |several |many |the )?(?:films?|movies?|projects|titles|hits)?,? ?(?:as |like |including )?(?P<films>{FLIST})"
    rf"|{slot('P', 'p2')}(?:'s)? (?:[a-z]+ )?(?:films|movies|roles|credits|hits|classics) (?:like|such as|including) (?P<films2>{FLIST})"
)
PLAYS_SELF = re.compile(rf"{slot('P', 'p')}[^.⟦]{{0,80}}?\b(?:to play|plays|playing|played|will play) (?:himself|herself|themselves)"
                        rf" in (?:an? |the )?(?:[a-z-]+ ){{0,3}}?(?:(?:movie|film) (?:called |titled )?)?{slot('F', 'f')}")
CAREER_CREDIT = re.compile(
    rf"{slot('P', 'p')}(?:'s)?[^.⟦]{{0,40}}?\b(?:broke through with|made (?:his|her|their) name with|followed (?:it|that|this|up) with|"
    rf"debuted with|returned with|(?:biggest|first|last|final|best-known|breakout) (?:hit|film|movie|feature|success|picture),?) "
    rf"(?:the |a )?(?:(?:19|20)\d\d )?(?:[a-z-]+ ){{0,3}}?(?P<films>{FLIST})"
)
FILM_POSSESSIVE_PERSON = re.compile(rf"{slot('F', 'f')}'s? {slot('P', 'p')}")
PERSON_DESCRIBED_ROLE = re.compile(
    rf"{slot('P', 'p')} (?:voiced|played|plays|portrays|portrayed) (?:a|an|the|his|her) [a-z]"
    rf"|\b(?:played|voiced|portrayed) by (?:the |a |an )?(?:[a-z-]+ ){{0,3}}{slot('P', 'p2')}"
    rf"|\b[a-z]+ \((?P<plist>{PLIST})(?:,[^)]*)?\)"
    rf"|{slot('P', 'p3')} (?:is|was|makes|made) (?:a|an|the) (?:[a-z-]+ ){{0,3}}(?:lead|star|heroine|hero|villain|protagonist)\b"
    rf"|{slot('P', 'p4')}'s? (?:[a-z-]+ ){{0,2}}(?:performance|turn|portrayal|role)\b"
    rf"|{slot('P', 'p6')}(?: \([^)]*\))? (?:gives us|delivers|brings|offers|turns in) (?:a|an|the|his|her) [a-z]"
    rf"|\b(?:with|featuring|starring) {slot('P', 'p7')} in the (?:lead|title role|leading role|starring role|main role)\b"
    rf"|{slot('P', 'p9')} (?:joins|joined|has joined|will join|is joining|leads|led|heads|headlines) the (?:cast|ensemble)\b"
    rf"|{slot('P', 'p11')} (?:stars|starred|appears|appeared) as (?:a|an|the|his|her) [a-z]"
    rf"|{slot('P', 'p10')} (?:has|have) been cast\b"
    rf"|{slot('P', 'p8')}\b[^.]{{0,120}}?\b(?:her|his|their) (?:screen |film |feature )?(?:debut|breakthrough) in [^.]{{0,40}}?(?P<debut>⟦F\d+⟧)"
    rf"|\b(?:its|the film's|the movie's) (?:[a-z-]+ )?(?:star|lead) {slot('P', 'p5')}"
)


def cast_rules(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    text = frame.masked
    if "⟦P" not in text:
        return
    for rx in CAST_WITH_CHARACTER:
        for m in rx.finditer(text):
            person, character = frame.mention(m.group("p")), frame.mention(m.group("c"))
            film = subject_film(frames, frame, m.start())
            yield from make(frames, frame, film, "cast_member", person, 0.85, character=frames.label(character))
    for m in CAST_LIST.finditer(text):
        film = subject_film(frames, frame, m.start())
        for person in people_in(frame, m):
            if re.match(r"'s?\b", frame.text[person.end - frame.start:person.end - frame.start + 2]):
                continue  # "the cast of X's thriller": X owns the film
            yield from make(frames, frame, film, "cast_member", person, 0.7, character=None)
    for m in PERSON_IN_FILM.finditer(text):
        yield from make(frames, frame, frame.mention(m.group("f")), "cast_member", frame.mention(m.group("p")),
                        0.8, character=None)
    for m in FILM_POSSESSIVE_PERSON.finditer(text):
        film, person = frame.mention(m.group("f")), frame.mention(m.group("p"))
        crew = "director" if re.search(r"\bdirect|\bhelm", text[m.end():]) else "cast_member"
        extra = {"character": None} if crew == "cast_member" else {}
        yield from make(frames, frame, film, crew, person, 0.65, **extra)
    for m in PLAYS_SELF.finditer(text):
        person = frame.mention(m.group("p"))
        yield from make(frames, frame, frame.mention(m.group("f")), "cast_member", person, 0.75, character=frames.label(person))
    for m in FILMOGRAPHY.finditer(text):
        person = frame.mention(m.group("p") or m.group("p2"))
        for idx in re.findall(r"⟦F(\d+)⟧", m.group("films") or m.group("films2")):
            yield from make(frames, frame, frame.mention(idx), "cast_member", person, 0.7, character=None)
    for m in PERSON_DESCRIBED_ROLE.finditer(text):
        debut = m.group("debut")
        film = frame.mention(re.search(r"\d+", debut).group(0)) if debut else subject_film(frames, frame, m.start())
        for person in people_in(frame, m) if m.group("plist") else [frame.mention(next(g for g in (m.group("p"), m.group("p2"), m.group("p3"), m.group("p4"), m.group("p5"), m.group("p6"),
                            m.group("p7"), m.group("p8"), m.group("p9"), m.group("p10"), m.group("p11")) if g))]:
            yield from make(frames, frame, film, "cast_member", person, 0.6, character=None)


# --- crew -------------------------------------------------------------------------------

CREW_BY = {
    "director": r"(?:[Dd]irected|[Hh]elmed|[Cc]o-directed)",
    "screenwriter": r"(?:[Ww]ritten|[Cc]o-written|[Pp]enned|[Ss]cripted)",
    "producer": r"(?:[Pp]roduced|[Cc]o-produced)",
    "composer": r"(?:[Ss]cored|[Cc]omposed)",
}
CREW_NOUN = {
    "director": r"(?:[Dd]irector|[Ff]ilmmaker|helmer|co-director|directors|filmmakers)",
    "screenwriter": r"(?:[Ss]creenwriter|[Ww]riter|scribe|screenwriters|writers|Screenplay)",
    "producer": r"(?:[Pp]roducer|[Pp]roducers)",
    "composer": r"(?:[Cc]omposer)",
}
NON_FILM_ROLE = re.compile(r"festival|casting|artistic|creative|managing|art|music|programme|program|marketing|editorial|founding|sports|news")
CREW_VERB = {
    "director": r"(?:directed|directs|helmed|helms|co-directed|(?:is |was |are |were )?(?:set|hired|tapped|lined up|signed|attached|due|going) to (?:direct|helm)|will direct|to direct)",
    "screenwriter": r"(?:wrote|writes|penned|pens|co-wrote|scripted|(?:is |was )?(?:set|hired|tapped) to write|will write)",
    "producer": r"(?:produced|produces|co-produced|will produce|(?:is |are )?(?:set|attached) to produce)",
    "composer": r"(?:scored|composed the (?:score|music) for|will score)",
}


_PLAIN_VERB = {"director": "direct|helm", "screenwriter": "write", "producer": "produce", "composer": "score"}


def _crew_patterns(role: str) -> dict[str, re.Pattern[str]]:
    """The four shapes of a crew credit for one role, compiled once."""
    by = rf"{CREW_BY[role]}(?: and (?:co-)?(?:written|directed|produced))? by (?:writer-director |director )?({PLIST})"
    if role == "screenwriter":
        by = rf"(?:{CREW_BY[role]}|screenplay|script)(?: and (?:co-)?directed)? (?:by|from) ({PLIST})|[Dd]irected and (?:co-)?written by ({PLIST})"
    if role == "composer":
        by = rf"(?:scored|composed|music|score) by ({PLIST})"
    return {
        "by": re.compile(by),
        "noun": re.compile(rf"(?:{slot('F', 'f')}'?s? (?:(?:new|former|original|returning|acclaimed) )?|(?:[a-z-]+ )?(?P<mod>[A-Za-z-]+ )?)"
                           rf"{CREW_NOUN[role]}s?:? ({PLIST})"),  # "Writers: A, B" of a review's credit block
        "verb": re.compile(rf"({PLIST})(?:,[^,⟦]{{0,40}},)? (?:have |has |had |also |previously |then )*{CREW_VERB[role]} "
                           rf"(?:the |his |her |their )?(?:[a-z-]+ ){{0,3}}?{slot('F', 'f')}"),
        "announce": re.compile(rf"({PLIST})(?: \([^)]*\))?(?:, who [^.⟦]{{0,60}}?,)? (?:is |was |are |were |has been |have been )?"
                               rf"(?:[a-z]+ly )?(?:will|is going to|set|hired|tapped|lined up|signed|attached|in talks|due) to (?:{_PLAIN_VERB[role]})\b"),
    }


CREW_PATTERNS = {role: _crew_patterns(role) for role in CREW_BY}


def crew_rules(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    text = frame.masked
    if "⟦P" not in text:
        return
    for role, rx in CREW_PATTERNS.items():
        for m in rx["by"].finditer(text):
            film = subject_film(frames, frame, m.start())
            for person in people_in(frame, m):
                yield from make(frames, frame, film, role, person, 0.85)
        for m in rx["noun"].finditer(text):
            if m.group("mod") and NON_FILM_ROLE.fullmatch(m.group("mod").strip().lower()):
                continue  # "festival director X" runs a festival, not a film
            film = frame.mention(m.group("f")) if m.group("f") else film_near(frames, frame, m.start())
            for person in people_in(frame, m):
                yield from make(frames, frame, film, role, person, 0.7 if m.group("f") else 0.55)
        for m in rx["verb"].finditer(text):
            film = frame.mention(m.group("f"))
            for person in people_in(frame, m):
                yield from make(frames, frame, film, role, person, 0.8)
        for m in rx["announce"].finditer(text):
            film = subject_film(frames, frame)
            for person in people_in(frame, m):
                yield from make(frames, frame, film, role, person, 0.6)
    gerunds = {"director": "directing|helming", "screenwriter": "penning|writing|co-writing|scripting",
               "producer": "producing"}
    for role, verbs in gerunds.items():
        for m in re.finditer(rf"{slot('F', 'f')},? (?:which|that) {slot('P', 'p')} (?:also |later |then )?(?:{CREW_VERB[role]})\b"
                             rf"|{slot('P', 'p2')}\b[^.⟦]{{0,60}}\b(?:{verbs}) {slot('F', 'f2')}", text):
            film = frame.mention(m.group("f") or m.group("f2"))
            yield from make(frames, frame, film, role, frame.mention(m.group("p") or m.group("p2")), 0.7)
    hyphen_roles = {"directed": "director", "helmed": "director", "written": "screenwriter", "penned": "screenwriter",
                    "produced": "producer", "scored": "composer"}
    for m in re.finditer(rf"{slot('P', 'p')}-(?P<verb>directed|helmed|written|penned|produced|scored) {slot('F', 'f')}", text):
        role = hyphen_roles[m.group("verb")]
        yield from make(frames, frame, frame.mention(m.group("f")), role, frame.mention(m.group("p")), 0.75)
    for m in re.finditer(rf"{slot('P', 'p')}[^.⟦]{{0,60}}?\b(?:his|her|their) (?:(?:19|20)\d\d )?(?:[a-z-]+ ){{0,2}}"
                         rf"(?:film|movie|drama|comedy|thriller|documentary|feature|debut|picture|western) {slot('F', 'f')}", text):
        person, film = frame.mention(m.group("p")), frame.mention(m.group("f"))
        if frames.role_of(person) == "director":  # "Director X, who cast him in her 2004 drama F"
            yield from make(frames, frame, film, "director", person, 0.65)
    for m in re.finditer(rf"{slot('P', 'p')}'s? (?:[a-z-]+ ){{0,3}}(?:{patterns.FILM_NOUNS})\b", text):
        if "⟦F" in text[m.end():]:
            continue  # the title follows ("X's latest movie, F"): handled with the possessive rule
        film = subject_film(frames, frame, m.start())  # "Tony Scott's tense drama stars ...": the film in focus
        person = frame.mention(m.group("p"))
        if film is not None and not _is_cast(frames, film, person, catalog) and frames.role_of(person) != "actor":
            yield from make(frames, frame, film, "director", person, 0.6)
    for m in CAREER_CREDIT.finditer(text):  # "Bell broke through with the 1973 heist film F"
        person = frame.mention(m.group("p"))
        role = frames.role_of(person)
        if role is None:
            continue
        for idx in re.findall(r"⟦F(\d+)⟧", m.group("films")):
            film = frame.mention(idx)
            if role == "director":
                yield from make(frames, frame, film, "director", person, 0.6)
            else:
                yield from make(frames, frame, film, "cast_member", person, 0.6, character=None)
    for m in re.finditer(rf"\b(?:written|co-written|scripted) with (?:his|her|their) (?:[a-z-]+ ){{0,2}}?(?:collaborator |partner |wife |husband |brother |sister |friend )?{slot('P', 'w')}", text):
        writers = [frame.mention(m.group("w"))] + [p for p in frame.of_type("P")[:1] if p is not frame.mention(m.group("w"))]
        for film in frame.of_type("F"):  # "F and G, both written with his collaborator X"
            for person in writers:
                yield from make(frames, frame, film, "screenwriter", person, 0.6)
    for m in re.finditer(rf"{slot('P', 'p')} (?:directed|directs|will direct) ({PLIST}) in (?:this|the|his|her|their) (?:[a-z-]+ ){{0,2}}"
                         rf"(?:film|movie|story|drama|thriller|picture|comedy|tale|adaptation)\b", text):
        film = subject_film(frames, frame, m.start())
        yield from make(frames, frame, film, "director", frame.mention(m.group("p")), 0.7)
        for person in [frame.mention(i) for i in re.findall(r"⟦P(\d+)⟧", m.group(2))]:
            yield from make(frames, frame, film, "cast_member", person, 0.7, character=None)
    for m in re.finditer(rf"\b(?:director|filmmaker) of {slot('F', 'f')},? {slot('P', 'p')}|\bbest director (?:award |prize |Oscar )?for {slot('P', 'p2')}", text, re.I):
        film = frame.mention(m.group("f")) if m.group("f") else subject_film(frames, frame, m.start())
        yield from make(frames, frame, film, "director", frame.mention(m.group("p") or m.group("p2")), 0.7)
    for m in re.finditer(rf"({PLIST}),? (?:who |which )?(?:also |co-)?(?:wrote|penned|scripted|co-wrote|adapted) the (?:script|screenplay)\b", text):
        for person in people_in(frame, m):  # "Park, who also wrote the script, said ..."
            yield from make(frames, frame, subject_film(frames, frame, m.start()), "screenwriter", person, 0.7)
    for m in re.finditer(rf"({PLIST}) (?:is|are|will be) (?:back|returning|on board) as (?:an? )?(?:executive )?producers?\b", text):
        for person in people_in(frame, m):
            yield from make(frames, frame, subject_film(frames, frame, m.start()), "producer", person, 0.65)
    for m in re.finditer(rf"({PLIST})\b[^.]{{0,120}}?\b(?:direct|directs|directed|directing|will direct) from (?:his|her|their) own (?:script|screenplay)", text):
        film = subject_film(frames, frame, m.start())
        for person in people_in(frame, m):
            yield from make(frames, frame, film, "director", person, 0.7)
            yield from make(frames, frame, film, "screenwriter", person, 0.7)
    for m in re.finditer(rf"writer[- ](?:and[- ])?director ({PLIST})|({PLIST}),? (?:the |a )?(?:[a-z]+ )?writer[- ](?:and[- ])?director", text):
        film = subject_film(frames, frame, m.start())
        for person in people_in(frame, m):
            yield from make(frames, frame, film, "director", person, 0.75)
            yield from make(frames, frame, film, "screenwriter", person, 0.75)
    for m in re.finditer(rf"{slot('P', 'p')}(?:'s?| (?:last|latest|new|next|previous|first) (?:film|picture|movie|feature)[^⟦.]{{0,60}}?) (?:(?:[a-z][\w-]*|[A-Z][\w+]*|⟦[OP]\d+⟧),? ){{0,6}}?,? ?{slot('F', 'f')}", text):
        person, film = frame.mention(m.group("p")), frame.mention(m.group("f"))
        if _is_cast(frames, film, person, catalog) or frames.role_of(person) == "actor":
            yield from make(frames, frame, film, "cast_member", person, 0.6, character=None)
        else:
            yield from make(frames, frame, film, "director", person, 0.7)
    for m in re.finditer(rf"{slot('F', 'f')},? (?:is |was )?(?:the |a |an )?(?:latest|new|newest|next|last|film|movie)? ?(?:film |movie )?(?:from|by) (?:writer-director |director |filmmaker )?{slot('P', 'p')}", text):
        if re.search(r"\b(?:novel|book|play|memoir|comic|story|poem|series|album|song)s? (?:the )?$", text[:m.start()]):
            continue  # "the novel X by Y": Y wrote the book
        yield from make(frames, frame, frame.mention(m.group("f")), "director", frame.mention(m.group("p")), 0.65)


def _is_cast(frames: DocumentFrames, film: Mention, person: Mention, catalog: Catalog) -> bool:
    entity = frames.entity(film)
    if entity is None or entity.catalog_key is None:
        return False
    record = catalog.film(entity.catalog_key)
    if record is None:
        return False
    name = fold(frames.label(person) or "")
    return name in {fold(x) for x in record.cast} and name not in {fold(x) for x in record.directors}


# --- studios ----------------------------------------------------------------------------

STUDIO_RULES = [
    (re.compile(rf"(?P<orgs>{O}(?:/{O})*)'s? (?:(?:new|latest|upcoming|live-action|animated|remake|film|movie|[a-z-]+) ){{0,3}}?{slot('F', 'f')}"), 0.7),
    (re.compile(rf"{slot('F', 'f')} \({slot('O', 'o')}"), 0.65),
    (re.compile(rf"{slot('F', 'f')}[^.⟦]{{0,60}}\b(?:made for|produced by|distributed by|released by|financed by|streaming on|heading to|is heading to|coming to|moving to|exclusive to|available on) {slot('O', 'o')}"), 0.7),
    (re.compile(rf"{slot('O', 'o')},? (?:which |who )?(?:also )?(?:has |have |had )?(?:debuted|released|distributed|produced|financed|acquired|bought|picked up|greenlit|backed|will release|is releasing|released)(?: the rights to)?(?: [a-z-]+){{0,3}} {slot('F', 'f')}"), 0.75),
]
STUDIO_NO_FILM = re.compile(
    rf"(?:\b(?i:made) (?:for|by)|(?i:produced|co-produced|distributed|released|financed|backed)(?: in [\w ]{{1,20}}?)? by) "
    rf"(?:[\w-]+-based )?{slot('O', 'o')}|{slot('O', 'o2')} (?:backed|financed|distributed|acquired|bankrolled) ")


def studio_rules(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    text = frame.masked
    if "⟦O" not in text:
        return
    seen = False
    for rx, confidence in STUDIO_RULES:
        for m in rx.finditer(text):
            seen = True
            orgs = re.findall(r"⟦O(\d+)⟧", m.group("orgs")) if "orgs" in rx.groupindex else [m.group("o")]
            for idx in orgs:
                yield from make(frames, frame, frame.mention(m.group("f")), "studio", frame.mention(idx), confidence)
    if seen:
        return
    for m in STUDIO_NO_FILM.finditer(text):
        org = frame.mention(m.group("o") or m.group("o2"))
        yield from make(frames, frame, subject_film(frames, frame, m.start()), "studio", org, 0.55)


def negated(frame: Frame) -> bool:
    return bool(NEGATION.search(frame.text))


RULES: list[Rule] = [cast_rules, crew_rules, studio_rules]
