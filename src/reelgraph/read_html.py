"""HTML part of the read stage: trafilatura's main text, with its emphasis spans.

`html_main_text` returns the article body as paragraphs joined by blank lines; offsets
index that text, not the HTML source. trafilatura and lxml load on first use.
"""
from __future__ import annotations

import re

from reelgraph.errors import ReadError

_BLOCK_TAGS = {"p", "head", "quote", "item", "code", "list", "div", "table", "row", "cell"}
_EMPHASIS_RENDS = {"#i", "#b", "#u"}


class _Run:
    """Text built piece by piece, with emphasis spans recorded on the way."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.spans: list[tuple[int, int]] = []

    def add(self, piece: str | None) -> None:
        if piece:
            self.parts.append(piece)
            self.size += len(piece)

    def inline(self, el) -> None:
        self.add(el.text)
        for child in el:
            if child.tag == "lb":
                self.add("\n")
            else:
                start = self.size
                self.inline(child)
                if child.tag == "hi" and child.get("rend") in _EMPHASIS_RENDS:
                    self.spans.append((start, self.size))
            self.add(child.tail)


def _html_blocks(el, out: list[_Run]) -> None:
    for child in el:
        if any(c.tag in _BLOCK_TAGS for c in child):  # a container: go inside
            _html_blocks(child, out)
        else:
            run = _Run()
            run.inline(child)
            out.append(run)


def html_main_text(html: str, where: str) -> tuple[str, list[tuple[int, int]], str | None, str | None]:
    """trafilatura's main text as paragraphs joined by blank lines, with emphasis spans."""
    try:
        import trafilatura
        from lxml import etree
    except ImportError as exc:
        raise ReadError(f"cannot read HTML, trafilatura is unavailable ({exc}): {where}") from None
    xml = trafilatura.extract(html, output_format="xml", include_formatting=True, include_comments=False,
                              include_links=False, include_tables=False, include_images=False,
                              favor_recall=True, with_metadata=True)
    root = etree.fromstring(xml.encode("utf-8")) if xml else None
    main = root.find("main") if root is not None else None
    if main is None:
        raise ReadError(f"no article body found in HTML: {where}")
    runs: list[_Run] = []
    if len(main) == 0 and re.search(r"[.!?]", main.text or ""):
        runs.append(_Run())
        runs[0].add(main.text)
    _html_blocks(main, runs)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for run in runs:
        raw = "".join(run.parts)
        if raw.strip():
            pos += 2 if parts else 0  # the blank line between blocks
            shift = pos - (len(raw) - len(raw.lstrip()))
            spans += [(max(s + shift, pos), min(e + shift, pos + len(raw.strip()))) for s, e in run.spans]
            parts.append(raw.strip())
            pos += len(parts[-1])
    text = "\n\n".join(parts)
    if not text:
        raise ReadError(f"no article body found in HTML: {where}")
    return text, spans, root.get("title") or None, root.get("url") or None
