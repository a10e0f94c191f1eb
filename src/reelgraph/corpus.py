"""Gold corpora for training and evaluation: articles with their gold files, parsed once.

`load_gold(dirs)` lists every `<id>.txt` that has an `<id>.gold.json`; `load_entity_annotations`
reads articles annotated with their entities only (for the title and people stages); `parse_all` parses them
with the analysis pipeline and keeps the parses in a disk cache (`.cache/parses`, keyed by the
analysis text and the pipeline), so cross-validation and training do not re-run spaCy.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin

from .types import Document

CACHE_ENV = "REELGRAPH_CACHE"
ENTITY_TEXTS = Path("../shared/corpus/unlabeled/articles.jsonl.gz")  # where annotations/ finds its texts


@dataclass
class GoldArticle:
    """One annotated article: its document, its gold dict and (once parsed) its spaCy parse."""

    id: str
    path: Path
    doc: Document
    gold: dict[str, Any]
    parsed: Doc | None = field(default=None, repr=False)

    @property
    def entities_only(self) -> bool:
        """Annotated with its entities but not its facts or quotes: only the title and people stages learn from it."""
        return "facts" not in self.gold


def gold_files(dirs: list[str | Path]) -> list[tuple[Path, dict[str, Any]]]:
    """(text path, gold dict) for every `<id>.txt` with an `<id>.gold.json` in `dirs`, in a stable
    order (folder, then name); a missing folder, an empty one or bad JSON is a clear error."""
    found = []
    for folder in map(Path, dirs):
        if not folder.is_dir():
            raise FileNotFoundError(f"gold directory not found: {folder}")
        for text_path in sorted(folder.glob("*.txt")):
            gold_path = text_path.with_name(text_path.stem + ".gold.json")
            if not gold_path.is_file():
                continue
            try:
                found.append((text_path, json.loads(gold_path.read_text(encoding="utf-8"))))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{gold_path.name}: invalid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not found:
        raise ValueError(f"no <id>.txt with <id>.gold.json in {', '.join(map(str, dirs))}")
    return found


def load_gold(dirs: list[str | Path]) -> list[GoldArticle]:
    """Every article with a gold file in `dirs`, read, in the order of `gold_files`."""
    from .read import read_file

    return [GoldArticle(str(gold.get("doc") or path.stem), path, read_file(path), gold)
            for path, gold in gold_files(dirs)]


def load_entity_annotations(path: str | Path, texts: str | Path | None = None) -> list[GoldArticle]:
    """Articles annotated with their film, series, person and character entities only. `path` is
    JSON lines of {"id", "sha256", "entities"}; each text comes from `texts` (JSON lines, gzipped
    or not, of {"id", "text"}) by id, and must still hash to `sha256`."""
    from .read import read_text

    path, texts = Path(path), Path(texts or ENTITY_TEXTS)
    for p in (path, texts):
        if not p.is_file():
            raise FileNotFoundError(f"entity annotations: no such file: {p}")
    wanted = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
                wanted[row["id"]] = (row["sha256"], row["entities"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{path.name}, line {n}: not an annotation ({exc})") from exc
    found = {}
    with (gzip.open if texts.suffix == ".gz" else open)(texts, "rt", encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            if row.get("id") in wanted:
                found[row["id"]] = row["text"]
    articles = []
    for doc_id, (sha, entities) in wanted.items():
        text = found.get(doc_id)
        if text is None:
            raise ValueError(f"{path.name}: article {doc_id} is not in {texts}")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
            raise ValueError(f"{path.name}: the text of {doc_id} in {texts} has changed since it was annotated")
        articles.append(GoldArticle(doc_id, texts, read_text(text, doc_id=doc_id, source=f"{texts.name}#{doc_id}",
                                                            fmt="text"), {"entities": entities}))
    return articles


def _cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.cwd() / ".cache" / "parses")


def _key(clean: str, pipeline: str) -> str:
    return hashlib.sha256(f"{pipeline}\0{clean}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def parse_all(articles: list[GoldArticle]) -> list[GoldArticle]:
    """Attach a parse to every article, from the cache where possible."""
    from .analyse import analyse_many, load_nlp, pipeline_description

    nlp = load_nlp()
    pipeline = pipeline_description()
    cache = _cache_dir()
    missing = []
    for article in articles:
        if article.parsed is not None:
            continue
        path = cache / f"{_key(article.doc.clean, pipeline)}.spacy"
        if path.is_file():
            try:
                article.parsed = next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
                continue
            except Exception:  # a stale or broken cache entry is simply parsed again
                pass
        missing.append(article)
    by_doc = {id(a.doc): a for a in missing}
    for doc, parsed in analyse_many([a.doc for a in missing]):
        article = by_doc[id(doc)]
        article.parsed = parsed
        try:
            cache.mkdir(parents=True, exist_ok=True)
            DocBin(docs=[parsed], store_user_data=False).to_disk(cache / f"{_key(doc.clean, pipeline)}.spacy")
        except OSError:
            pass  # the cache is an optimisation only
    return articles


def folds(articles: list[GoldArticle], k: int, shuffle: int = 0) -> list[list[GoldArticle]]:
    """`k` folds by article, deterministic: articles sorted by a hash of their id (salted by
    `shuffle` when it is not 0, for another split), dealt round robin."""
    if k < 2 or k > len(articles):
        raise ValueError(f"--cv needs 2 <= K <= {len(articles)} (the number of articles), got {k}")
    salt = f"{shuffle}:" if shuffle else ""
    ordered = sorted(articles, key=lambda a: hashlib.sha256((salt + a.id).encode()).hexdigest())
    return [ordered[i::k] for i in range(k)]
