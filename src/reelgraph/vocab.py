"""The graph's vocabulary, in one place: entity types, predicates, fact statuses and qualifiers.

`types`, `graph`, `serve`, `web` and the CLI all read these tuples, so a new predicate or type
is added here once. No imports from the rest of the package: anything may import this module.
"""
from __future__ import annotations

import difflib
from typing import Literal

ENTITY_TYPES = ("film", "series", "person", "character", "organization", "publication", "event", "award")
PREDICATES = (
    "cast_member", "director", "screenwriter", "producer", "composer", "studio", "release_year",
    "budget", "box_office", "based_on", "remake_of", "sequel_of", "influenced_by", "inspired_by",
    "award", "festival",
)
FACT_STATUSES = ("announced", "in_talks", "rumoured")  # a fact with none of these is "stated"
STATED = "stated"
STATUS_FILTERS = (STATED, *FACT_STATUSES)  # what a status filter may ask for
QUALIFIERS = ("character", "currency", "scope", "outcome", "year", "status", "hedge", "optional")

# The same lists as typing.Literal, for FastAPI parameters (422 on anything else).
EntityType = Literal[ENTITY_TYPES]  # type: ignore[valid-type]
Predicate = Literal[PREDICATES]  # type: ignore[valid-type]
FactStatus = Literal[STATUS_FILTERS]  # type: ignore[valid-type]


def check_choice(kind: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    """`value` when it is one of `allowed` (or empty), else ValueError naming the choices."""
    if value is None or value == "":
        return None
    if value not in allowed:
        near = difflib.get_close_matches(value, allowed, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise ValueError(f"unknown {kind} {value!r}{hint}: choose {', '.join(allowed)}")
    return value
