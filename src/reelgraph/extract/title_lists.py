"""What a candidate title learns from the titles listed beside it (features for `title_features.py`).

Film writing names many films at once in lists: headings of one shape ("3.) Title", "#### Title",
"[Title](link)", "Title (Netflix)") and runs of names joined by commas and "and". An entry of such
a list is judged partly by its siblings: how many there are, the share the catalog knows and the
share that carry a year in brackets. A capitalised run that no cue proposed becomes a candidate
when it is listed beside candidates.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict

from ..catalog import Catalog
from ..names import fold
from ..types import Mention
from . import patterns as P

LIST_MARKS = " \t#>*-\u2013\u2022.)\\[0123456789"  # what may come before a heading's title
ENTRY_TAIL = re.compile(r"^\s*(?:\((?P<year>(?:19|20)\d\d)\)|\([^()\n]{1,40}\)|\]\([^()\s]{1,200}\)|[:\u2013-]|$)")
JOINER = re.compile(r"^\s*(?:,|;|&|/|\band\b|\bor\b|,\s*(?:and|or)\b)\s*$")
MIN_SIBLINGS = 2
AND_CUT = re.compile(r"\s(?:and|&)\s")


def heading_shape(text: str, m: Mention) -> str | None:
    """The marks around a title that starts a short line ("0.)|(", "####|", "0\\. [|](") or None."""
    line_start = text.rfind("\n", 0, m.start) + 1
    prefix = text[line_start:m.start]
    if prefix.strip(LIST_MARKS):
        return None
    line_end = text.find("\n", m.end)
    tail = text[m.end:len(text) if line_end < 0 else line_end]
    end = ENTRY_TAIL.match(tail)
    if end is None or len(tail) > 240:
        return None
    return re.sub(r"\d+", "0", prefix.strip()) + "|" + re.sub(r"[^(\]:\u2013-]", "", end.group(0))[:2]


def list_features(groups: list, text: str, catalog: Catalog) -> dict[str, dict[str, float]]:
    """{group key: features} for the groups that sit in a heading list or a joined run."""
    members: dict[str, set[str]] = defaultdict(set)  # list id -> group keys
    lists_of: dict[str, set[str]] = defaultdict(set)  # group key -> list ids
    for g in groups:
        for m in g.mentions:
            shape = heading_shape(text, m)
            if shape is not None:
                members["h:" + shape].add(g.key)
                lists_of[g.key].add("h:" + shape)
    for n, chain in enumerate(_joined_runs(groups, text)):
        members[f"j:{n}"] |= chain
        for key in chain:
            lists_of[key].add(f"j:{n}")
    by_key = {g.key: g for g in groups}  # only listed titles are looked up in the catalog
    known = {k: bool(catalog.films_titled(by_key[k].text)) for k in lists_of}
    dated = {k: any(m.year for m in by_key[k].mentions) for k in lists_of}
    out: dict[str, dict[str, float]] = {}
    for key, ids in lists_of.items():
        for kind in ("heading", "joined"):
            sibs = {k for i in ids if i[0] == kind[0] for k in members[i]} - {key}
            if len(sibs) >= MIN_SIBLINGS:
                f = out.setdefault(key, {})
                f[kind + "_siblings"] = math.log1p(len(sibs))
                f[kind + "_sib_catalog"] = sum(known[k] for k in sibs) / len(sibs)
                f[kind + "_sib_year"] = sum(dated[k] for k in sibs) / len(sibs)
    return out


def _joined_runs(groups: list, text: str) -> list[set[str]]:
    """The group keys of each run of candidate titles joined only by commas, "and", "or"."""
    spans = sorted(((m.start, m.end, g.key) for g in groups for m in g.mentions), key=lambda s: (s[0], -s[1], s[2]))
    runs = [{key for _, _, key in chain} for chain in _chains(spans, text)]
    return [run for run in runs if len(run) > MIN_SIBLINGS]


def listed_runs(text: str, mentions: list[Mention], taken: set[str]) -> list[Mention]:
    """Capitalised runs that no cue proposed but that are listed beside candidate titles
    ("Crash" in "Heat, Babel, Crash and Traffic" when "Heat" is a candidate), cut at "and"."""
    spans: list[tuple[int, int, str | None]] = [(m.start, m.end, None) for m in mentions]
    for m in P.TITLE_RX.finditer(text):
        starts = [m.start()] + [m.start() + c.end() for c in AND_CUT.finditer(m.group(0))]
        ends = [m.start() + c.start() for c in AND_CUT.finditer(m.group(0))] + [m.end()]
        for a, b in zip(starts, ends):
            title = P.trim_title(text[a:b])
            if title and fold(title) not in taken and not title.isdigit() and not P.is_generic_phrase(title):
                a += text[a:b].find(title)
                spans.append((a, a + len(title), title))
    spans.sort(key=lambda span: (span[0], -span[1]))
    return [Mention(s, e, t, "film", cue="list-run") for chain in _chains(spans, text)
            if any(t is None for _, _, t in chain) for s, e, t in chain if t is not None]


def _chains(spans: list[tuple], text: str):
    """Runs of more than MIN_SIBLINGS spans joined only by commas, "and", "or" ("A, B and C"), from
    (start, end, payload) spans sorted by start, longest first; a span inside the one just taken is
    skipped."""
    chain: list[tuple] = []
    last_end = -1
    for span in spans:
        if span[0] < last_end:
            continue
        if chain and JOINER.match(text[last_end:span[0]]):
            chain.append(span)
        else:
            if len(chain) > MIN_SIBLINGS:
                yield chain
            chain = [span]
        last_end = span[1]
    if len(chain) > MIN_SIBLINGS:
        yield chain
