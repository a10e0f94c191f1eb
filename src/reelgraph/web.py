"""The web explorer: HTML pages over the same `Api` calls as the JSON API.

Every page has a JSON twin (append `.json` to the path, or add `?format=json`) that returns the
API's data. The page-shaping code is pure functions over the graph's view dataclasses:
`highlight` (article text -> escaped-at-render pieces), `card_sections`, `circle_layout`.
Article-derived text is never marked safe: Jinja autoescape escapes every piece.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.exceptions import HTTPException

from .api import MAX_LIMIT, Api
from .graph import DocumentView, EntityCard, EvidenceView, FactView
from .vocab import ENTITY_TYPES

HERE = FilePath(__file__).resolve().parent
TYPES = ENTITY_TYPES


# -- URLs ---------------------------------------------------------------------------------
def entity_url(entity_id: str, suffix: str = "") -> str:
    return "/entity/" + quote(entity_id, safe=":/()',") + suffix


def graph_url(entity_id: str) -> str:
    return "/graph/" + quote(entity_id, safe=":/()',")


def document_url(doc_id: int | str, start: int | None = None, end: int | None = None) -> str:
    url = "/document/" + quote(str(doc_id), safe="")
    return f"{url}?hl={start}-{end}#ev" if start is not None and end is not None else url


def evidence_url(ev: EvidenceView) -> str:
    return document_url(ev.document.id, ev.start, ev.end)


def qs(**params: Any) -> str:
    """A query string without the empty parameters."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def counted(n: int, word: str, plural: str | None = None) -> str:
    """"1 fact", "2 facts"."""
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def json_script(data: Any, element_id: str) -> Markup:
    """Data for scripts: JSON with <, > and & escaped, so no text in it can close the element."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup('<script type="application/json" id="{}">{}</script>').format(element_id, Markup(text))


# -- article highlighting (pure) ------------------------------------------------------------
@dataclass(frozen=True)
class Mark:
    """One extraction's span in the text: kind is a CSS class ("m-film", "ev", "q")."""

    start: int
    end: int
    kind: str
    label: str
    entity_id: str | None = None


@dataclass
class Piece:
    text: str
    classes: str
    title: str
    entity_id: str | None


@dataclass
class Run:
    marked: bool  # inside the requested highlight (rendered in <mark id="ev">)
    pieces: list[Piece] = field(default_factory=list)


def highlight(text: str, marks: list[Mark], hl: tuple[int, int] | None = None) -> list[Run]:
    """Split `text` at every span boundary; each piece carries the classes of the spans covering it."""
    n = len(text)
    marks = sorted((m for m in marks if 0 <= m.start < m.end <= n), key=lambda m: (m.start, -m.end))
    if hl and not (0 <= hl[0] < hl[1] <= n):
        hl = None
    cuts = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks), *(hl or ())})
    runs: list[Run] = []
    active: list[Mark] = []
    i = 0
    for a, b in zip(cuts, cuts[1:]):
        while i < len(marks) and marks[i].start <= a:
            active.append(marks[i])
            i += 1
        active = [m for m in active if m.end > a]
        mentions = sorted((m for m in active if m.entity_id), key=lambda m: m.end - m.start)
        kinds = sorted({m.kind for m in active})
        labels = list(dict.fromkeys(m.label for m in active))
        piece = Piece(text[a:b], " ".join(kinds), "\n".join(labels), mentions[0].entity_id if mentions else None)
        marked = bool(hl) and hl[0] <= a and b <= hl[1]
        if not runs or runs[-1].marked != marked:
            runs.append(Run(marked))
        runs[-1].pieces.append(piece)
    return runs


def document_marks(view: DocumentView) -> list[Mark]:
    """Mentions by entity type, fact evidence and quotes of one document."""
    marks = [Mark(m["start"], m["end"], "m-" + (m["type"] if m["type"] in TYPES else "other"),
                  f"{m['type']}: {m['name']}", m["entity_id"]) for m in view.mentions]
    for fact in view.facts:
        for ev in fact.evidence:
            if ev.document.id == view.id:
                marks.append(Mark(ev.start, ev.end, "ev", f"fact: {fact.s} {fact.p} {fact.o}"))
    for q in view.quotes:
        marks.append(Mark(q.start, q.end, "q", f"quote: {q.speaker or 'unknown speaker'}"
                                               + (f" (via {q.outlet})" if q.outlet else "")))
    return marks


# -- entity cards (pure) -------------------------------------------------------------------
INFOBOX = ("release_year", "director", "screenwriter", "producer", "composer", "studio", "budget", "box_office")
SECTION_ORDER = ("Cast", "Roles", "Crew credits", "Relations", "Awards", "Festivals", "Other facts")
AS_SUBJECT = {  # predicate -> (section, label) when the card's entity is the subject
    "release_year": ("Infobox", "Released"), "director": ("Infobox", "Directed by"),
    "screenwriter": ("Infobox", "Written by"), "producer": ("Infobox", "Produced by"),
    "composer": ("Infobox", "Music by"), "studio": ("Infobox", "Studio"), "budget": ("Infobox", "Budget"),
    "box_office": ("Infobox", "Box office"), "cast_member": ("Cast", ""),
    "based_on": ("Relations", "Based on"), "remake_of": ("Relations", "Remake of"),
    "sequel_of": ("Relations", "Sequel of"), "influenced_by": ("Relations", "Influenced by"),
    "inspired_by": ("Relations", "Inspired by"), "award": ("Awards", ""), "festival": ("Festivals", ""),
}
AS_OBJECT = {  # predicate -> (section, label) when the card's entity is the object
    "cast_member": ("Roles", ""), "director": ("Crew credits", "Director"),
    "screenwriter": ("Crew credits", "Writer"), "producer": ("Crew credits", "Producer"),
    "composer": ("Crew credits", "Composer"), "studio": ("Crew credits", "Studio"),
    "based_on": ("Relations", "Adapted as"), "remake_of": ("Relations", "Remade as"),
    "sequel_of": ("Relations", "Followed by"), "influenced_by": ("Relations", "Influenced"),
    "inspired_by": ("Relations", "Inspired"),
}


@dataclass
class Row:
    label: str
    value: str
    value_id: str | None
    note: str
    fact: FactView
    disputed: bool


@dataclass
class CardView:
    card: EntityCard
    infobox: list[tuple[str, list[Row]]]  # by label, in INFOBOX order
    sections: list[tuple[str, list[Row]]]
    disputed: set[int]


def money(amount: float | None, currency: str | None) -> str:
    if amount is None:
        return ""
    text = f"{amount / 1e9:g} billion" if amount >= 1e9 else f"{amount / 1e6:g} million" if amount >= 1e6 \
        else f"{amount:,.0f}"
    return f"${text}" if currency in (None, "USD") else f"{text} {currency}"


def fact_note(fact: FactView) -> str:
    q = fact.qualifiers or {}
    parts = [f"as {q['character']}" if q.get("character") else "", str(q.get("scope") or ""),
             str(q.get("outcome") or ""), str(q["year"]) if q.get("year") else "", str(q.get("status") or ""),
             str(q.get("hedge") or ""), "optional" if q.get("optional") else ""]
    return ", ".join(p for p in parts if p)


def card_sections(card: EntityCard) -> CardView:
    disputed = {v.fact_id for c in card.contradictions for v in c.values}
    infobox: list[Row] = []
    grouped: dict[str, list[Row]] = {}
    for fact in card.facts:
        if fact.s_id == card.id:
            section, label = AS_SUBJECT.get(fact.p, ("Other facts", fact.p.replace("_", " ")))
            value, value_id = fact.o, fact.o_id
            if fact.p in ("budget", "box_office") and fact.o_num is not None:
                value = money(fact.o_num, (fact.qualifiers or {}).get("currency"))
        else:
            section, label = AS_OBJECT.get(fact.p, ("Other facts", fact.p.replace("_", " ") + " of"))
            value, value_id = fact.s, fact.s_id
        row = Row(label, str(value), value_id, fact_note(fact), fact, fact.id in disputed)
        (infobox if section == "Infobox" else grouped.setdefault(section, [])).append(row)
    by_label: dict[str, list[Row]] = {}
    for row in sorted(infobox, key=lambda r: INFOBOX.index(r.fact.p)):
        by_label.setdefault(row.label, []).append(row)
    return CardView(card, list(by_label.items()), [(s, grouped[s]) for s in SECTION_ORDER if s in grouped], disputed)


# -- neighbourhood picture (pure) ----------------------------------------------------------
@dataclass
class NodePos:
    id: str
    name: str
    type: str
    x: float
    y: float
    depth: int
    anchor: str
    lx: float
    ly: float


@dataclass
class EdgePos:
    source: str
    target: str
    p: str
    x1: float
    y1: float
    x2: float
    y2: float


def circle_layout(data: dict[str, list[dict[str, Any]]], width: int = 960, height: int = 640,
                  max_nodes: int = 60) -> tuple[list[NodePos], list[EdgePos]]:
    """The root in the middle, each further hop on a wider ring, nodes evenly spread by name."""
    nodes = sorted(data["nodes"], key=lambda n: (n["depth"], str(n["name"]).lower()))[:max_nodes]
    cx, cy = width / 2, height / 2
    deepest = max((n["depth"] for n in nodes), default=0) or 1
    radius = min(cx, cy) - 70
    placed: dict[str, NodePos] = {}
    for depth in sorted({n["depth"] for n in nodes}):
        ring = [n for n in nodes if n["depth"] == depth]
        r = radius * depth / deepest
        for k, n in enumerate(ring):
            angle = 2 * math.pi * k / len(ring) - math.pi / 2 + (depth * 0.35)
            x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
            right = x >= cx - 1
            placed[n["id"]] = NodePos(n["id"], str(n["name"]), n["type"] or "other", round(x, 1), round(y, 1),
                                      depth, "start" if right else "end", round(x + (12 if right else -12), 1),
                                      round(y + 4, 1))
    edges = [EdgePos(e["source"], e["target"], e["p"], placed[e["source"]].x, placed[e["source"]].y,
                     placed[e["target"]].x, placed[e["target"]].y)
             for e in data["edges"] if e["source"] in placed and e["target"] in placed]
    return list(placed.values()), edges


# -- rendering -----------------------------------------------------------------------------
templates = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                               trim_blocks=True, lstrip_blocks=True)
templates.globals.update(entity_url=entity_url, document_url=document_url, evidence_url=evidence_url,
                         graph_url=graph_url, json_script=json_script, qs=qs, money=money, counted=counted,
                         types=TYPES)


def render(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates.get_template(template).render(**context), status_code=status_code)


def render_error(request: Request, status: int, message: str) -> Response:
    return render("error.html", status, status=status, message=message, path=request.url.path)


def _twin(path: str, request: Request) -> tuple[str, bool]:
    """(path without a `.json` suffix, whether JSON was asked for)."""
    if path.endswith(".json"):
        return path[:-5], True
    return path, request.query_params.get("format") == "json"


def _parse_hl(hl: str | None, text: str) -> tuple[int, int] | None:
    """START-END from the query, shrunk to leave out the whitespace at its ends."""
    if not hl:
        return None
    first, _, last = hl.partition("-")
    start, end = int(first), int(last)
    while start < end <= len(text) and text[start].isspace():
        start += 1
    while start < end <= len(text) and text[end - 1].isspace():
        end -= 1
    return start, end


def add_pages(app: FastAPI, api: Api) -> None:
    for name in templates.list_templates():  # compiled now, not by the first visitors
        templates.get_template(name)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    limit_q = Query(20, ge=1, le=MAX_LIMIT)
    offset_q = Query(0, ge=0)

    @app.get("/", include_in_schema=False)
    @app.get("/index.json", include_in_schema=False)
    @api.endpoint
    def home(request: Request) -> Response:
        data = api.home()
        if _twin(request.url.path, request)[1]:
            return JSONResponse(data)
        return render("index.html", **data)

    @app.get("/search", include_in_schema=False)
    @app.get("/search.json", include_in_schema=False)
    @api.endpoint
    def search(request: Request, q: str | None = Query(None, max_length=200),
               type: str | None = Query(None, max_length=32, description="an entity type, or empty for any"),
               limit: int = limit_q, offset: int = offset_q) -> Response:
        if type and type not in TYPES:  # the HTML form sends type= for "any", so "" is allowed here
            raise HTTPException(422, f"invalid request: type: must be one of {', '.join(TYPES)}")
        page = api.entities(q, type or None, limit, offset)
        if _twin(request.url.path, request)[1]:
            return JSONResponse(page.to_dict())
        return render("search.html", page=page, q=q or "", type=type or "")

    @app.get("/entity/{entity_id:path}", include_in_schema=False)
    @api.endpoint
    def entity(request: Request, entity_id: str) -> Response:
        key, as_json = _twin(entity_id, request)
        try:
            card = api.entity(key)
        except HTTPException:
            if key == entity_id:
                raise
            key, as_json, card = entity_id, False, api.entity(entity_id)  # an id that ends in ".json"
        if as_json:
            return JSONResponse(card.to_dict())
        return render("entity.html", view=card_sections(card))

    @app.get("/document/{doc_id:path}", include_in_schema=False)
    @api.endpoint
    def document(request: Request, doc_id: str, hl: str | None = Query(None, pattern=r"^\d{1,9}-\d{1,9}$")) -> Response:
        key, as_json = _twin(doc_id, request)
        view = api.document(key)
        if as_json:
            return JSONResponse(view.to_dict())
        runs = highlight(view.text, document_marks(view), _parse_hl(hl, view.text))
        present = sorted({m["type"] for m in view.mentions})
        return render("document.html", doc=view, runs=runs, present=present, hl=hl)

    @app.get("/graph/{entity_id:path}", include_in_schema=False)
    @api.endpoint
    def graph(request: Request, entity_id: str, depth: int = Query(1, ge=1, le=3)) -> Response:
        key, as_json = _twin(entity_id, request)
        data = api.neighbourhood(key, depth)
        if as_json:
            return JSONResponse(data)
        nodes, edges = circle_layout(data)
        root = data["nodes"][0] if data["nodes"] else {"id": key, "name": key, "type": None}
        names = {n["id"]: n["name"] for n in data["nodes"]}
        return render("graph.html", data=data, nodes=nodes, edges=edges, root=root, depth=depth, names=names)

    @app.get("/contradictions", include_in_schema=False)
    @app.get("/contradictions.json", include_in_schema=False)
    @api.endpoint
    def contradictions(request: Request) -> Response:
        found = api.contradictions()
        if _twin(request.url.path, request)[1]:
            return JSONResponse([c.to_dict() for c in found])
        return render("contradictions.html", contradictions=found)
