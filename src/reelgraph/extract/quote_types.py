"""Plain types shared by the quote modules (detection, context, attribution, speaker ranking),
kept apart so that none of them imports another in a cycle."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class RawQuote:
    """One quoted segment before attribution."""

    start: int  # content start in doc.text
    end: int  # content end
    open: int  # position of the opening mark (block quotes: the '>')
    close: int | None  # position of the closing mark; None when the segment runs to its line's end
    line: int  # index into the document's line list
    block: bool = False


def lines_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, newline excluded."""
    out, start = [], 0
    for m in re.finditer(r"\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out
