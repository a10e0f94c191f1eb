"""Fact status: whether a sentence presents a project as announced, in talks or rumoured.

`fact_status` is used by the rules (`facts.make`) and by the learned stage for the facts it
keeps (`candidates.candidate_fact`), so both say the same. A film the article presents as
released never gets a status.
"""
from __future__ import annotations

import re

from ..types import Mention
from .sentences import DocumentFrames, Frame

NO_STATUS = ("release_year", "award", "based_on", "remake_of", "sequel_of")
STATUS = [
    (re.compile(r"\bin (?:early )?talks\b|\bin negotiations\b|\bcircling\b", re.I), "in_talks"),
    (re.compile(r"\brumou?red\b|\breportedly\b(?= (?:set|to|in))", re.I), "rumoured"),
    (re.compile(r"\b(?:set to|is to|will|hired to|tapped to|lined up to|signed on|attached to|upcoming|"
                r"has tapped|announced|slated to|in the works|in development)\b", re.I), "announced"),
]


def _status(text: str) -> str | None:
    for rx, status in STATUS:
        if rx.search(text):
            return status
    return None


# Said of a film that is out: "premiered", "grossed", "starred", "Oscar-winning" (not "will be released").
RELEASED = re.compile(r"\b(?:(?<!\bbe )(?<!\bbeen )(?:released|available (?:on|to)|streaming on)|"
                      r"premiered|opened|debuted|grossed|starred|came out|"
                      r"hit (?:theaters|theatres|cinemas)|was (?:directed|written|shot|filmed|made)|"
                      r"(?:Oscar|award|Emmy|BAFTA)-winning|won (?:an? |the )?(?:Oscar|Academy Award|Palme|Golden))\b",
                      re.I)
RELEASE_WINDOW = 60  # characters either side of a film's name in which a release cue counts


def presented_as_released(frames: DocumentFrames, film: Mention) -> bool:
    """Whether the article says this film is out: a release cue near one of its names (not reaching
    past another film's name), or in a sentence about it that names no film."""
    if film.type not in ("film", "series") or film.entity_id is None:
        return False
    text = frames.doc.clean
    for f in frames.frames:
        names = [m for m in f.slots if m.type in ("film", "series")]
        if not names:
            if f.focus is not None and f.focus.id == film.entity_id and RELEASED.search(f.text):
                return True
            continue
        for i, m in enumerate(names):
            if m.entity_id != film.entity_id:
                continue
            left = max(f.start, m.start - RELEASE_WINDOW, names[i - 1].end if i else f.start)
            right = min(f.end, m.end + RELEASE_WINDOW, names[i + 1].start if i + 1 < len(names) else f.end)
            if RELEASED.search(text[left:right]):
                return True
    return False


def fact_status(frames: DocumentFrames, frame: Frame, subject: Mention, p: str) -> str | None:
    """The status a fact stated in `frame` about `subject` carries, if any."""
    if p in NO_STATUS:
        return None
    status = _status(frame.text)
    return status if status and not presented_as_released(frames, subject) else None
