"""Terminal rendering of an entity card (used by `reelgraph show`)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .graph import EntityCard

PREDICATE_LABELS = {
    "cast_member": "cast", "director": "director", "screenwriter": "writer", "producer": "producer",
    "composer": "composer", "studio": "studio", "release_year": "released", "budget": "budget",
    "box_office": "box office", "based_on": "based on", "remake_of": "remake of", "sequel_of": "sequel of",
    "influenced_by": "influenced by", "inspired_by": "inspired by", "award": "award", "festival": "festival",
}


def describe_value(fact) -> str:
    q = fact.qualifiers or {}
    value = fact.o
    if fact.p in ("budget", "box_office") and fact.o_num:
        value = f"{q.get('currency') or ''} {fact.o_num:,.0f}".strip()
    extras = [f"as {q['character']}" if q.get("character") else "",
              q.get("scope") or "", q.get("outcome") or "", str(q["year"]) if q.get("year") else "",
              q.get("hedge") or "", q.get("status") or ""]
    extra = ", ".join(x for x in extras if x)
    return f"{value} ({extra})" if extra else str(value)


def render_card(card: EntityCard, console: Console) -> None:
    title = f"{card.name} ({card.year})" if card.year else card.name
    console.rule(f"[bold]{title}[/]  [dim]{card.type} · {card.id}[/]")
    facts = Table(show_header=True, header_style="bold", expand=True)
    facts.add_column("fact", style="cyan", no_wrap=True)
    facts.add_column("value")
    facts.add_column("docs", justify="right")
    facts.add_column("evidence", style="dim", ratio=2)
    for fact in card.facts:
        is_subject = fact.s_id == card.id
        label = PREDICATE_LABELS.get(fact.p, fact.p) if is_subject else f"{PREDICATE_LABELS.get(fact.p, fact.p)} of"
        value = describe_value(fact) if is_subject else fact.s
        first = fact.evidence[0] if fact.evidence else None
        where = f"“{first.text.strip()}” — {first.document.doc_key}" if first else ""
        facts.add_row(label, value, str(fact.corroboration), where)
    console.print(facts)
    if card.quotes_by:
        console.print("[bold]Quotes[/]")
        for q in card.quotes_by:
            outlet = f" (to {q.outlet})" if q.outlet else ""
            console.print(f"  “{q.text}”{outlet} — {q.document.doc_key}", highlight=False)
    if card.contradictions:
        console.print("[bold red]Contradictions[/]")
        for c in card.contradictions:
            values = "; ".join(f"{v.value} ({', '.join(e.document.doc_key for e in v.evidence)})" for v in c.values)
            console.print(f"  {c.predicate}: {values}", highlight=False)
    docs = ", ".join(d.doc_key for d in card.documents)
    console.print(f"[dim]documents: {docs}[/]", highlight=False)
