"""Fact rules for years, money, relations between works, awards and festivals."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..catalog import Catalog
from ..names import fold
from ..types import Fact, Mention
from .facts import PLIST, make, people_in, subject_film
from .money import MONEY, parse_money
from .sentences import DocumentFrames, Frame, slot

YEAR = r"(?:19|20)\d\d"
F2 = rf"{slot('F')}(?:(?:, | and |, and ){slot('F')})*"


def release_year_rules(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    for m in frame.of_type("F"):
        if m.year and m.cue in ("year-possessive", "year-paren", "year-noun"):
            yield from make(frames, frame, m, "release_year", m.year, 0.9)
    released = re.compile(rf"{slot('F', 'f')}[^.⟦]{{0,40}}?\b(?:was released|released|came out|premiered|opened|debuted|hit (?:theaters|cinemas)|arrived)(?: [a-z]+){{0,3}} in ({YEAR})\b")
    for m in released.finditer(frame.masked):
        yield from make(frames, frame, frame.mention(m.group("f")), "release_year", int(m.group(2)), 0.8)
    for m in re.finditer(rf"{slot('F', 'f')} in ({YEAR})\b", frame.masked):
        yield from make(frames, frame, frame.mention(m.group("f")), "release_year", int(m.group(2)), 0.6)


BUDGET = re.compile(r"\bbudget|\bcost(?:s|ing)?\b|\bto make\b|\bproduction costs?\b|\bprice tag\b|\bspent\b", re.I)
MADE_FOR = re.compile(r"\b(?:made|produced|shot|filmed)\b[^$£€.]{0,60}\bfor (?:[a-z]+ ){0,3}$", re.I)
GROSS = re.compile(r"\bgross|\bearn|\bbox office|\bdebut|\bopen(?:ed|ing|s)\b|\btook (?:in|home)|\btak(?:en|ing|es)\b|\bhaul|\btally|"
                   r"\bticket sales|\bbrought in|\bbringing\b|\btakings|\brevenue|\bmade\b|\bnears?\b|\bwith \$|\badded\b", re.I)
SCOPES = [("opening weekend", r"opening weekend|debut(?:ed)? with|opened (?:to|with)|its opening|this weekend|first weekend"),
          ("domestic", r"domestic|north america|u\.s\.|us box office|stateside"),
          ("international", r"international|foreign|overseas|abroad"),
          ("worldwide", r"worldwide|global|globally|around the world"),
          ("UK", r"\bUK\b|\bBritish\b|\bBritain\b")]
HEDGE = re.compile(r"\b(nearly|almost|about|around|approximately|roughly|over|more than|less than|under|"
                   r"an estimated|estimated|reportedly|reported|some|at least|upwards of|close to)\s+(?:an? )?(?:[a-z]+ )?$", re.I)


def money_rules(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    text = frame.text
    if not any(c in text for c in "$£€¥"):
        return
    for m in MONEY.finditer(text):
        money = parse_money(m)
        if money is None:
            continue
        amount, currency = money
        if amount < 100_000:  # ticket prices, per-screen averages
            continue
        window = text[max(0, m.start() - 80):m.end() + 60]
        before = text[max(0, m.start() - 40):m.start()]
        after = text[m.end():m.end() + 50]
        film = subject_film(frames, frame)
        hedge = HEDGE.search(before.lower()) or re.search(r"\breportedly\b|\breported\b", before, re.I)
        hedge_word = hedge.group(1 if hedge.re is HEDGE else 0).lower() if hedge else None
        if BUDGET.search(after[:30]) or BUDGET.search(before[-30:]) or MADE_FOR.search(before):
            yield from make(frames, frame, film, "budget", amount, 0.75, currency=currency, hedge=hedge_word)
        elif GROSS.search(window) and not re.search(r"per[- ]screen|per[- ]theater|average", after[:30], re.I):
            scope = _scope(window)
            yield from make(frames, frame, film, "box_office", amount, 0.7, currency=currency, scope=scope, hedge=hedge_word)


def _scope(window: str) -> str | None:
    found = [name for name, rx in SCOPES if re.search(rx, window, re.I)]
    if "opening weekend" in found and "domestic" in found:
        return "opening weekend domestic"
    return found[0] if found else None


WORK = r"(?:novel|book|comic|comic book|graphic novel|play|stage play|musical|game|video game|article|memoir|short story|story|novella|series|tv series|manga|poem|ballad|folk tale|fairy tale|tale|legend)"


def relation_rules(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    text = frame.masked
    based = re.compile(rf"\b(?:based on|adapted from|adaptation of|inspired by) (?:the |a |an |his |her |their )?"
                       rf"(?:{slot('P', 'author')}'s? |[A-Z][\w.-]+(?: [A-Z][\w.-]+)*'s? )?(?:(?:{YEAR}|best-selling|bestselling|hit|classic|acclaimed|"
                       rf"chinese|japanese|french|american|british|[a-z]+) ){{0,3}}{WORK}s?(?P<rest>[^.;]{{0,60}})")
    for m in based.finditer(text):
        film = subject_film(frames, frame, m.start())
        rest = m.group("rest")
        work = re.search(rf"^(?:,? (?:called|titled|named)|,)? ?(?:the )?{slot('F', 'w')}", rest)
        if work:
            source = frame.mention(work.group("w"))
            if film is not None and source.entity_id == film.entity_id:  # the book shares the film's title
                source = (frames.label(source) or source.text).split(" (")[0]
            yield from make(frames, frame, film, "based_on", source, 0.75)
        elif re.match(r"^ of the same (?:name|title)", rest) and film is not None:
            yield from make(frames, frame, film, "based_on", frames.label(film).split(" (")[0], 0.7)
        elif (named := re.match(r"^,? (?:called |titled )?['\"]?(?P<work>(?:The |A |An )?[A-Z][\w'-]*(?: (?:of|the|a|an|and|in|on|to)? ?[A-Z][\w'-]*)*)", rest)):
            yield from make(frames, frame, film, "based_on", named.group("work"), 0.65)  # a book's title
        by = re.search(rf"by {slot('P', 'a')}", rest)
        for idx in filter(None, (m.group("author"), by.group("a") if by else None)):
            yield from make(frames, frame, film, "based_on", frame.mention(idx), 0.6)
    made_into = re.compile(rf"\b{WORK}s?,? ['\"]?{slot('F', 'w')}['\"]?,? (?:[^.⟦]{{0,30}} )?(?:was|is|has been|were|got) "
                           rf"(?:later |eventually |then )?(?:made|turned|adapted|transformed) into (?:a|an|the) "
                           rf"(?:[\w⟦⟧-]+ ){{0,4}}?(?:(?P<year>{YEAR}) )?(?:[\w-]+ ){{0,2}}?(?:film|movie|feature)")
    for m in made_into.finditer(text):  # "his novel 'X' was made into a 1994 movie": the film shares the title
        film = frame.mention(m.group("w"))
        label = frames.label(film)
        if label:
            yield from make(frames, frame, film, "based_on", label.split(" (")[0], 0.7)
            author = re.search(rf"{slot('P', 'a')}(?:'s|, the (?:writer|author|novelist) whose)", text[:m.start() + 1])
            if author:
                yield from make(frames, frame, film, "based_on", frame.mention(author.group("a")), 0.6)
        if m.group("year"):
            yield from make(frames, frame, film, "release_year", int(m.group("year")), 0.7)
    for m in re.finditer(rf"\b(?:based on|adapted from|an adaptation of) (?:the )?(?:{WORK} )?{slot('F', 'w')}", text):
        yield from make(frames, frame, subject_film(frames, frame, m.start()), "based_on", frame.mention(m.group("w")), 0.7)
    for m in re.finditer(rf"\bremake of (?:the |his |her |its )?(?:{YEAR} )?(?:[a-z-]+ ){{0,3}}?{slot('F', 'o')}", text):
        yield from make(frames, frame, subject_film(frames, frame, m.start()), "remake_of", frame.mention(m.group("o")), 0.8)
    for m in re.finditer(rf"\b(?:adapted it as|remade(?: it)?(?: by (?P<by>⟦O\d+⟧))? as) (?:the |a )?(?:[\w-]+ ){{0,3}}?{slot('F', 'o')}", text):
        source, other = subject_film(frames, frame, m.start()), frame.mention(m.group("o"))
        later, earlier = _by_year(frames, other, source) if "remade" in m.group(0) else (source, other)
        yield from make(frames, frame, later, "remake_of", earlier, 0.6)
        if m.group("by"):  # "remade by Paramount as F": the studio made the remake
            yield from make(frames, frame, other, "studio", frame.mention(re.search(r"\d+", m.group("by")).group(0)), 0.65)
    for m in re.finditer(rf"\b(?:sequel|follow-up|followup|prequel|continuation|spin-off|spinoff) (?:to|of) (?:the )?(?:{YEAR}'s )?{slot('F', 'o')}", text):
        subject = subject_film(frames, frame, m.start())
        yield from make(frames, frame, subject, "sequel_of", frame.mention(m.group("o")), 0.75)
    for m in re.finditer(rf"(?:served as|been|was|is|became) (?:the |a )?(?:template|blueprint|model|inspiration|touchstone) for (?:the likes of )?({F2})", text):
        source = subject_film(frames, frame, m.start())
        for idx in re.findall(r"⟦F(\d+)⟧", m.group(1)):
            yield from make(frames, frame, frame.mention(idx), "influenced_by", source, 0.75)
    debt = re.compile(rf"\b(?:owes (?:an? )?(?:[a-z]+ )?debt to|(?:is |was )?indebted to|(?:pays |a )?homage to|a nod to|"
                      rf"(?:clearly |obviously )?(?:recalls?|echoes|evokes)|riffs on|(?:influenced|inspired) by) {slot('F', 'o')}")
    for m in debt.finditer(text):  # "the script owes a debt to F": the sentence's film was influenced by F
        source = subject_film(frames, frame, m.start())
        yield from make(frames, frame, source, "influenced_by", frame.mention(m.group("o")), 0.6)
    for m in re.finditer(rf"{slot('F', 's')}[^.⟦]{{0,30}}\b(?:learned|borrowed|took|stole|lifted)(?: [a-z]+){{0,3}} from {slot('F', 'o')}|"
                         rf"{slot('F', 's2')}[^.⟦]{{0,30}}\b(?:influenced by|indebted to|homage to|owes a debt to|riffs on) {slot('F', 'o2')}", text):
        s, o = m.group("s") or m.group("s2"), m.group("o") or m.group("o2")
        yield from make(frames, frame, frame.mention(s), "influenced_by", frame.mention(o), 0.7)
    for m in re.finditer(rf"{slot('P', 'p')}[^.⟦]{{0,30}}\b(?:influenced by|inspired by|cites?|cited) {F2}", text):
        for idx in re.findall(r"⟦F(\d+)⟧", m.group(0)):
            yield from make(frames, frame, frame.mention(m.group("p")), "influenced_by", frame.mention(idx), 0.5)
    inspired = re.compile(r"\b(?i:inspired by|based on) (?:the )?(?:true|real|real-life|untold)(?: [a-z-]+){0,6} [^.,;]*")
    for m in inspired.finditer(text):
        film = subject_film(frames, frame, m.start())
        for person in people_in(frame, m):
            yield from make(frames, frame, film, "inspired_by", person, 0.75)
    for m in re.finditer(rf"{slot('P', 'p')} biopic,? {slot('F', 'f')}|{slot('F', 'f2')},? (?:a|the) biopic (?:of|about) (?:[a-z ]+)?{slot('P', 'p2')}", text):
        film = frame.mention(m.group("f") or m.group("f2"))
        yield from make(frames, frame, film, "inspired_by", frame.mention(m.group("p") or m.group("p2")), 0.7)


def _by_year(frames: DocumentFrames, new: Mention, old: Mention | None) -> tuple[Mention | None, Mention | None]:
    """(remake, original): the later film is the remake when both years are known."""
    a, b = frames.entity(new), frames.entity(old) if old is not None else None
    new_year, old_year = (a.known_year if a else None), (b.known_year if b else None)
    if new_year and old_year and new_year < old_year:
        return old, new
    return new, old


def sequel_titles(frames: DocumentFrames, catalog: Catalog) -> Iterator[Fact]:
    """"Title 2" / "Title: Part II" names a sequel of the film called "Title"."""
    films = [e for e in frames.entities.values() if e.type == "film"]
    by_title = {fold(e.name): e for e in films}
    for e in films:
        m = re.match(r"^(?P<base>.+?)(?::? (?:Part )?(?:[2-9]|II|III|IV|V|VI)|:? Chapter (?:[2-9]|Two|Three))$", e.name)
        if not m:
            continue
        base = by_title.get(fold(m.group("base")))
        if base is None or not e.mentions:
            continue
        frame = next((f for f in frames.frames if f.start <= e.mentions[0].start < f.end), None)
        if frame is None:
            continue
        s = Mention(e.mentions[0].start, e.mentions[0].end, e.name, "film", entity_id=e.id)
        o = Mention(base.mentions[0].start, base.mentions[0].end, base.name, "film", entity_id=base.id)
        yield from make(frames, frame, s, "sequel_of", o, 0.85)


AWARD_WON = r"(?:won|wins|winning|took home|takes home|scooped|picked up|received|receives|earned|bagged|collected|landed|claimed|awarded|handed|took|scooping|picking up|nabbed|(?:was |is )?(?:the )?(?:recipient|winner)s? of)"
_A = slot("A")
AWARD_PHRASES = [
    (rf"{AWARD_WON} (?:the |an? |two |three |four |several |his |her |its )?(?:[\w'-]+ |⟦[A-Z]\d+⟧'s ){{0,5}}?,? ?(?:the )?"
     rf"{_A}(?:(?:, | and |, and | as well as ){_A})*", "won", 0.75),
    (rf"(?:nominated for|nomination for|nominations? for|shortlisted for|in the running for|up for) (?:the |an? )?"
     rf"{_A}(?:(?:, | and | or ){_A})*|{_A} nominations?", "nominated", 0.7),
]
AWARD_LIST_LINE = re.compile(rf"^\s*{slot('A', 'a')}:\s*(?P<who>{PLIST})?\s*(?:\((?P<films>[^)]*)\)|(?P<film>{slot('F')}))?\s*$")


FAMILY = re.compile(r"^(?:Academy Awards?|Oscars?|Golden Globes?|BAFTAs?|Emmys?)$")


def award_name(frames: DocumentFrames, frame: Frame, award: Mention) -> str:
    """A bare category ("Best Picture") takes the family named in the same sentence."""
    name = frames.label(award) or award.text
    if not name.startswith("Best "):
        return name
    family = next((m.text for m in frame.of_type("A") if FAMILY.match(m.text)), None)
    if family is None:
        return name
    family = "Academy Award" if family.startswith(("Academy", "Oscar")) else family.rstrip("s")
    return f"{family} for {name}"


def award_rules(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    """Awards in a sentence; a bare family ("an Academy Award nomination") is dropped when the
    same holder has a named category in the same sentence."""
    found = list(_award_facts(frames, frame, catalog))
    qualified = {(f.s, f.qualifiers.get("outcome")) for f in found if " for " in str(f.o)}
    yield from (f for f in found if not (FAMILY.match(str(f.o)) and (f.s, f.qualifiers.get("outcome")) in qualified))


def _award_facts(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    text = frame.masked
    if "⟦A" not in text:
        return
    year_m = re.search(rf"\b(?:in|at the) ({YEAR})\b", frame.text)
    year = int(year_m.group(1)) if year_m else None
    holders = [m for m in frame.slots if m.type in ("person", "film")]
    listed = AWARD_LIST_LINE.match(text)
    if listed:  # "Best Director: Name (Film)" in a winners list
        award = award_name(frames, frame, frame.mention(listed.group("a")))
        holders_in = re.findall(r"⟦[PF](\d+)⟧", text[listed.end("a"):])
        for idx in holders_in:
            yield from make(frames, frame, frame.mention(idx), "award", award, 0.75, outcome="won", year=year)
        return
    for pattern, outcome, confidence in AWARD_PHRASES:
        for m in re.finditer(pattern, text):
            holder = _nearest_holder(frame, holders, m.start())
            if re.search(r", (?:which|that) (?:also |later |then |went on to )?$", text[:m.start()]):
                holder = subject_film(frames, frame, m.start()) or holder  # "X's thriller, which won ..."
            if re.match(r"\w+ (?:him|her|them)\b", text[m.start():]):  # "..., and won him a BAFTA": the subject
                holder = next((p for p in frame.of_type("P")), holder)
            work = CREDITED_WORK.match(text[m.end():])  # "... for his turn in F": the film shares it
            for idx in re.findall(r"⟦A(\d+)⟧", m.group(0)):
                award = award_name(frames, frame, frame.mention(idx))
                yield from make(frames, frame, holder, "award", award, confidence, outcome=outcome, year=year)
                if holder is not None and holder.type == "person" and re.search(r"Act(?:or|ress)|Performance", award) \
                        and frames.role_of(holder) != "director" and m.start() - _pos(frame, holder) < 60:
                    film = subject_film(frames, frame, m.start())  # an acting prize for a film: its cast
                    yield from make(frames, frame, film, "cast_member", holder, 0.6, character=None)
                if work and holder is not None and holder.type == "person":
                    yield from make(frames, frame, frame.mention(work.group("f")), "award", award, confidence - 0.1,
                                    outcome=outcome, year=year)
    for m in re.finditer(rf"{slot('A', 'a')}[- ]winning (?:[a-z-]+ ){{0,2}}?(?:(?:director|writer|star|maker) of {slot('F')},? {slot('P', 'p')}"
                         rf"|(?:[a-z-]+ ){{0,3}}(?:{slot('P', 'p2')}|{slot('F', 'f')}))", text):  # "Oscar-winning director of F, X"
        holder = frame.mention(m.group("p") or m.group("p2") or m.group("f"))
        yield from make(frames, frame, holder, "award", frame.mention(m.group("a")), 0.65, outcome="won")


def _nearest_holder(frame: Frame, holders: list[Mention], pos: int) -> Mention | None:
    """The award's holder: the nearest person named before it, else the nearest film; a name
    in the possessive ("X's new drama won") is not the holder."""
    before = [m for m in holders if _pos(frame, m) < pos and not _possessive(frame, m)]
    people = [m for m in before if m.type == "person"]
    if people:
        return people[-1]
    return before[-1] if before else (holders[0] if holders else None)


CREDITED_WORK = re.compile(rf"^[^.⟦]{{0,20}}?\bfor (?:his |her |their )?(?:(?:turn|role|performance|work|part) in )?{slot('F', 'f')}")


def _possessive(frame: Frame, m: Mention) -> bool:
    marker = re.search(rf"⟦[A-Z]{frame.slots.index(m)}⟧'s?\b", frame.masked)
    return marker is not None


def _pos(frame: Frame, m: Mention) -> int:
    marker = re.search(rf"⟦[A-Z]{frame.slots.index(m)}⟧", frame.masked)
    return marker.start() if marker else 0


FESTIVAL_VERBS = r"(?:won|wins|winner|award|prize|premiered|premieres|premiering|screen|screened|screens|screenings?|debuted|debuts|plays|played|showing|shown|selected|in competition|competing|compete|line-?up|official (?:selection|competition)|open(?:s|ed|ing)?|clos(?:e|es|ed|ing)|opener|closer|world premiere|gala|part of|on the bill|programme|program)"


LINEUP = r"\b(?:on the bill|line-?up|programme|program|screenings?|will screen|opener|closer|opening night|closing night|in competition|premieres?)\b"


def festival_rules(frames: DocumentFrames, frame: Frame, catalog: Catalog) -> Iterator[Fact]:
    text = frame.masked
    if not re.search(FESTIVAL_VERBS, text, re.I):
        return
    events = frame.of_type("E")
    if not events:
        # a line-up sentence in an article about a festival ("X and Y are on the bill")
        entity = frames.entities.get(frame.event_focus or "")
        if entity is None or not re.search(LINEUP, text, re.I):
            return
        for film in frame.of_type("F"):
            yield from make(frames, frame, film, "festival", entity.name, 0.55, year=entity.year)
        return
    for event in events:
        entity = frames.entity(event)
        year = entity.year if entity else None
        e_pos = _pos(frame, event)
        for film in frame.of_type("F"):
            f_pos = _pos(frame, film)
            between = text[min(f_pos, e_pos):max(f_pos, e_pos)]
            if len(between) < 160 and re.search(FESTIVAL_VERBS + r"|\bat\b|\bfor\b", between, re.I):
                yield from make(frames, frame, film, "festival", event, 0.65, year=year)


def all_relation_rules():
    return [release_year_rules, money_rules, relation_rules, award_rules, festival_rules]
