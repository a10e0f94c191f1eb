"""Wikidata QuickStatements V1 export (see `to_quickstatements`)."""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..graph import EvidenceView, FactView, Graph
from ..names import fold
from .snapshot import (CHARACTER_NAME, CHARACTER_ROLE, CLASS_QIDS, CURRENCY_QIDS, MONEY, POINT_IN_TIME, Node,
                       Snapshot, load_snapshot, number_of, web_iri, wikidata_property)

WORLDWIDE_SCOPES = {"", "worldwide", "global", "total", "worldwide total", "total worldwide", "global total"}
QS_MAX_STRING = 1500  # Wikidata's limit for string and monolingual text values


@dataclass
class Waiting:
    """An item that needs a Wikidata QID before its statements can be written."""

    key: str  # the entity id, or "~name" for a name the extractor did not link
    name: str
    type: str | None
    catalog_key: str | None
    statements: int = 0


@dataclass
class QuickStatements:
    """Commands ready to run, and a report of what was held back and why."""

    commands: list[str] = field(default_factory=list)
    statements: int = 0  # statement commands among `commands`
    created: int = 0  # CREATE blocks
    waiting: dict[str, Waiting] = field(default_factory=dict)
    held: Counter = field(default_factory=Counter)  # statements held back for reasons a QID cannot fix

    def text(self) -> str:
        head = [f"# reelgraph export, QuickStatements V1: {self.statements} statements, {self.created} new items."]
        if self.waiting:
            head.append(f"# {sum(w.statements for w in self.waiting.values())} more statements wait for QIDs of "
                        f"{len(self.waiting)} items: run `reelgraph export quickstatements --qids FILE`.")
        return "\n".join(head + self.commands) + "\n"

    def report(self) -> str:
        """One line per item that needs a QID (most statements first), then the other reasons."""
        lines = [f"{self.statements} statements written, {self.created} new items created"]
        items = sorted(self.waiting.values(), key=lambda w: (-w.statements, w.name.lower(), w.key))
        if items:
            lines.append(f"{len(items)} items need a QID (map an entity id or catalog key to a QID in --qids):")
        for w in items:
            where = f"catalog key {w.catalog_key}" if w.catalog_key else (
                "not linked to an entity: cannot be mapped" if w.key.startswith("~") else "entity id")
            lines.append(f"  {w.key}\t{w.name}\t{w.type or '-'}\t{w.statements} statements\t{where}")
        for reason, n in sorted(self.held.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"held back, {reason}: {n} statements")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        return {"statements": self.statements, "created": self.created,
                "needs_qid": [asdict(w) for w in self.waiting.values()], "held_back": dict(self.held)}


def to_quickstatements(graph: Graph, qids: dict[str, str] | None = None, create: bool = True) -> str:
    """Wikidata QuickStatements V1 (tab-separated), one line per writable fact and evidence document;
    see `build_quickstatements`. Only runnable commands, after a two-line `#` summary."""
    return build_quickstatements(graph, qids, create).text()


def build_quickstatements(graph: Graph, qids: dict[str, str] | None = None, create: bool = True) -> QuickStatements:
    """The statements that can be written now, and a report of the rest.

    `qids` maps reelgraph entity ids or catalog keys (enwiki titles such as "Heat_(1995_film)")
    to Wikidata items; a statement is written when its subject and object items are known. With
    `create`, a film entity without a QID and without a catalog key is created (CREATE, label,
    description, P31 film, then its statements on LAST), but only when at least one of its
    statements can be written; a catalog key means an English Wikipedia article, hence an item that
    exists already and must be mapped, never created again. Statements that wait for a QID are
    counted per item in `waiting`; contested, optional or hedged facts, festivals (no Wikidata
    property), box office with a scope other than worldwide, and money in a currency without a known
    QID are counted in `held`. References on every statement: S854 article URL, S1476 title, S1683
    the supporting sentence, S813 date retrieved (ingested). V1 has no escape syntax: a value is
    everything between its column's first and last double quote, so inner quotes stay as they are;
    tabs and newlines become spaces.
    """
    snap = load_snapshot(graph)
    known = _check_qids(qids or {})
    out = QuickStatements()
    groups: dict[str, list[FactView]] = defaultdict(list)
    for fact in snap.facts:
        groups[fact.s_id or "~" + fold(fact.s)].append(fact)
    for key in sorted(groups, key=lambda k: (fold(groups[k][0].s), k)):
        facts = sorted(groups[key], key=lambda f: (f.p, f.id))
        node = snap.subject(facts[0])
        subject = _qid(known, node)
        if subject is None and create and node.entity and node.kind == "film" and not node.entity.catalog_key:
            trial = QuickStatements()
            for fact in facts:
                _qs_fact(snap, known, fact, "LAST", node, trial)
            if trial.statements:
                out.commands += ["CREATE", f"LAST\tLen\t{_qs_string(node.name)}",
                                 f"LAST\tDen\t{_qs_string(f'{node.year} film' if node.year else 'film')}",
                                 f"LAST\tP31\t{CLASS_QIDS['film']}", *trial.commands]
                out.created += 1
                out.statements += trial.statements + 1
                _merge(out, trial)
                continue
        for fact in facts:
            _qs_fact(snap, known, fact, subject, node, out)
    return out


def _merge(out: QuickStatements, part: QuickStatements) -> None:
    for key, w in part.waiting.items():
        out.waiting.setdefault(key, Waiting(w.key, w.name, w.type, w.catalog_key)).statements += w.statements
    out.held.update(part.held)


def _wait_for(out: QuickStatements, node: Node, label: str, n: int) -> None:
    e = node.entity
    key = e.id if e else "~" + label
    waiting = out.waiting.setdefault(key, Waiting(key, node.name, node.kind, e.catalog_key if e else None))
    waiting.statements += n


def _check_qids(qids: dict[str, str]) -> dict[str, str]:
    for key, qid in qids.items():
        if not re.fullmatch(r"Q[1-9]\d*", str(qid).strip()):
            raise ValueError(f"qids: {qid!r} for {key!r} is not a Wikidata item id like Q42")
    return {k: str(v).strip() for k, v in qids.items()}


def _qid(known: dict[str, str], node: Node | None) -> str | None:
    if node is None or node.entity is None:
        return None
    return known.get(node.entity.id) or known.get(node.entity.catalog_key or "")


def _qs_time(year: int) -> str:
    return f"+{year:04d}-00-00T00:00:00Z/9"


def _qs_fact(snap: Snapshot, known: dict[str, str], fact: FactView, subject: str | None, node: Node,
             out: QuickStatements) -> None:
    """Write the fact's statements (one per evidence document) into `out`, or count why not."""
    q, pid, number = fact.qualifiers, wikidata_property(fact) or "P?", number_of(fact)
    held: list[str] = []
    missing: list[tuple[Node, str]] = [] if subject else [(node, fact.s)]
    qualifiers: list[str] = []
    if fact.p == "release_year":
        value = _qs_time(number) if isinstance(number, int) and 0 < number < 10_000 else None
        held += [] if value else ["year is not a number"]
    elif fact.p in MONEY:
        currency = CURRENCY_QIDS.get(str(q.get("currency") or "").upper())
        value = f"{number}U{currency[1:]}" if currency and number is not None else None
        held += [] if value else ["no QID for the currency"]
        if fact.p == "box_office" and fold(str(q.get("scope") or "")) not in WORLDWIDE_SCOPES:
            held.append("box office scope other than worldwide")
    else:
        target = snap.object(fact)
        value = _qid(known, target)
        missing += [] if value else [(target, fact.o)]
        if q.get("character"):
            role = _qid(known, snap.named(str(q["character"]), "character", ("character",)))
            qualifiers += [CHARACTER_ROLE, role] if role else [CHARACTER_NAME, _qs_string(str(q["character"]))]
        if str(q.get("year") or "").isdigit():
            qualifiers += [POINT_IN_TIME, _qs_time(int(q["year"]))]
    held += [] if pid != "P?" else [f"no Wikidata property for {fact.p}"]
    held += ["contested by another document"] if fact.id in snap.contested else []
    held += ["hedged or optional in the text"] if q.get("optional") or q.get("hedge") else []
    n = len(fact.evidence)
    if held:
        out.held.update({reason: n for reason in held})
        return
    if missing:
        for item, label in missing:
            _wait_for(out, item, label, n)
        return
    for ev in fact.evidence:
        out.commands.append("\t".join([subject, pid, value, *qualifiers, *_qs_references(snap, ev)]))
        out.statements += 1


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


def load_qids(path: str | Path) -> dict[str, str]:
    """A QID map from a file: a JSON object {"Heat_(1995_film)": "Q..."}, or lines "KEY<TAB>QID"
    (tab, comma or the last space separates; # starts a comment). Keys are entity ids or catalog keys."""
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise ValueError(f"{path}: the QID map must be an object of strings")
        return _check_qids(data)
    found: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = re.split(r"\t|,", line) if ("\t" in line or "," in line) else line.rsplit(" ", 1)
        if len(parts) != 2 or not parts[0].strip():
            raise ValueError(f"{path}:{n}: expected KEY<TAB>QID, got {line[:60]!r}")
        found[parts[0].strip()] = parts[1].strip()
    return _check_qids(found)
