"""The extractor version the store records: the package version plus a hash of the rules and models.

A document stored by another extractor version is re-extracted when it is ingested again, and
`reelgraph reindex` re-extracts every such document from its stored text.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import __version__

EXTRACT_DIR = Path(__file__).resolve().parent / "extract"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """"<package version>+<12 hex digits>": a hash of every extract/*.py source and the models' version."""
    h = hashlib.sha256()
    for path in sorted(EXTRACT_DIR.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(b"models\0" + _models_version().encode())
    return f"{__version__}+{h.hexdigest()[:12]}"


def _models_version() -> str:
    try:
        from .learn import Models
    except ImportError:  # no learned parts in this build
        return ""
    return Models.load().version()
