"""Wikidata QuickStatements V1 export (see `to_quickstatements`)."""
from __future__ import annotations

import re
from collections import defaultdict

from ..graph import EvidenceView, FactView, Graph
from ..names import fold
from .snapshot import (CHARACTER_NAME, CHARACTER_ROLE, CLASS_QIDS, CURRENCY_QIDS, MONEY, POINT_IN_TIME, Node,
                       Snapshot, load_snapshot, number_of, web_iri, wikidata_property)

WORLDWIDE_SCOPES = {"", "worldwide", "global", "total", "worldwide total", "total worldwide", "global total"}
QS_MAX_STRING = 1500  # Wikidata's limit for string and monolingual text values


def to_quickstatements(graph: Graph, qids: dict[str, str] | None = None, create: bool = True) -> str:
    """Wikidata QuickStatements V1 (tab-separated), one line per fact and evidence document.

    `qids` maps reelgraph entity ids or catalog keys (enwiki titles such as "Heat_(1995_film)")
    to Wikidata items. With `create`, a film entity without a QID and without a catalog key is
    created (CREATE, label, description, P31 film, then its statements on LAST), but only when at
    least one of its statements can be written; a catalog key means an English Wikipedia article,
    hence an item to map rather than duplicate. Statements that need a missing QID are `#` comment
    lines with `{entity id}` placeholders, for a user to map and uncomment; so are contested,
    optional or hedged facts, festivals (no Wikidata property), box office with a scope other than
    worldwide, and money in a currency without a known QID. References on every statement: S854
    article URL, S1476 title, S1683 the supporting sentence, S813 date retrieved (ingested).
    V1 has no escape syntax: a value is everything between its column's first and last double
    quote, so inner quotes stay as they are; tabs and newlines become spaces.
    """
    snap = load_snapshot(graph)
    known = _check_qids(qids or {})
    lines = ["# reelgraph export, QuickStatements V1. Lines starting with # are not commands: replace",
             "# the {entity id} placeholders with QIDs (or pass a qids mapping) and remove the #."]
    groups: dict[str, list[FactView]] = defaultdict(list)
    for fact in snap.facts:
        groups[fact.s_id or "~" + fold(fact.s)].append(fact)
    for key in sorted(groups, key=lambda k: (fold(groups[k][0].s), k)):
        facts = sorted(groups[key], key=lambda f: (f.p, f.id))
        node = snap.subject(facts[0])
        subject = _qid(known, node)
        if subject is None and create and node.entity and node.kind == "film" and not node.entity.catalog_key:
            block = [line for fact in facts for line in _qs_fact(snap, known, fact, "LAST", node)]
            if any(not line.startswith("#") for line in block):
                lines += ["CREATE", f"LAST\tLen\t{_qs_string(node.name)}",
                          f"LAST\tDen\t{_qs_string(f'{node.year} film' if node.year else 'film')}",
                          f"LAST\tP31\t{CLASS_QIDS['film']}", *block]
                continue
        lines += [line for fact in facts for line in _qs_fact(snap, known, fact, subject, node)]
    return "\n".join(lines) + "\n"


def _check_qids(qids: dict[str, str]) -> dict[str, str]:
    for key, qid in qids.items():
        if not re.fullmatch(r"Q[1-9]\d*", str(qid).strip()):
            raise ValueError(f"qids: {qid!r} for {key!r} is not a Wikidata item id like Q42")
    return {k: str(v).strip() for k, v in qids.items()}


def _qid(known: dict[str, str], node: Node | None) -> str | None:
    if node is None or node.entity is None:
        return None
    return known.get(node.entity.id) or known.get(node.entity.catalog_key or "")


def _placeholder(node: Node, label: str) -> str:
    return "{" + (node.entity.id if node.entity else "~" + label) + "}"


def _qs_time(year: int) -> str:
    return f"+{year:04d}-00-00T00:00:00Z/9"


def _qs_fact(snap: Snapshot, known: dict[str, str], fact: FactView, subject: str | None, node: Node) -> list[str]:
    q, pid, number = fact.qualifiers, wikidata_property(fact) or "P?", number_of(fact)
    problems = [] if subject else ["subject needs a QID"]
    qualifiers: list[str] = []
    if fact.p == "release_year":
        value = _qs_time(number) if isinstance(number, int) and 0 < number < 10_000 else None
        problems += [] if value else ["year is not a number"]
    elif fact.p in MONEY:
        currency = CURRENCY_QIDS.get(str(q.get("currency") or "").upper())
        value = f"{number}U{currency[1:]}" if currency and number is not None else None
        problems += [] if value else [f"no QID for currency {q.get('currency')!r}"]
        if fact.p == "box_office" and fold(str(q.get("scope") or "")) not in WORLDWIDE_SCOPES:
            problems.append(f"box office scope {q.get('scope')!r} has no qualifier here")
    else:
        target = snap.object(fact)
        value = _qid(known, target)
        problems += [] if value else ["object needs a QID"]
        value = value or _placeholder(target, fact.o)
        if q.get("character"):
            role = _qid(known, snap.named(str(q["character"]), "character", ("character",)))
            qualifiers += [CHARACTER_ROLE, role] if role else [CHARACTER_NAME, _qs_string(str(q["character"]))]
        if str(q.get("year") or "").isdigit():
            qualifiers += [POINT_IN_TIME, _qs_time(int(q["year"]))]
    problems += [] if pid != "P?" else ["no Wikidata property for " + fact.p]
    problems += ["contested by another document"] if fact.id in snap.contested else []
    problems += ["hedged or optional in the text"] if q.get("optional") or q.get("hedge") else []
    out = []
    for ev in fact.evidence:
        line = "\t".join([subject or _placeholder(node, fact.s), pid, value or _qs_string(str(fact.o)), *qualifiers,
                          *_qs_references(snap, ev)])
        out.append(f"# [{'; '.join(problems)}] {line}" if problems else line)
    return out


def _qs_references(snap: Snapshot, ev: EvidenceView) -> list[str]:
    url, refs = web_iri(ev.document.url), []
    if url:
        refs += ["S854", _qs_string(url)]
    if ev.document.title:
        refs += ["S1476", "en:" + _qs_string(ev.document.title)]
    refs += ["S1683", "en:" + _qs_string(ev.text)]
    summary = snap.documents.get(ev.document.id)
    if summary is not None and re.match(r"\d{4}-\d\d-\d\d", summary.ingested_at or ""):
        refs += ["S813", f"+{summary.ingested_at[:10]}T00:00:00Z/11"]
    return refs


def _qs_string(text: str) -> str:
    """A QuickStatements string: one line, no tabs, no '/*' (a trailing /* */ is read as an edit summary)."""
    flat = " ".join(text.split()).replace("/*", "/ *")
    if len(flat) > QS_MAX_STRING:
        flat = flat[:QS_MAX_STRING - 1].rsplit(" ", 1)[0] + "\u2026"
    return f'"{flat}"'
