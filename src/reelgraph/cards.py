"""Terminal rendering of an entity card (used by `reelgraph show`)."""
from __future__ import annotations

from rich.console import Console
from rich.text import Text

from .graph import EntityCard
from .vocab import PREDICATES

LABELS = {
    "cast_member": "cast", "director": "director", "screenwriter": "writer", "producer": "producer",
    "composer": "composer", "studio": "studio", "release_year": "released", "budget": "budget",
    "box_office": "box office", "based_on": "based on", "remake_of": "remake of", "sequel_of": "sequel of",
    "influenced_by": "influenced by", "inspired_by": "inspired by", "award": "award", "festival": "festival",
}
INVERSE = {  # the same fact read from its object's card
    "cast_member": "acted in", "director": "directed", "screenwriter": "wrote", "producer": "produced",
    "composer": "scored", "studio": "made", "based_on": "adapted as", "remake_of": "remade as",
    "sequel_of": "followed by", "influenced_by": "influenced", "inspired_by": "portrayed in",
}
def describe_value(fact) -> str:
    q = fact.qualifiers or {}
    value = str(fact.o)
    if fact.p in ("budget", "box_office") and fact.o_num:
        value = f"{q.get('currency') or ''} {fact.o_num:,.0f}".strip()
    extras = [f"as {q['character']}" if q.get("character") else "", q.get("scope") or "",
              q.get("outcome") or "", str(q["year"]) if q.get("year") else "", q.get("hedge") or "",
              q.get("status") or ""]
    extra = ", ".join(x for x in extras if x)
    return f"{value} ({extra})" if extra else value


def _clip(sentence: str, width: int) -> str:
    sentence = " ".join(sentence.split())
    width = max(10, width)
    return sentence if len(sentence) <= width else sentence[:width - 1] + "…"


def render_card(card: EntityCard, console: Console) -> None:
    """The card as lines of `Text` (article text is never read as Rich markup), each evidence
    sentence cut to fit the console's width."""
    title = f"{card.name} ({card.year})" if card.year else card.name
    console.rule(Text.assemble((title, "bold"), "  ", (f"{card.type} · {card.id}", "dim")))
    facts = sorted(card.facts, key=lambda f: (f.s_id != card.id, PREDICATES.index(f.p) if f.p in PREDICATES else 99))
    for fact in facts:
        is_subject = fact.s_id == card.id
        label = LABELS.get(fact.p, fact.p) if is_subject else INVERSE.get(fact.p, f"{fact.p} of")
        value = describe_value(fact) if is_subject else fact.s
        docs = f"{fact.corroboration} doc" + ("s" if fact.corroboration != 1 else "")
        line = Text.assemble((f"  {label:<14}", "cyan"), (value, "bold"), (f"  [{docs}]", "dim"))
        console.print(line)
        if fact.evidence:
            first = fact.evidence[0]
            source = f" — {first.document.doc_key}"
            room = console.width - 18 - len(source)
            console.print(Text(f"{'':16}“{_clip(first.text, room)}”{source}", style="dim"))
    if card.quotes_by:
        console.print(Text("\n  Quotes", style="bold"))
        for q in card.quotes_by:
            source = (f" (to {q.outlet})" if q.outlet else "") + f" — {q.document.doc_key}"
            console.print(Text(f"  “{_clip(q.text, console.width - 4 - len(source))}”{source}"))
    for c in card.contradictions:
        values = "; ".join(f"{v.value} ({', '.join(e.document.doc_key for e in v.evidence)})" for v in c.values)
        console.print(Text(f"  contradiction · {LABELS.get(c.predicate, c.predicate)}: {values}", style="red"))
    console.print(Text(f"\n  documents: {', '.join(d.doc_key for d in card.documents)}", style="dim"))
