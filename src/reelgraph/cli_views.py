"""Bodies of the read-side commands (`show`, `facts`, `serve`, `export`); `cli.py` holds their options.

Article text reaches the terminal only as `rich.text.Text`, never as markup, so "[bold]" in an
article prints as it is. Problems a user can fix raise ValueError or OSError with one line.
"""
from __future__ import annotations

import socket
from pathlib import Path

from rich.console import Console
from rich.text import Text

from .graph import EntitySummary, Graph
from .vocab import ENTITY_TYPES, PREDICATES, STATUS_FILTERS, check_choice


def clip(text: str, width: int) -> str:
    """`text` on one line, cut with "…" to at most `width` characters (never under 10)."""
    flat = " ".join(text.split())
    width = max(10, width)
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def counted(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def label(e: EntitySummary) -> str:
    return f"{e.name} ({e.year})" if e.year else e.name


# -- show -------------------------------------------------------------------------------
def show_entity(graph: Graph, name: str, year: int | None, type: str | None, as_json: bool,
                out: Console, err: Console, db: str) -> None:
    """An entity's card; a name that matches nothing exactly shows the closest match (said on stderr)."""
    from .cards import render_card

    check_choice("type", type, ENTITY_TYPES)
    card = graph.entity(name, year=year, type=type)
    if card is None:
        asked = f"{name} ({year})" if year else name
        hits = graph.search(asked, type=type, limit=1)
        if not hits:
            near = graph.suggest(name, type=type)
            hint = f"; did you mean {', '.join(label(e) for e in near)}?" if near else ""
            raise ValueError(f"no entity named {asked!r}{f' of type {type}' if type else ''} in {db}{hint}")
        card = graph.entity(hits[0].id)
        err.print(Text(f"closest match for {asked!r}: {label(hits[0])}", style="dim"))
    if as_json:
        out.print_json(data=card.to_dict())
    else:
        render_card(card, out)


# -- facts ------------------------------------------------------------------------------
def list_facts(graph: Graph, subject: str | None, predicate: str | None, obj: str | None, status: str | None,
               limit: int, out: Console) -> None:
    """One line per fact, then its first evidence cut to the terminal's width."""
    from .cards import describe_value

    check_choice("predicate", predicate, PREDICATES)
    check_choice("status", status, STATUS_FILTERS)
    if limit < 1:
        raise ValueError("--limit must be at least 1")
    for fact in graph.facts(s=subject, p=predicate, o=obj, status=status, limit=limit):
        head = f"{fact.s} · {fact.p} · {describe_value(fact)} ({counted(fact.corroboration, 'doc')})"
        out.print(Text(head), soft_wrap=True)
        if fact.evidence:
            first = fact.evidence[0]
            where = f"    [{first.document.doc_key}] "
            out.print(Text(where + clip(first.text, out.width - len(where)), style="dim"), soft_wrap=True)


# -- serve ------------------------------------------------------------------------------
def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or one line saying why not (bad port, in use, unknown host)."""
    if not 1 <= port <= 65535:
        raise ValueError(f"--port must be between 1 and 65535, not {port}")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {(exc.strerror or str(exc)).lower()}") from None
    return sock


def serve_store(db: str, host: str, port: int, cache: bool, err: Console) -> None:
    """Open the store and the port first; print the banner only once both worked."""
    import uvicorn

    from .serve import create_app

    app = create_app(db, cache=cache)
    sock = listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    err.print(Text(f"reelgraph explorer on http://{shown}:{port}/  (API docs: /docs"
                   f"{'; response cache off' if not cache else ''})"))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


# -- export -----------------------------------------------------------------------------
def export_store(graph: Graph, fmt: str, qids_file: Path | None, report_file: Path | None,
                 err: Console) -> str:
    """The export's text; for QuickStatements the report of what waits for QIDs goes to stderr
    (or `report_file`)."""
    from .export import build_quickstatements, export_graph, format_name, load_qids

    name = format_name(fmt)
    qids = load_qids(qids_file) if qids_file else None
    if name != "quickstatements":
        if qids_file or report_file:
            raise ValueError("--qids and --report belong to the quickstatements export")
        return export_graph(graph, name)
    found = build_quickstatements(graph, qids)
    report = found.report()
    if report_file:
        report_file.write_text(report, encoding="utf-8")
        err.print(Text(report.splitlines()[0] + f" (report: {report_file})"))
    else:
        err.print(Text(report.rstrip("\n")))
    return found.text()
