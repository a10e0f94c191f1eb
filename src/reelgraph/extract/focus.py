"""The film in focus: which film a sentence that names none is about.

A reader takes it from the structure of the article before the nearest title:
- a heading line that names one film ("4.) Title", "Title (23 March)", "#### Title", a short
  line holding a title and little else) makes that film the topic of everything under it,
  until the next such heading;
- outside headed sections the headline's film, the paragraph's film and the document's most
  named film compete with the last film named; a passing mention ("a Veep-style satire")
  does not take over the review it sits in.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from ..types import Entity, Mention

LIST_MARK = re.compile(r"^[\s#*>_\-–—•|]*(?:\(?\d{1,3}\s*[.):]+\)?\s*|\d{1,2}:\d\d:?\s*)?[\s#*>_\[]*")
PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
WORD = re.compile(r"[A-Za-z][\w'’-]*")
MAX_HEADING = 110
MAX_OTHER_WORDS = 4

# weights of the score outside headed sections
HEADLINE = 3.0
RECENT = 2.5  # the last film named, in this paragraph or a few lines back
OLDER = 1.0  # the last film named, further back
NEAR = 600  # characters
SHARE = 1.0  # times the film's share of the document's film mentions


def heading_film(clean: str, start: int, end: int, films: list[Mention], others: list[Mention]) -> Mention | None:
    """The film a heading line names, when the sentence [start, end) is a line of its own that
    opens with a film title and says little else."""
    if not films or end - start > MAX_HEADING:
        return None
    line_start = clean.rfind("\n", 0, start) + 1
    line_end = clean.find("\n", end)
    line_end = len(clean) if line_end < 0 else line_end
    if clean[line_start:start].strip(" #*>_-–—•|[(.):0123456789") or clean[end:line_end].strip(" *_#"):
        return None
    first = films[0]
    if LIST_MARK.match(clean[line_start:first.start]).end() != first.start - line_start:
        return None  # "Best Actress: X (Title)": an entry, not a heading
    rest = clean[start:first.start] + clean[first.end:end]
    for m in films[1:] + others:
        if first.end <= m.start:
            rest = rest.replace(m.text, " ")
    rest = PAREN.sub(" ", rest)
    if rest.rstrip().endswith((".", "!", "?")) and len(WORD.findall(rest)) > 1:
        return None
    return first if len(WORD.findall(rest)) <= MAX_OTHER_WORDS else None


def bare_heading(clean: str, start: int, end: int) -> bool:
    """A short line of its own that reads as a heading ("19.) Some Title", "Watch out for"),
    not as a sentence or a "Label: value" line; it ends the section above it."""
    line_end = clean.find("\n", end)
    if end - start > 60 or clean[end:len(clean) if line_end < 0 else line_end].strip():
        return False
    line_start = clean.rfind("\n", 0, start) + 1
    text = clean[line_start:end].strip()
    if clean[line_start:start].strip(" #*>_-–—•|[(.):0123456789") or ":" in text or "|" in text:
        return False
    return text[-1:] not in ".!?'\"”’," and any(w[0].isupper() for w in WORD.findall(text))


@dataclass
class FocusTracker:
    """Walks the sentences in order; `current()` is the focus for the sentence just seen."""

    paragraphs: list[tuple[int, int]]
    by_id: dict[str, Entity]
    headline: Entity | None = None
    section: Entity | None = None
    counts: Counter = field(default_factory=Counter)
    last: Entity | None = None  # last focus-taking film
    last_paragraph: int = -1
    last_end: int = -1
    stacked: set[str] = field(default_factory=set)
    body: bool = False  # a sentence of prose seen since the last heading
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [s for s, _ in self.paragraphs]
        total = Counter()
        for e in self.by_id.values():
            if e.type in ("film", "series"):
                total[e.id] = len(e.mentions)
        self.counts = total

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos) - 1

    def end_section(self) -> None:
        """A heading without a film ends the section, unless the section has no prose yet
        (a header block whose next title was not recognised)."""
        if self.body:
            self.section = None

    def prose(self, text: str) -> None:
        if len(WORD.findall(text)) >= 6:
            self.body = True

    def see(self, index: int, start: int, films: list[Mention], heading: Mention | None, takes: Mention | None) -> None:
        """Record sentence `index` starting at `start`: its heading film, or the film that takes focus."""
        if heading is not None and heading.entity_id in self.by_id:
            if self.section is not None and not self.body:  # review headers stacked above their reviews
                self.stacked.update((self.section.id, heading.entity_id))
            self.section = self.by_id[heading.entity_id]
            self.body = False
            return
        if index == 0 and films and heading is None and takes is not None:
            self.headline = self.by_id.get(takes.entity_id or "")
        if takes is not None and takes.entity_id in self.by_id:
            self.last = self.by_id[takes.entity_id]
            self.last_paragraph = self.paragraph(start)
            self.last_end = start
            if self.section is not None and self.last.id in self.stacked:
                self.section = self.last  # under stacked headers the body names the film it turns to

    def current(self, start: int) -> Entity | None:
        return self.ranked(start)[0]

    def ranked(self, start: int) -> list[Entity | None]:
        """[the film in focus, the runner-up], None where there is no such film. Under a heading:
        its film, then the last film named under it or else the best score of the others;
        elsewhere the two best scores."""
        if self.section is not None and self.last is not None and self.last.id != self.section.id:
            return [self.section, self.last]
        scores: Counter = Counter()
        top = max(self.counts.values(), default=0) or 1
        for entity_id, n in self.counts.items():
            scores[entity_id] += SHARE * n / top
        if self.headline is not None and self.counts[self.headline.id] >= top:
            scores[self.headline.id] += HEADLINE  # a headline film named less than another is a reference
        if self.last is not None:
            near = self.last_paragraph == self.paragraph(start) or start - self.last_end <= NEAR
            scores[self.last.id] += RECENT if near else OLDER
        last_id = self.last.id if self.last else ""
        order = [self.by_id.get(k) for k, _ in sorted(scores.items(), key=lambda kv: (kv[1], kv[0] == last_id),
                                                       reverse=True)]
        if self.section is not None:
            order = [self.section] + [e for e in order if e is not None and e.id != self.section.id]
        return (order + [None, None])[:2]


SEQUEL_SUFFIX = re.compile(r"^(?P<base>.+?)(?::? (?:Part )?(?P<n>[2-9]|II|III|IV|V|VI)\b.*|: .+)$")
ROMAN = {"II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}


def _base(name: str) -> tuple[str, int]:
    """("heat", 2) for "Heat 2"; ("heat", 1) for "Heat"; a subtitle counts as a later entry."""
    m = SEQUEL_SUFFIX.match(name)
    if not m:
        return name.lower(), 1
    n = m.group("n")
    return m.group("base").lower(), int(ROMAN.get(n, n)) if n else 2


def related_film(kind: str, focus: Entity | None, films: list[Entity]) -> Entity | None:
    """"the original" / "the remake" / "the sequel" said while `focus` is the topic: the other
    member of the focus film's family (same title in another year, or "Title 2", "Title: Sub"),
    only when that is unambiguous. Originals and remakes stay two entities."""
    if focus is None or focus.type != "film":
        return None
    base, n = _base(focus.name)
    family = [e for e in films if e.id != focus.id and e.type == "film" and _base(e.name)[0] == base]
    if not family:
        return None
    def order(e: Entity) -> tuple:
        return (_base(e.name)[1], e.known_year or 9999)
    here = order(focus)
    earlier = [e for e in family if order(e) < here]
    later = [e for e in family if order(e) > here]
    if kind in ("original", "prequel", "first"):
        return min(earlier, key=order) if earlier else None
    nearest = sorted(later, key=order)
    return nearest[0] if len(nearest) == 1 or (nearest and order(nearest[0]) < order(nearest[1])) else None
