"""Serve stage: the HTTP API (JSON under /api) and the web explorer (`reelgraph.web`), one process.

Every route is a thin skin over one `reelgraph.graph.Graph` call. The `Api` class (`api.py`) holds
those calls; the JSON routes and the HTML pages (and their `.json` twins) share it, so the
web explorer and the API always return the same data.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path as FilePath
from typing import Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from . import graph as graph_module
from .api import MAX_LIMIT, Api, Page  # noqa: F401 - Page re-exported for callers of serve
from .graph import Graph
from .vocab import EntityType, FactStatus, Predicate
from .web import add_pages, render_error

MAX_OFFSET = 1_000_000_000  # far past any store; keeps offsets inside the database's integer range
MAX_ID = 500  # characters of an entity or document id in a path

STATIC = FilePath(__file__).resolve().parent / "static"
CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def store_stamp(graph: Graph) -> tuple:
    """Changes whenever a document is added, replaced or removed (ids only grow)."""
    return graph.stamp()


# -- errors -----------------------------------------------------------------------------
def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or request.query_params.get("format") == "json"


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
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

    @app.exception_handler(OverflowError)
    async def _too_big(request: Request, exc: OverflowError) -> Response:  # a number past the database's range
        return error_response(request, 422, "invalid request: a number in the request is out of range")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": f"internal server error ({type(exc).__name__})"}, status_code=500)


# -- middleware (plain ASGI: cheaper than BaseHTTPMiddleware) ----------------------------
MAX_TARGET = 4096  # characters of path + query; no id or query the store can answer is longer


class HeadAndBounds:
    """HEAD is answered as GET without the body, on every route; a request target longer than
    MAX_TARGET gets a 414 JSON error before any route or query sees it."""

    def __init__(self, app: Callable[..., Awaitable[None]]):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("raw_path") or scope["path"]) + len(scope.get("query_string", b"")) > MAX_TARGET:
            response = JSONResponse({"error": f"request target longer than {MAX_TARGET} characters"}, status_code=414)
            return await response(scope, receive, send)
        if scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def without_body(message: dict) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


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
        await run_in_threadpool(api.warm_up)  # before the first request: compiled queries, name index
        yield
        graph.close()

    app = FastAPI(title="reelgraph", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="A film knowledge graph whose every fact and quote points at its evidence text.")
    app.state.api = api
    install_error_handlers(app)
    add_api_routes(app, api)
    add_docs_route(app)
    add_pages(app, api)
    if cache:
        app.add_middleware(ResponseCache, stamp=lambda: store_stamp(graph), recheck_s=recheck_s)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAndBounds)
    return app


def add_api_routes(app: FastAPI, api: Api) -> None:
    def limit_q(default: int = 20) -> Any:
        return Query(default, ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")

    offset_q = Query(0, ge=0, le=MAX_OFFSET, description=f"rows to skip, 0..{MAX_OFFSET}")

    errors = {404: {"description": 'Not found: `{"error": "..."}`'},
              422: {"description": 'Invalid parameter: `{"error": "..."}`'}}

    @app.get("/api/entities", tags=["entities"], responses=errors, summary="Search entities by name (empty q: most facts first)")
    @api.endpoint
    def search_entities(q: str | None = Query(None, max_length=200), type: EntityType | None = None,
                        limit: int = limit_q(), offset: int = offset_q) -> JSONResponse:
        return JSONResponse(api.entities(q, type, limit, offset).to_dict())

    @app.get("/api/entities/{entity_id:path}", responses=errors, tags=["entities"], summary="An entity card: facts, evidence, quotes")
    @api.endpoint
    def get_entity(entity_id: str = Path(..., max_length=MAX_ID, description="entity id, name or film label")) -> JSONResponse:
        return JSONResponse(api.entity(entity_id).to_dict())

    @app.get("/api/facts", responses=errors, tags=["facts"], summary="Facts by subject, predicate, object and status")
    @api.endpoint
    def list_facts(s: str | None = Query(None, max_length=200), p: Predicate | None = None,
                   o: str | None = Query(None, max_length=200), status: FactStatus | None = None,
                   limit: int = limit_q(), offset: int = offset_q) -> JSONResponse:
        return JSONResponse(api.facts(s, p, o, status, limit, offset).to_dict())

    @app.get("/api/quotes", responses=errors, tags=["quotes"], summary="Quotes by speaker, about a film, or via an outlet")
    @api.endpoint
    def list_quotes(speaker: str | None = Query(None, max_length=200), film: str | None = Query(None, max_length=200),
                    outlet: str | None = Query(None, max_length=200), limit: int = limit_q(),
                    offset: int = offset_q) -> JSONResponse:
        return JSONResponse(api.quotes(speaker, film, outlet, limit, offset).to_dict())

    @app.get("/api/documents", responses=errors, tags=["documents"], summary="Ingested documents")
    @api.endpoint
    def list_documents(limit: int = limit_q(), offset: int = offset_q) -> JSONResponse:
        return JSONResponse(api.documents(limit, offset).to_dict())

    @app.get("/api/documents/{doc_id:path}", responses=errors, tags=["documents"], summary="A document with its extractions")
    @api.endpoint
    def get_document(doc_id: str = Path(..., max_length=MAX_ID, description="document id, doc_key or sha256")) -> JSONResponse:
        return JSONResponse(api.document(doc_id).to_dict())

    @app.get("/api/contradictions", responses=errors, tags=["facts"], summary="Single-valued facts stated with different values")
    @api.endpoint
    def list_contradictions(subject: str | None = Query(None, max_length=200)) -> JSONResponse:
        return JSONResponse([c.to_dict() for c in api.contradictions(subject)])

    @app.get("/api/graph/{entity_id:path}", responses=errors, tags=["entities"], summary="An entity's neighbourhood: nodes and edges")
    @api.endpoint
    def get_graph(entity_id: str = Path(..., max_length=MAX_ID), depth: int = Query(1, ge=1, le=3, description="hops, 1..3")) -> JSONResponse:
        return JSONResponse(api.neighbourhood(entity_id, depth))


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>reelgraph API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script></body></html>
"""
# Swagger UI sets style attributes and draws icons from data: URIs; scripts stay 'self' only.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def add_docs_route(app: FastAPI) -> None:
    """Swagger UI at /docs from the files of the swagger-ui-bundle-v2 package, under /docs/assets:
    nothing comes from another host, and the page has no inline script."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs_page() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE, headers={"content-security-policy": DOCS_CSP})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:  # browsers ask for it on JSON twins, which link no icon
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")
