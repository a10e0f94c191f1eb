"""Features of relation candidates: sparse name -> value maps for the learned relation stage.

Words are read from the sentence frame, where every other mention is a typed slot
("<P>", "<F>"), so no feature ever holds a name. The dependency path runs between the two
mentions' head tokens in the spaCy parse.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Token

from ..catalog import Catalog
from ..names import fold
from ..types import Mention
from .candidates import Candidate, _character_near
from .sentences import SLOT, DocumentFrames

WORD = re.compile(r"⟦[A-Z]\d+⟧|[a-z]+(?:'[a-z]+)?|[(),:;'\"-]", re.I)
MAX_PATH = 6
WINDOW = 120  # characters either side of a mention read for its neighbouring words


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-7" if n < 8 else "8-15" if n < 16 else "16+"


def _slot_word(token: str) -> str:
    m = SLOT.fullmatch(token)
    return f"<{m.group(1)}>" if m else token.lower()


def _words(text: str) -> list[str]:
    return [_slot_word(t) for t in WORD.findall(text)]


class FeatureContext:
    """Per-document facts the features need: the main film, where each entity is named, the
    catalog's corroboration of each linked film, token lookup."""

    def __init__(self, frames: DocumentFrames, parsed: Doc, catalog: Catalog):
        self.frames = frames
        self.parsed = parsed
        self.catalog = catalog
        films = [e for e in frames.entities.values() if e.type == "film"]
        self.main_film = max(films, key=lambda e: (len(e.mentions), -e.mentions[0].start if e.mentions else 0),
                             default=None)
        self.n_frames = max(1, len(frames.frames))
        self._corroborated: dict[str, bool] = {}
        self.pair_cache: dict[tuple, dict[str, float]] = {}  # pair features, shared across predicates
        self.named_in: dict[str, list[int]] = {}  # entity id -> frames that name it explicitly
        for i, frame in enumerate(frames.frames):
            for m in frame.slots:
                if m.entity_id and m.cue != "reference":
                    self.named_in.setdefault(m.entity_id, []).append(i)

    def corroborated(self, film) -> bool:
        """Whether the article names at least one person the catalog credits on `film`."""
        if film.key not in self._corroborated:
            credited = {fold(n) for n in film.people}
            self._corroborated[film.key] = any(fold(e.name) in credited for e in self.frames.entities.values()
                                               if e.type == "person")
        return self._corroborated[film.key]

    def frames_since_named(self, entity_id: str, frame: int) -> int | None:
        earlier = [i for i in self.named_in.get(entity_id, ()) if i <= frame]
        return frame - earlier[-1] if earlier else None

    def head(self, m: Mention) -> Token | None:
        span = self.parsed.char_span(m.start, m.end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None


def featurize(cand: Candidate, ctx: FeatureContext) -> dict[str, float]:
    """The features of one candidate: those of its pair (shared by every predicate the pair may
    hold, computed once) plus the rules behind this predicate."""
    key = (cand.frame, cand.s.start, cand.s_id, cand.s_is_focus,
           cand.o.start if cand.o is not None else None, cand.o_key, cand.o_from)
    if key not in ctx.pair_cache:
        ctx.pair_cache[key] = _pair_features(cand, ctx)
    f = dict(ctx.pair_cache[key])
    for rule, conf in cand.rules.items():
        f[f"rule={rule}"] = 1.0
        f[f"rule={rule}@{conf:.2f}"] = 1.0
    if cand.rules:
        f["rules_n"] = float(len(cand.rules))
    if cand.p == "cast_member" and _character_near(ctx.frames, ctx.frames.frames[cand.frame], cand.o):
        f["character_beside"] = 1.0
    return f


def _pair_features(cand: Candidate, ctx: FeatureContext) -> dict[str, float]:
    frames = ctx.frames
    frame = frames.frames[cand.frame]
    f: dict[str, float] = {"bias": 1.0, "s_focus": float(cand.s_is_focus), "s_runner_up": float(cand.s_runner_up)}
    if cand.o_from:
        f[f"o_from={cand.o_from}"] = 1.0
    f["s_kind=" + ("reference" if cand.s.cue == "reference" else "name")] = 1.0
    if ctx.main_film is not None and cand.s_id == ctx.main_film.id:
        f["s_main_film"] = 1.0
    if 0 in ctx.named_in.get(cand.s_id, ()):
        f["s_in_headline"] = 1.0
    if cand.o is not None and 0 in ctx.named_in.get(cand.o.entity_id or "", ()):
        f["o_in_headline"] = 1.0
    if cand.s_is_focus:
        since = ctx.frames_since_named(cand.s_id, cand.frame)
        f[f"focus_named_ago={'never' if since is None else _bucket(since)}"] = 1.0
    if cand.o is not None:
        role = frames.roles.get(cand.o.entity_id or "")
        if role:
            f[f"o_role={role}"] = 1.0
        if cand.o.cue == "reference":
            f["o_kind=reference"] = 1.0
        elif " " not in cand.o.text.strip():
            f["o_kind=one_word"] = 1.0
        if cand.o.type == "organization":
            f["o_org=" + ("known_studio" if ctx.catalog.is_known_studio(cand.o.text)
                          else "company_word" if COMPANY_WORD.search(cand.o.text) else "other")] = 1.0
    f["sent_first"] = float(cand.frame == 0)
    f[f"sent_pos={int(cand.frame / ctx.n_frames * 4)}"] = 1.0
    codes = Counter(c for c, _ in SLOT.findall(frame.masked))
    f[f"films_in_sent={_bucket(codes['F'])}"] = 1.0
    f[f"people_in_sent={_bucket(codes['P'])}"] = 1.0
    f.update(_catalog_features(cand, ctx))
    f.update(_context_words(cand, frame))
    f.update(_dependency_path(cand, ctx))
    if cand.o is None:
        f.update(_literal_features(cand, frame.text))
    return f


COMPANY_WORD = re.compile(r"\b(?:Studios?|Pictures|Films|Entertainment|Productions|Media|Distribution|Releasing|"
                          r"Animation|Company|Features|Classics)\b")
CATALOG_ROLES = (("cast", "cast"), ("director", "directors"), ("writer", "writers"), ("producer", "producers"),
                 ("composer", "composers"), ("studio", "studios"))


def _catalog_features(cand: Candidate, ctx: FeatureContext) -> dict[str, float]:
    """Whether the catalog lists the object in the subject film's credits (labels come from gold
    files, never from the catalog, so this is a fair feature)."""
    film_entity = ctx.frames.entities.get(cand.s_id)
    film = ctx.catalog.film(film_entity.catalog_key) if film_entity is not None and film_entity.catalog_key else None
    if film is None:
        return {"cat_film=unknown": 1.0}
    if cand.o is None:
        return {"cat_year_agrees": float(film.year == cand.literal)} if cand.p == "release_year" else {}
    entity = ctx.frames.entities.get(cand.o.entity_id or "")
    name = fold(entity.name) if entity is not None else ""
    roles = [role for role, attr in CATALOG_ROLES if name and name in {fold(n) for n in getattr(film, attr)}]
    if roles:
        return {f"cat_role={r}": 1.0 for r in roles}
    # a same-title film of another year is not evidence against the article: "none" counts only
    # when the article names someone the catalog credits on that film
    return {"cat_role=none" if ctx.corroborated(film) else "cat_film=uncorroborated": 1.0}


def _marker(frame, m: Mention) -> re.Match | None:
    if m not in frame.slots:
        return None
    return re.search(rf"⟦[A-Z]{frame.slots.index(m)}⟧", frame.masked)


def _context_words(cand: Candidate, frame) -> dict[str, float]:
    f: dict[str, float] = {}
    masked = frame.masked
    ms, mo = _marker(frame, cand.s), (_marker(frame, cand.o) if cand.o is not None else None)
    for name, m in (("s", ms), ("o", mo)):
        if m is None:
            continue
        before = _words(masked[max(0, m.start() - WINDOW):m.start()])[-3:]  # a bounded window: linear per candidate
        after = _words(masked[m.end():m.end() + WINDOW])[:3]
        for i, w in enumerate(reversed(before)):
            f[f"{name}_prev{i}={w}"] = 1.0
        for i, w in enumerate(after):
            f[f"{name}_next{i}={w}"] = 1.0
        if before:
            f[f"{name}_prev_bi={' '.join(before[-2:])}"] = 1.0
        if after:
            f[f"{name}_next_bi={' '.join(after[:2])}"] = 1.0
    if ms is None or mo is None:
        for w in set(_words(masked)):
            f[f"sent_word={w}"] = 1.0
        return f
    first, second = (ms, mo) if ms.start() < mo.start() else (mo, ms)
    f["order=" + ("s_o" if first is ms else "o_s")] = 1.0
    between = _words(masked[first.end():second.start()])
    f[f"gap={_bucket(len(between))}"] = 1.0
    if len(between) <= 4:
        f[f"between={' '.join(between)}|{'s_o' if first is ms else 'o_s'}"] = 1.0
    for w in set(between):
        f[f"bw={w}"] = 1.0
    slots_between = [w for w in between if w.startswith("<")]
    if slots_between:
        f[f"slots_between={_bucket(len(slots_between))}"] = 1.0
        f["same_type_between"] = float(any(w == f"<{SLOT.fullmatch(second.group(0)).group(1)}>" for w in slots_between))
    return f


def _dependency_path(cand: Candidate, ctx: FeatureContext) -> dict[str, float]:
    if cand.o is None or cand.s_is_focus:
        return {}
    a, b = ctx.head(cand.s), ctx.head(cand.o)
    if a is None or b is None or a.sent != b.sent:
        return {"dep=none": 1.0}
    up_a = [a] + list(a.ancestors)
    up_b = [b] + list(b.ancestors)
    ids_b = {t.i for t in up_b}
    common = next((t for t in up_a if t.i in ids_b), None)
    if common is None:
        return {"dep=none": 1.0}
    left = up_a[:[t.i for t in up_a].index(common.i)]
    right = up_b[:[t.i for t in up_b].index(common.i)]
    if len(left) + len(right) > MAX_PATH:
        return {"dep=long": 1.0}
    path = [f"{t.dep_}^" for t in left] + [common.lemma_.lower() if common not in (a, b) else "@"] + \
           [f"v{t.dep_}" for t in reversed(right)]
    out = {f"dep={' '.join(path)}": 1.0, f"dep_len={len(left) + len(right)}": 1.0}
    if common not in (a, b):
        out[f"dep_lca={common.lemma_.lower()}"] = 1.0
    return out


def _literal_features(cand: Candidate, text: str) -> dict[str, float]:
    f: dict[str, float] = {}
    year = str(cand.literal)
    at = text.find(year)
    if at < 0:
        return f
    before, after = text[max(0, at - 12):at], text[at + len(year):at + len(year) + 12]
    f["year_paren"] = float(before.endswith("(") and after.startswith(")"))
    f["year_possessive"] = float(after.startswith("'s") or after.startswith("’s"))
    for i, w in enumerate(reversed(_words(before)[-2:])):
        f[f"y_prev{i}={w}"] = 1.0
    for i, w in enumerate(_words(after)[:2]):
        f[f"y_next{i}={w}"] = 1.0
    return f
