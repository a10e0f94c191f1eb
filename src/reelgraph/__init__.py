"""reelgraph: film writing in, a film knowledge graph out.

    import reelgraph
    g = reelgraph.open("reelgraph.db")
    g.ingest_many(reelgraph.extract_path("articles/"))
    card = g.entity("Heat", year=1995)
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["open", "extract_path", "extract_text", "__version__"]


def open(db: str = "reelgraph.db"):  # noqa: A001 - mirrors sqlite3.connect-style naming
    """Open (or create) a graph store: a SQLite path or a SQLAlchemy URL."""
    from .graph import open as open_graph

    return open_graph(db)


def extract_path(path):
    """Extract every article in a file or folder; returns a list of Extraction."""
    from .pipeline import extract_path as run

    return run(path)


def extract_text(text: str, doc_id: str = "stdin"):
    """Extract one article given as a string."""
    from .pipeline import extract_text as run

    return run(text, doc_id=doc_id)
