"""Sentence frames: each sentence with its mentions replaced by typed slots.

"Michael Mann's Heat stars Al Pacino" becomes "⟦P0⟧'s ⟦F1⟧ stars ⟦P2⟧", so a rule is
a regular expression over mention types, never over particular names.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..names import film_label
from ..types import Document, Entity, Mention, Span
from .focus import FocusTracker, bare_heading, heading_film, related_film
from .patterns import secondary_title

CODES = {"film": "F", "series": "F", "person": "P", "character": "C", "organization": "O",
         "publication": "U", "event": "E", "award": "A"}
SLOT = re.compile(r"⟦([A-Z])(\d+)⟧")


def slot(code: str, name: str = "") -> str:
    """Regex for one slot of a type; `name` makes it a named group holding the index."""
    inner = rf"(?P<{name}>\d+)" if name else r"\d+"
    return rf"⟦{code}{inner}⟧"


@dataclass
class Frame:
    """One sentence: its span, masked text and the mentions behind each slot."""

    start: int
    end: int
    text: str
    masked: str
    slots: list[Mention]
    focus: Entity | None = None  # the film the discourse is about when the sentence names none
    runner_up: Entity | None = None  # the next most likely such film
    event_focus: str | None = None  # entity id of the festival last named

    def mention(self, index: str | int) -> Mention:
        return self.slots[int(index)]

    def of_type(self, code: str) -> list[Mention]:
        return [self.slots[int(i)] for c, i in SLOT.findall(self.masked) if c == code]


@dataclass
class DocumentFrames:
    doc: Document
    frames: list[Frame]
    entities: dict[str, Entity] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)

    def entity(self, m: Mention) -> Entity | None:
        return self.entities.get(m.entity_id or "")

    def label(self, m: Mention) -> str | None:
        e = self.entity(m)
        if e is None:
            return None
        return film_label(e.name, e.year) if e.type in ("film", "series") else e.name

    def role_of(self, person: Mention) -> str | None:
        """"director" or "actor" when the article calls this person one, else None."""
        return self.roles.get(person.entity_id or "")

    def evidence(self, frame: Frame) -> Span:
        return self.doc.span(frame.start, frame.end)


FILM_BY_YEAR = re.compile(r"\b[Tt]he (?P<year>(?:19|20)\d\d) (?:[\w-]+ ){0,2}?(?:film|movie|adaptation|remake|version|original|animation|animated film|picture|release)\b")
IT_FILM = re.compile(r"^\s*It(?= (?:also |later |then |first |will |has |had )*(?:screen|screens|screened|premiere|premieres|learned|borrowed|"
                     r"premiered|opens|opened|open|debuts|debuted|grossed|earned|stars|starred|cost|was directed|"
                     r"is directed|was produced|was shot|was filmed|was released|hits|arrives)\b)")
FILM_ANAPHOR = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat) (?:new |upcoming |latest |forthcoming )?(?:film|movie|picture)\b(?![- ](?:industry|festival|world|business|critics?|community|rights|school|fans?|makers?|studios?|version|itself)\b)")
PRONOUN_AGENT = re.compile(r"(?<=[\s,])(?:he|she)(?= (?:also |later |then |first |previously )?(?:received|won|wrote|directed|penned|"
                           r"starred|produced|co-wrote|co-directed|is set to|was set to|will|has|had|took home|earned|worked|appeared)\b)")
EVENT_REFERENCE = re.compile(r"\b[Tt]he (?:festival|fest|ceremony|awards)\b")
PRONOUN_SUBJECT = re.compile(r"^\s*(?:He|She|His|Her)\b(?! said| added| told)")


def build_frames(doc: Document, parsed: Doc, mentions: list[Mention], entities: list[Entity]) -> DocumentFrames:
    """Frames for every non-blank sentence. Two light references are resolved here:
    "the 2019 film" names the document's film of that year, and a sentence that opens
    with "He"/"She" is about the last person named."""
    by_id = {e.id: e for e in entities}
    linked = sorted((m for m in mentions if m.entity_id in by_id), key=lambda m: m.start)
    films_by_year = {e.known_year: e for e in entities if e.type == "film" and e.known_year}
    films_by_title = {e.name.lower(): e for e in entities if e.type == "film"}
    all_films = [e for e in entities if e.type == "film" and e.mentions]
    frames: list[Frame] = []
    tracker = FocusTracker(doc.paragraphs or [(0, len(doc.clean))], by_id)
    focus, runner_up = _main_film(linked, by_id), None
    last_person: Mention | None = None
    last_event: Mention | None = None
    i = 0
    for index, (start, end) in enumerate(_join_split_names(_sentence_spans(doc.clean, parsed), linked)):
        raw = doc.clean[start:end]
        while i < len(linked) and linked[i].start < start:
            i += 1
        inside = []
        j = i
        while j < len(linked) and linked[j].end <= end:
            inside.append(linked[j])
            j += 1
        named = [m for m in inside if CODES.get(m.type) == "F"]
        heading = heading_film(doc.clean, start, end, named, [m for m in inside if m not in named])
        if heading is not None:  # a heading's film is the topic of its own line too
            tracker.see(index, start, named, heading, None)
            focus, runner_up = tracker.ranked(start)
        elif not named and bare_heading(doc.clean, start, end):
            tracker.end_section()
        else:
            tracker.prose(raw)
        inside += _references(raw, start, inside, films_by_year, last_person, last_event, focus, films_by_title,
                              all_films)
        inside.sort(key=lambda m: m.start)
        frames.append(_frame(start, end, raw, inside, focus))
        frames[-1].event_focus = last_event.entity_id if last_event else None
        frames[-1].runner_up = runner_up
        films = [m for m in inside if CODES.get(m.type) == "F"]
        films = [m for m in films if not secondary_title(raw[:m.start - start], raw[m.end - start:])]
        takes = films[0] if films and _takes_focus(films[0], start, end, by_id) else None
        tracker.see(index, start, named, None, takes)
        focus, runner_up = tracker.ranked(end)
        people = [m for m in inside if m.type == "person"]
        if people:
            last_person = people[0]
        events = [m for m in inside if m.type == "event"]
        if events:
            last_event = events[-1]
    return DocumentFrames(doc, frames, by_id, _roles(frames))


ROLE_NOUNS = [("director", re.compile(r"\b(?:[Dd]irector|[Ff]ilmmaker|helmer|auteur)s? ⟦P(\d+)⟧|⟦P(\d+)⟧,? (?:the |a |an )?(?:[\w-]+ ){0,3}(?:director|filmmaker)\b")),
              ("actor", re.compile(r"\b(?:[Aa]ctor|[Aa]ctress|star|co-star|starring|featuring|stars)s? ⟦P(\d+)⟧|⟦P(\d+)⟧,? (?:the |a |an )?(?:[\w-]+ ){0,3}(?:actor|actress|star)\b|⟦P(\d+)⟧ (?:stars|starred|plays|played)\b"))]


def _roles(frames: list[Frame]) -> dict[str, str]:
    """What the article calls each person: the first role noun found wins."""
    roles: dict[str, str] = {}
    for frame in frames:
        for role, rx in ROLE_NOUNS:
            for m in rx.finditer(frame.masked):
                idx = next(g for g in m.groups() if g is not None)
                entity_id = frame.slots[int(idx)].entity_id
                if entity_id:
                    roles.setdefault(entity_id, role)
    return roles


def _pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of a sentence cut at blank lines, and at line breaks that end
    a short or finished line (headings, list entries); a long line that stops mid-sentence is
    hard wrapping and stays whole."""
    pieces, start = [], 0
    for m in re.finditer(r"\n\s*\n|\n", text):
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()].rstrip()
        if m.group(0).count("\n") > 1 or len(line) <= 60 or line.endswith(tuple(".!?:;)\"'\u201d\u2019")):
            pieces.append((start, m.start()))
            start = m.end()
    pieces.append((start, len(text)))
    return pieces


def _join_split_names(spans: list[tuple[int, int]], mentions: list[Mention]) -> list[tuple[int, int]]:
    """Merge neighbouring sentences when a name runs across their boundary ("K-19: | The Widowmaker")."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and any(m.start < merged[-1][1] <= m.end and m.end > start for m in mentions):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _sentence_spans(clean: str, parsed: Doc) -> list[tuple[int, int]]:
    """spaCy's sentences, cut further by `_pieces`, trimmed, without blank ones."""
    spans = []
    for sent in parsed.sents:
        text = clean[sent.start_char:sent.end_char]
        for start, end in _pieces(text):
            piece = text[start:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                spans.append((sent.start_char + start + lead, sent.start_char + start + lead + len(piece.strip())))
    return spans


FAMILY_REFERENCE = re.compile(r"\b[Tt]he (?:new |latest |upcoming |forthcoming )?(?P<kind>original|remake|sequel|prequel|reboot|follow-up)"
                              r"(?: (?:film|movie|version))?\b(?![- ](?:of|to|for|cast|series|trilogy|script|novel|book|story|idea|plan)\b)(?!['\u2019]s| [A-Z\d])")
ORIGINAL_FILM = re.compile(r"\b[Tt]he (?:first|original|earlier|previous) (?:film|movie|one|installment|instalment)\b")


def _original_of(focus: Entity | None, films_by_title: dict[str, Entity]) -> Entity | None:
    """"X 2" in focus: the film called "X"."""
    if focus is None:
        return None
    m = re.match(r"^(?P<base>.+?)(?::? (?:Part )?(?:[2-9]|II|III|IV|V|VI))$", focus.name)
    return films_by_title.get(m.group("base").lower()) if m else None


def _sequel_of(film: Entity, films_by_title: dict[str, Entity]) -> Entity | None:
    """The film called "<film> 2" (or a later number), if the article names one."""
    for title, entity in films_by_title.items():
        if re.fullmatch(re.escape(film.name.lower()) + r":? (?:part )?(?:[2-9]|ii|iii|iv|v|vi)", title):
            return entity
    return None


def _takes_focus(m: Mention, start: int, end: int, by_id: dict[str, Entity]) -> bool:
    """A film becomes the topic when it opens its sentence or is named more than once;
    one passing mention at the end of a sentence ("... as the TV movie X") does not."""
    return m.start - start <= (end - start) / 2 or len(by_id[m.entity_id].mentions) > 1


def _references(raw: str, offset: int, inside: list[Mention], films_by_year: dict[int, Entity],
                last_person: Mention | None, last_event: Mention | None, focus: Entity | None,
                films_by_title: dict[str, Entity], films: list[Entity] = ()) -> list[Mention]:
    def free(s: int, e: int) -> bool:
        return not any(m.start < e and s < m.end for m in inside)

    found = []
    for hit in FILM_BY_YEAR.finditer(raw):
        film = films_by_year.get(int(hit.group("year")))
        s, e = offset + hit.start(), offset + hit.end()
        if film is not None and free(s, e):
            found.append(Mention(s, e, hit.group(0), film.type, year=film.year, cue="reference", entity_id=film.id))
    for hit in ORIGINAL_FILM.finditer(raw):  # "the first film" of a sequel in focus is the film it follows
        s, e = offset + hit.start(), offset + hit.end()
        base = _original_of(focus, films_by_title)
        if base is not None and free(s, e):
            found.append(Mention(s, e, hit.group(0), "film", cue="reference", entity_id=base.id))
    for hit in FAMILY_REFERENCE.finditer(raw):  # "the remake" while the original is the topic, and back
        s, e = offset + hit.start(), offset + hit.end()
        film = related_film(hit.group("kind"), focus, films)
        if film is not None and free(s, e):
            found.append(Mention(s, e, hit.group(0), "film", cue="reference", entity_id=film.id))
    it = IT_FILM.match(raw)
    if it and focus is not None and free(offset + it.end() - 2, offset + it.end()):
        found.append(Mention(offset + it.end() - 2, offset + it.end(), "It", "film", cue="reference", entity_id=focus.id))
    for hit in FILM_ANAPHOR.finditer(raw):
        s, e = offset + hit.start(), offset + hit.end()
        earlier = [m for m in inside if CODES.get(m.type) == "F" and m.end <= s]
        copula = re.search(r"\b(?:is|was|are|were) $", raw[:hit.start()])  # "X, starring Y, is the latest film by Z"
        chosen = (earlier[0] if copula else earlier[-1]) if earlier else None
        target_id = chosen.entity_id if chosen else (focus.id if focus else None)
        if not earlier and focus is not None and re.search(r"new|upcoming|forthcoming", hit.group(0)):
            sequel = _sequel_of(focus, films_by_title)  # "the new film" after talk of the original
            target_id = sequel.id if sequel else target_id
        if target_id and free(s, e):
            found.append(Mention(s, e, hit.group(0), "film", cue="reference", entity_id=target_id))
    if last_event is not None:
        for hit in EVENT_REFERENCE.finditer(raw):
            s, e = offset + hit.start(), offset + hit.end()
            if free(s, e):
                found.append(Mention(s, e, hit.group(0), "event", cue="reference", entity_id=last_event.entity_id))
    if last_person is not None:
        for hit in PRONOUN_AGENT.finditer(raw):
            s, e = offset + hit.start(), offset + hit.end()
            if free(s, e):
                found.append(Mention(s, e, hit.group(0), "person", cue="reference", entity_id=last_person.entity_id))
    pronoun = PRONOUN_SUBJECT.match(raw)
    if pronoun and last_person is not None:
        s = offset + pronoun.end() - len(pronoun.group(0).strip())
        found.append(Mention(s, offset + pronoun.end(), pronoun.group(0).strip(), "person",
                             cue="reference", entity_id=last_person.entity_id))
    return found


def _frame(start: int, end: int, raw: str, inside: list[Mention], focus: Entity | None) -> Frame:
    parts, cursor = [], start
    for n, m in enumerate(inside):
        parts.append(raw[cursor - start:m.start - start])
        parts.append(f"⟦{CODES[m.type]}{n}⟧")
        cursor = m.end
    parts.append(raw[cursor - start:])
    masked = re.sub(r"\s+", " ", "".join(parts))
    return Frame(start, end, raw, masked, inside, focus)


def _main_film(mentions: list[Mention], by_id: dict[str, Entity]) -> Entity | None:
    counts = Counter(m.entity_id for m in mentions if CODES.get(m.type) == "F")
    if not counts:
        return None
    return by_id[counts.most_common(1)[0][0]]
