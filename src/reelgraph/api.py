"""The read layer shared by the JSON API (`serve.py`) and the web pages (`web.py`).

Each `Api` method is one `Graph` call shaped for HTTP: pages of results, 404s as HTTPException.
Both skins import this module and neither imports the other's routes' module for its data, so
the API and the explorer always return the same data.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.exceptions import HTTPException

from .graph import Contradiction, DocumentSummary, DocumentView, EntityCard, Graph, QuoteView

MAX_LIMIT = 200  # the largest page any list endpoint or page returns


@dataclass
class Page:
    """One page of a list: `next` is the offset of the following page, or None on the last one.
    `extra` holds what a list adds about itself (search suggestions, matched speakers)."""

    items: list[Any]
    limit: int
    offset: int
    next: int | None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"items": [i.to_dict() for i in self.items], "limit": self.limit, "offset": self.offset,
                "next": self.next, **self.extra}


def _page(found: list[Any], limit: int, offset: int, **extra: Any) -> Page:
    """`found` was fetched with limit + 1 rows: the extra one tells whether a next page exists."""
    more = len(found) > limit
    return Page(found[:limit], limit, offset, offset + limit if more else None, extra)


class Api:
    """The questions the server answers, each one Graph call; 404 as HTTPException."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.inline = graph.store.engine.dialect.name == "sqlite"

    def endpoint(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Marks a route body (a plain function) for the framework. On an embedded SQLite store the
        body runs on the event loop: its queries cost well under a millisecond of CPU, less than
        handing it to a worker thread, and under load those threads only fight over the GIL (with 50
        clients this triples throughput; `benchmarks/serve_latency.py`). A server database makes the
        body wait on the network, so there it stays a plain function and runs in the thread pool."""
        if not self.inline:
            return func

        @functools.wraps(func)
        async def on_the_loop(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        return on_the_loop

    def entities(self, q: str | None, type: str | None, limit: int, offset: int) -> Page:
        """A search (forgiving; with "did you mean" suggestions when nothing matches), or, for an
        empty query, the entities with the most facts."""
        text = (q or "").strip()
        if not text:
            return _page(self.graph.top(type, limit + 1, offset), limit, offset)
        found = self.graph.search(text, type=type, limit=limit + 1, offset=offset)
        if found or offset:
            return _page(found, limit, offset)
        return _page([], limit, offset, suggestions=[s.to_dict() for s in self.graph.suggest(text, type=type)])

    def entity(self, entity_id: str) -> EntityCard:
        card = self.graph.entity(entity_id)
        if card is None:
            raise HTTPException(404, f"no entity {entity_id!r}")
        return card

    def facts(self, s: str | None, p: str | None, o: str | None, status: str | None, limit: int, offset: int) -> Page:
        try:
            found = self.graph.facts(s=s or None, p=p or None, o=o or None, status=status or None,
                                     limit=limit + 1, offset=offset)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        return _page(found, limit, offset)

    def quotes(self, speaker: str | None, film: str | None, outlet: str | None, limit: int, offset: int) -> Page:
        """Quotes; with a speaker, the page says which people the name matched (`speakers`)."""
        found: list[QuoteView] = self.graph.quotes(speaker=speaker or None, film=film or None,
                                                   outlet=outlet or None, limit=limit + 1, offset=offset)
        if not (speaker or "").strip():
            return _page(found, limit, offset)
        matched = [{"id": e.id, "name": e.name, "matched": e.matched} for e in self.graph.speakers(speaker)]
        return _page(found, limit, offset, speakers=matched)

    def documents(self, limit: int, offset: int) -> Page:
        found: list[DocumentSummary] = self.graph.documents(limit=limit + 1, offset=offset)
        return _page(found, limit, offset)

    def recent_documents(self, limit: int) -> list[DocumentSummary]:
        total = self.graph.stats().get("documents", 0)
        return list(reversed(self.graph.documents(limit=limit, offset=max(0, total - limit))))

    def document(self, doc_id: str) -> DocumentView:
        view = self.graph.document(doc_id)
        if view is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return view

    def contradictions(self, subject: str | None = None) -> list[Contradiction]:
        return self.graph.contradictions(subject or None)

    def neighbourhood(self, entity_id: str, depth: int) -> dict[str, list[dict[str, Any]]]:
        try:
            return self.graph.neighbourhood(entity_id, depth=depth)
        except LookupError:
            raise HTTPException(404, f"no entity {entity_id!r}") from None

    def warm_up(self) -> None:
        """Ask each kind of question once, so that a fresh server's first clients do not pay for
        compiling queries or building the name index. No answer is kept."""
        top = self.graph.top(None, 1, 0)
        self.home(), self.documents(1, 0), self.contradictions(), self.quotes(None, None, None, 1, 0)
        if top:
            first = top[0]
            self.entity(first.id), self.neighbourhood(first.id, 2), self.entities(first.name, None, 1, 0)
            self.quotes(first.name, first.id, first.name, 1, 0), self.facts(first.id, None, None, None, 1, 0)
            self.entities("\u2063unlikely name\u2063", None, 1, 0)  # the suggestion path
            documents = self.graph.documents(limit=1)
            if documents:
                self.document(str(documents[0].id))

    def home(self) -> dict[str, Any]:
        return {"documents": [d.to_dict() for d in self.recent_documents(10)],
                "entities": [e.to_dict() for e in self.graph.top(None, 20, 0)],
                "counts": self.graph.stats()}

