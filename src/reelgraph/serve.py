"""Serve stage: the HTTP API (JSON under /api) and the web explorer (`reelgraph.web`), one process.

Every route is a thin skin over one `reelgraph.graph.Graph` call. The `Api` class below holds
those calls; the JSON routes and the HTML pages (and their `.json` twins) share it, so the
web explorer and the API always return the same data.
"""
from __future__ import annotations

import base64
import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, Literal

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import desc, func, or_, select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from . import graph as graph_module
from .graph import Contradiction, DocumentSummary, DocumentView, EntityCard, EntitySummary, Graph, QuoteView
from .store import documents, entities, facts, mentions

MAX_LIMIT = 200
CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
EntityType = Literal["film", "series", "person", "character", "organization", "publication", "event", "award"]
Predicate = Literal["cast_member", "director", "screenwriter", "producer", "composer", "studio", "release_year",
                    "budget", "box_office", "based_on", "remake_of", "sequel_of", "influenced_by", "inspired_by",
                    "award", "festival"]
FactStatus = Literal["stated", "announced", "in_talks", "rumoured"]


# -- the shared read layer ------------------------------------------------------------
@dataclass
class Page:
    """One page of a list: `next` is the offset of the following page, or None on the last one."""

    items: list[Any]
    limit: int
    offset: int
    next: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": [i.to_dict() for i in self.items], "limit": self.limit, "offset": self.offset,
                "next": self.next}


def _page(found: list[Any], limit: int, offset: int) -> Page:
    """`found` was fetched with limit + 1 rows: the extra one tells whether a next page exists."""
    more = len(found) > limit
    return Page(found[:limit], limit, offset, offset + limit if more else None)


class Api:
    """The questions the server answers, each one Graph call; 404 as HTTPException."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def entities(self, q: str | None, type: str | None, limit: int, offset: int) -> Page:
        text = (q or "").strip()
        if text:
            found = self.graph.search(text, type=type, limit=limit + 1, offset=offset)
        else:
            found = top_entities(self.graph, type, limit + 1, offset)
        return _page(found, limit, offset)

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
        found: list[QuoteView] = self.graph.quotes(speaker=speaker or None, film=film or None,
                                                   outlet=outlet or None, limit=limit + 1, offset=offset)
        return _page(found, limit, offset)

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

    def home(self) -> dict[str, Any]:
        return {"documents": [d.to_dict() for d in self.recent_documents(10)],
                "entities": [e.to_dict() for e in top_entities(self.graph, None, 20, 0)],
                "counts": self.graph.stats()}


def top_entities(graph: Graph, type: str | None, limit: int, offset: int) -> list[EntitySummary]:
    """Entities with the most facts (the listing behind an empty search).
    Stopgap until Graph has such a call: it reads the store's tables directly."""
    n_facts = (select(func.count(facts.c.id))
               .where(or_(facts.c.s_id == entities.c.id, facts.c.o_id == entities.c.id)).scalar_subquery())
    n_docs = (select(func.count(func.distinct(mentions.c.document_id)))
              .where(mentions.c.entity_id == entities.c.id).scalar_subquery())
    stmt = (select(entities, n_facts.label("n_facts"), n_docs.label("n_docs"))
            .order_by(desc("n_facts"), desc("n_docs"), entities.c.name, entities.c.id).limit(limit).offset(offset))
    if type:
        stmt = stmt.where(entities.c.type == type)
    with graph.store.engine.connect() as conn:
        return [EntitySummary(r.id, r.type, r.name, r.year, r.catalog_key, r.n_facts, r.n_docs)
                for r in conn.execute(stmt)]


def store_stamp(graph: Graph) -> tuple:
    """Changes whenever a document is added, replaced or removed (ids only grow)."""
    with graph.store.engine.connect() as conn:
        return tuple(conn.execute(select(func.count(documents.c.id), func.max(documents.c.id))).one())


# -- errors -----------------------------------------------------------------------------
def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or request.query_params.get("format") == "json"


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    from .web import render_error  # the HTML skin; imported late because web imports this module

    return render_error(request, status, message)


def _validation_message(err: RequestValidationError) -> str:
    parts = []
    for item in err.errors():
        where = [str(x) for x in item.get("loc", ()) if x not in ("query", "path", "body")]
        parts.append(f"{'.'.join(where) or 'request'}: {item.get('msg', 'invalid value')}")
    return "invalid request: " + "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _validation_message(exc))

    @app.exception_handler(ValueError)
    async def _bad_value(request: Request, exc: ValueError) -> Response:
        return error_response(request, 400, str(exc) or "bad request")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": f"internal server error ({type(exc).__name__})"}, status_code=500)


# -- middleware (plain ASGI: cheaper than BaseHTTPMiddleware) ----------------------------
class SecurityHeaders:
    """Adds CSP, nosniff and friends to every response. /docs gets its own CSP (see `docs_page`)."""

    def __init__(self, app: Callable[..., Awaitable[None]]):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [h for h in SECURITY_HEADERS if h[0] not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class ResponseCache:
    """Caches successful GET responses. The store is read-only while served, but ingestion may run
    beside the server: the store's stamp is re-read at most every `recheck_s` seconds and a change
    empties the cache, so a page is never more than `recheck_s` seconds stale."""

    def __init__(self, app: Callable[..., Awaitable[None]], stamp: Callable[[], Any], max_bytes: int = 64 << 20,
                 recheck_s: float = 1.0):
        self.app, self.stamp, self.max_bytes, self.recheck_s = app, stamp, max_bytes, recheck_s
        self.entries: OrderedDict[str, tuple[dict, bytes]] = OrderedDict()
        self.size = 0  # bytes of cached bodies
        self.generation, self.seen, self.checked = 0, None, float("-inf")

    async def _revalidate(self) -> None:
        now = time.monotonic()
        if now - self.checked < self.recheck_s:
            return
        self.checked = now
        stamp = await run_in_threadpool(self.stamp)
        if stamp != self.seen:
            self.seen, self.generation = stamp, self.generation + 1
            self.entries.clear()
            self.size = 0

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        await self._revalidate()
        key = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            await send(hit[0])
            await send({"type": "http.response.body", "body": hit[1]})
            return
        generation, start, chunks = self.generation, None, []

        async def capture(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start and start["status"] == 200 and generation == self.generation:
                    self._keep(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key: str, start: dict, body: bytes) -> None:
        if len(body) > self.max_bytes // 16 or key in self.entries:
            return
        self.entries[key] = (start, body)
        self.size += len(body)
        while self.size > self.max_bytes:  # least recently used first
            self.size -= len(self.entries.popitem(last=False)[1][1])


# -- the app ------------------------------------------------------------------------------
def create_app(db: str, *, cache: bool = True, recheck_s: float = 1.0) -> FastAPI:
    """The FastAPI app serving the store at `db` (a SQLite path or SQLAlchemy URL). Responses are
    cached (`cache`) until the store changes; changes are looked for every `recheck_s` seconds."""
    text = str(db).strip()
    if text and "://" not in text and text != ":memory:" and not FilePath(text).expanduser().exists():
        raise FileNotFoundError(f"no database at {text} (run `reelgraph ingest PATH --db {text}` first)")
    graph = graph_module.open(text)
    api = Api(graph)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        graph.close()

    app = FastAPI(title="reelgraph", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="A film knowledge graph whose every fact and quote points at its evidence text.")
    app.state.api = api
    install_error_handlers(app)
    add_api_routes(app, api)
    add_docs_route(app)
    from .web import add_pages

    add_pages(app, api)
    if cache:
        app.add_middleware(ResponseCache, stamp=lambda: store_stamp(graph), recheck_s=recheck_s)
    app.add_middleware(SecurityHeaders)
    return app


def add_api_routes(app: FastAPI, api: Api) -> None:
    def limit_q(default: int = 20) -> Any:
        return Query(default, ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")

    offset_q = Query(0, ge=0, description="rows to skip")

    errors = {404: {"description": 'Not found: `{"error": "..."}`'},
              422: {"description": 'Invalid parameter: `{"error": "..."}`'}}

    @app.get("/api/entities", tags=["entities"], responses=errors, summary="Search entities by name (empty q: most facts first)")
    def search_entities(q: str | None = Query(None, max_length=200), type: EntityType | None = None,
                        limit: int = limit_q(), offset: int = offset_q) -> JSONResponse:
        return JSONResponse(api.entities(q, type, limit, offset).to_dict())

    @app.get("/api/entities/{entity_id:path}", responses=errors, tags=["entities"], summary="An entity card: facts, evidence, quotes")
    def get_entity(entity_id: str = Path(..., description="entity id, name or film label")) -> JSONResponse:
        return JSONResponse(api.entity(entity_id).to_dict())

    @app.get("/api/facts", responses=errors, tags=["facts"], summary="Facts by subject, predicate, object and status")
    def list_facts(s: str | None = Query(None, max_length=200), p: Predicate | None = None,
                   o: str | None = Query(None, max_length=200), status: FactStatus | None = None,
                   limit: int = limit_q(), offset: int = offset_q) -> JSONResponse:
        return JSONResponse(api.facts(s, p, o, status, limit, offset).to_dict())

    @app.get("/api/quotes", responses=errors, tags=["quotes"], summary="Quotes by speaker, about a film, or via an outlet")
    def list_quotes(speaker: str | None = Query(None, max_length=200), film: str | None = Query(None, max_length=200),
                    outlet: str | None = Query(None, max_length=200), limit: int = limit_q(),
                    offset: int = offset_q) -> JSONResponse:
        return JSONResponse(api.quotes(speaker, film, outlet, limit, offset).to_dict())

    @app.get("/api/documents", responses=errors, tags=["documents"], summary="Ingested documents")
    def list_documents(limit: int = limit_q(), offset: int = offset_q) -> JSONResponse:
        return JSONResponse(api.documents(limit, offset).to_dict())

    @app.get("/api/documents/{doc_id:path}", responses=errors, tags=["documents"], summary="A document with its extractions")
    def get_document(doc_id: str = Path(..., description="document id, doc_key or sha256")) -> JSONResponse:
        return JSONResponse(api.document(doc_id).to_dict())

    @app.get("/api/contradictions", responses=errors, tags=["facts"], summary="Single-valued facts stated with different values")
    def list_contradictions(subject: str | None = Query(None, max_length=200)) -> JSONResponse:
        return JSONResponse([c.to_dict() for c in api.contradictions(subject)])

    @app.get("/api/graph/{entity_id:path}", responses=errors, tags=["entities"], summary="An entity's neighbourhood: nodes and edges")
    def get_graph(entity_id: str, depth: int = Query(1, ge=1, le=3, description="hops, 1..3")) -> JSONResponse:
        return JSONResponse(api.neighbourhood(entity_id, depth))


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def add_docs_route(app: FastAPI) -> None:
    """Swagger UI at /docs. Its assets come from a CDN and it has one inline script, so this page
    alone gets a CSP naming that CDN and the inline script's hash (no 'unsafe-inline')."""
    page = get_swagger_ui_html(openapi_url="/openapi.json", title="reelgraph API")
    body = page.body.decode()
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                      for s in _INLINE_SCRIPT.findall(body))
    cdn = "https://cdn.jsdelivr.net"
    policy = (f"default-src 'self'; script-src 'self' {cdn} {hashes}; style-src 'self' {cdn}; "
              f"img-src 'self' data: https://fastapi.tiangolo.com; object-src 'none'; base-uri 'none'")

    @app.get("/docs", include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return HTMLResponse(body, headers={"content-security-policy": policy})
