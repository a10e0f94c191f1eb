"""Score extraction output against the gold files (FACTS.md, "How output is matched to gold").

`score_document` compares one prediction with one gold dict; `aggregate` micro-averages the
per-document counts into a `Report`; `evaluate_dir` runs an extractor over a gold directory.
Matching is greedy and one-to-one: exact (folded) pairs are taken before looser rule matches.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from rich.console import Console
from rich.table import Table

from .matching import (QUOTE_OVERLAP, SCORED_ENTITY_TYPES, _same, _text, _tokens, film_match, object_match,
                       org_match, person_match, quote_overlap, subject_match, year_match)
from .names import fold, parse_film_label
from .types import PREDICATES

# ----------------------------------------------------------------------------- counts

def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, Any]:
        return {"p": _r(self.precision), "r": _r(self.recall), "f1": _r(self.f1),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class QuoteCounts:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_correct: int = 0
    outlet_correct: int = 0  # found gold quotes whose outlet matches, null = null included
    outlet_gold: int = 0  # found gold quotes that have an outlet
    outlet_gold_correct: int = 0  # ... and the output gives that outlet
    outlet_given: int = 0  # found quotes where the output gives an outlet
    outlet_given_no_gold: int = 0  # ... where the gold has none
    spurious: int = 0

    def add(self, other: QuoteCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict[str, Any]:
        """`outlet_accuracy` is the judge's: over found gold quotes that have an outlet.
        `outlet_accuracy_all` also counts null = null as correct; `outlet_precision` is the
        share of outlets given (on found quotes) that are the gold's."""
        return {"gold": self.gold, "found": self.matched, "recall": _r(_ratio(self.matched, self.gold)),
                "attributed": self.speaker_correct,
                "speaker_accuracy": _r(_ratio(self.speaker_correct, self.matched)),
                "outlet_accuracy": _r(_ratio(self.outlet_gold_correct, self.outlet_gold)),
                "outlet_gold": self.outlet_gold, "outlet_correct": self.outlet_gold_correct,
                "outlet_accuracy_all": _r(_ratio(self.outlet_correct, self.matched)),
                "outlet_given": self.outlet_given, "outlet_given_no_gold": self.outlet_given_no_gold,
                "outlet_precision": _r(_ratio(self.outlet_gold_correct, self.outlet_given)),
                "spurious": self.spurious, "spurious_rate": _r(_ratio(self.spurious, self.gold))}


@dataclass
class Tally:
    """Counts shared by one document (DocScore) and a whole run (Report)."""

    predicates: dict[str, Counts] = field(default_factory=lambda: {p: Counts() for p in PREDICATES})
    entities: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in SCORED_ENTITY_TYPES})
    quotes: QuoteCounts = field(default_factory=QuoteCounts)
    characters_matched: int = 0
    characters_correct: int = 0

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.predicates.values():
            total.add(counts)
        return total

    @property
    def character_accuracy(self) -> float | None:
        return _ratio(self.characters_correct, self.characters_matched)

    def add(self, other: Tally) -> None:
        for p, counts in other.predicates.items():
            self.predicates.setdefault(p, Counts()).add(counts)
        for t, counts in other.entities.items():
            self.entities.setdefault(t, Counts()).add(counts)
        self.quotes.add(other.quotes)
        self.characters_matched += other.characters_matched
        self.characters_correct += other.characters_correct


@dataclass
class DocScore(Tally):
    """One document's counts, plus its unmatched facts for debugging."""

    doc: str = "-"
    missed: list[dict[str, Any]] = field(default_factory=list)  # required gold facts not found
    spurious: list[dict[str, Any]] = field(default_factory=list)  # predicted facts matching no gold

    def summary(self) -> dict[str, Any]:
        return {"doc": self.doc, **self.overall.to_dict()}


# ----------------------------------------------------------------------------- scoring

def _require_list(data: dict, key: str, who: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"{who} '{key}' must be a list, got {type(value).__name__}")
    return value


def _facts(data: dict, who: str) -> list[dict[str, Any]]:
    facts = _require_list(data, "facts", who)
    for i, fact in enumerate(facts):
        if not isinstance(fact, dict) or not {"s", "p", "o"} <= fact.keys():
            raise ValueError(f"{who} fact #{i} needs keys 's', 'p' and 'o'")
    return facts


def _greedy(candidates: list[tuple[tuple, int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), best sort key first."""
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pj in sorted(candidates):
        if gi not in used_g and pj not in used_p:
            used_g.add(gi)
            used_p.add(pj)
            pairs.append((gi, pj))
    return pairs


def _character(fact: dict[str, Any]) -> str:
    return fold(_text(fact.get("character")))


def _score_facts(score: DocScore, gold: list[dict], pred: list[dict],
                 persons: set[tuple[str, ...]], titled: set[str]) -> None:
    candidates = []
    for gi, g in enumerate(gold):
        optional = bool(g.get("optional"))
        # An optional fact about an untitled film may be reported under any subject name.
        wildcard = optional and fold(parse_film_label(_text(g["s"]))[0]) not in titled
        for pj, f in enumerate(pred):
            if f["p"] != g["p"] or not object_match(g["p"], g["o"], f["o"], persons):
                continue
            s_ok = subject_match(g["p"], g["s"], f["s"], persons)
            if not s_ok and not wildcard:
                continue
            exact = s_ok and _same(g["s"], f["s"]) and _same(g["o"], f["o"])
            char_ok = g["p"] != "cast_member" or _character(g) == _character(f)
            candidates.append(((not s_ok, not exact, optional, not char_ok), gi, pj))
    pairs = _greedy(candidates)
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pj for _, pj in pairs}
    neutral_p = {pj for _, gi, pj in candidates if gold[gi].get("optional")}
    for gi, pj in pairs:
        g = gold[gi]
        if g.get("optional"):
            continue
        score.predicates[g["p"]].tp += 1
        if g["p"] == "cast_member":
            score.characters_matched += 1
            score.characters_correct += _character(g) == _character(pred[pj])
    for gi, g in enumerate(gold):
        if gi not in matched_g and not g.get("optional"):
            score.predicates[g["p"]].fn += 1
            score.missed.append(g)
    for pj, f in enumerate(pred):
        if pj not in matched_p and pj not in neutral_p:
            score.predicates.setdefault(str(f["p"]), Counts()).fp += 1
            score.spurious.append(f)


def _score_entities(score: DocScore, gold: list[dict], pred: list[dict],
                    persons: set[tuple[str, ...]]) -> None:
    for kind in SCORED_ENTITY_TYPES:
        gs = [e for e in gold if e.get("type") == kind]
        ps = [e for e in pred if isinstance(e, dict) and e.get("type") == kind]
        candidates = []
        for gi, g in enumerate(gs):
            for pj, e in enumerate(ps):
                if kind == "person":
                    ok = person_match(g.get("name"), e.get("name"), persons)
                else:
                    ok = film_match(g.get("name"), e.get("name")) and (
                        g.get("year") is None or e.get("year") is None or year_match(g["year"], e["year"]))
                if ok:
                    exact = _same(g.get("name"), e.get("name")) and g.get("year") == e.get("year")
                    candidates.append(((not exact,), gi, pj))
        tp = len(_greedy(candidates))
        score.entities[kind] = Counts(tp, len(ps) - tp, len(gs) - tp)


def _speaker_ok(gold: Any, pred: Any, persons: set[tuple[str, ...]]) -> bool:
    if not _text(gold).strip():
        return not _text(pred).strip()
    return person_match(gold, pred, persons) or org_match(gold, pred)


def _score_quotes(score: DocScore, gold: list[dict], pred: list[dict],
                  persons: set[tuple[str, ...]]) -> None:
    candidates = []
    for gi, g in enumerate(gold):
        for pj, q in enumerate(pred):
            overlap = quote_overlap(g.get("text"), q.get("text") if isinstance(q, dict) else None)
            if overlap >= QUOTE_OVERLAP:
                candidates.append(((-overlap,), gi, pj))
    pairs = _greedy(candidates)
    qc = score.quotes
    qc.gold, qc.predicted, qc.matched = len(gold), len(pred), len(pairs)
    qc.spurious = len(pred) - len(pairs)
    for gi, pj in pairs:
        g, q = gold[gi], pred[pj]
        qc.speaker_correct += _speaker_ok(g.get("speaker"), q.get("speaker"), persons)
        gold_outlet, outlet = fold(_text(g.get("outlet"))), fold(_text(q.get("outlet")))
        qc.outlet_correct += gold_outlet == outlet
        qc.outlet_gold += bool(gold_outlet)
        qc.outlet_gold_correct += bool(gold_outlet) and gold_outlet == outlet
        qc.outlet_given += bool(outlet)
        qc.outlet_given_no_gold += bool(outlet) and not gold_outlet


def score_document(gold: dict[str, Any], predicted: dict[str, Any]) -> DocScore:
    """Count matches of `predicted` (gold shape, extra keys ignored) against `gold`."""
    if not isinstance(gold, dict) or not isinstance(predicted, dict):
        raise ValueError("score_document needs two dicts in the gold file shape")
    gold_entities = _require_list(gold, "entities", "gold")
    persons = {_tokens(e.get("name")) for e in gold_entities if e.get("type") == "person"} - {()}
    titled = {fold(_text(e.get("name"))) for e in gold_entities}
    score = DocScore(doc=_text(gold.get("doc")) or "-")
    _score_facts(score, _facts(gold, "gold"), _facts(predicted, "predicted"), persons, titled)
    _score_entities(score, gold_entities, _require_list(predicted, "entities", "predicted"), persons)
    _score_quotes(score, _require_list(gold, "quotes", "gold"),
                  _require_list(predicted, "quotes", "predicted"), persons)
    return score


# ----------------------------------------------------------------------------- report

@dataclass
class Report(Tally):
    """Micro-averaged counts over documents; `documents` keeps each DocScore for debugging."""

    documents: list[DocScore] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "per_predicate": {p: {**c.to_dict(), "gold": c.tp + c.fn} for p, c in self.predicates.items()},
            "entities": {t: c.to_dict() for t, c in self.entities.items()},
            "quotes": self.quotes.to_dict(),
            "character_accuracy": {"matched": self.characters_matched, "correct": self.characters_correct,
                                   "accuracy": _r(self.character_accuracy)},
            "documents": len(self.documents),
            "per_document": [d.summary() for d in self.documents],
        }

    def render(self, console: Any = None) -> None:
        render_report(self, console)


def aggregate(scores: list[DocScore]) -> Report:
    """Sum the counts of every document (micro-average)."""
    report = Report(documents=list(scores))
    for doc in scores:
        report.add(doc)
    return report


def _as_dict(output: Any) -> dict[str, Any]:
    if hasattr(output, "to_dict"):
        output = output.to_dict()
    if not isinstance(output, dict):
        raise ValueError(f"extractor returned {type(output).__name__}, expected a dict in gold shape")
    return output


def evaluate_dir(gold_dir: Path, extract: Callable[[Path], Any]) -> Report:
    """Score `extract(<id>.txt)` for every article in `gold_dir` that has `<id>.gold.json`."""
    from .corpus import gold_files

    scores = []
    for text_path, gold in gold_files([gold_dir]):
        score = score_document(gold, _as_dict(extract(text_path)))
        score.doc = _text(gold.get("doc")) or text_path.stem
        scores.append(score)
    return aggregate(scores)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def render_report(report: Report, console: Any = None) -> None:
    """Print the report as Rich tables."""
    console = console or Console()
    table = Table(title=f"Facts ({len(report.documents)} documents)")
    for col in ("predicate", "gold", "tp", "fp", "fn", "P", "R", "F1"):
        table.add_column(col, justify="left" if col == "predicate" else "right")

    def row(name: str, c: Counts, style: str | None = None) -> None:
        table.add_row(name, str(c.tp + c.fn), str(c.tp), str(c.fp), str(c.fn),
                      _fmt(c.precision), _fmt(c.recall), _fmt(c.f1), style=style)

    for p, c in report.predicates.items():
        if c.tp or c.fp or c.fn:
            row(p, c)
    table.add_section()
    row("overall", report.overall, style="bold")
    console.print(table)
    for t, c in report.entities.items():
        console.print(f"entities {t:<7} P {_fmt(c.precision)}  R {_fmt(c.recall)}  F1 {_fmt(c.f1)}"
                      f"  (tp {c.tp}, fp {c.fp}, fn {c.fn})")
    q = report.quotes.to_dict()
    console.print(f"quotes   found {q['found']}/{q['gold']}  recall {_fmt(q['recall'])}  speaker "
                  f"{_fmt(q['speaker_accuracy'])}  outlet {_fmt(q['outlet_accuracy'])} "
                  f"({q['outlet_correct']}/{q['outlet_gold']}; null=null {_fmt(q['outlet_accuracy_all'])}; "
                  f"precision {_fmt(q['outlet_precision'])}, {q['outlet_given_no_gold']} where gold has none)  "
                  f"spurious {q['spurious']} ({_fmt(q['spurious_rate'])})")
    console.print(f"characters correct {report.characters_correct}/{report.characters_matched}"
                  f"  accuracy {_fmt(report.character_accuracy)}")


def render_markdown(report: Report) -> str:
    """The scores as Markdown tables, for the README's versioned score history."""
    data = report.to_dict()

    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    lines = ["| predicate | gold | tp | fp | fn | P | R | F1 |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, c in data["per_predicate"].items():
        lines.append(f"| {name} | {c['gold']} | {c['tp']} | {c['fp']} | {c['fn']} | {f(c['p'])} | {f(c['r'])} | {f(c['f1'])} |")
    o = data["overall"]
    lines.append(f"| **overall** | {o['tp'] + o['fn']} | {o['tp']} | {o['fp']} | {o['fn']} | {f(o['p'])} | {f(o['r'])} | **{f(o['f1'])}** |")
    lines += ["", "| entities | P | R | F1 |", "|---|---:|---:|---:|"]
    for kind, c in data["entities"].items():
        lines.append(f"| {kind} | {f(c['p'])} | {f(c['r'])} | {f(c['f1'])} |")
    q, ch = data["quotes"], data["character_accuracy"]
    lines += ["", "| quotes recall | speaker accuracy | outlet accuracy | outlet (null = null) | outlet precision "
              "| spurious | character accuracy |",
              "|---:|---:|---:|---:|---:|---:|---:|",
              f"| {f(q['recall'])} | {f(q['speaker_accuracy'])} | {f(q['outlet_accuracy'])} "
              f"({q['outlet_correct']}/{q['outlet_gold']}) | {f(q['outlet_accuracy_all'])} | {f(q['outlet_precision'])} | "
              f"{q['spurious']} ({f(q['spurious_rate'])}) | {f(ch['accuracy'])} ({ch['correct']}/{ch['matched']}) |"]
    return "\n".join(lines)
