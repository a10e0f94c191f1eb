"""Learned parts of extraction, trained on the gold corpora and shipped inside the package.

A `Models` bundle holds one fitted component per stage that learns (titles, relations,
speakers). `Models.load()` reads the shipped ones from `reelgraph/data/models/`;
`train(articles)` fits a fresh bundle, stage by stage, each stage seeing the articles as the
stages before it (already fitted) extract them. Cross-validation (`crossval.py`) calls `train`
on the training folds only. A missing component means the stage falls back to its rules.

Every component is a small JSON document (`to_json`/`from_json`), written with sorted keys and
rounded numbers, so `reelgraph train` rebuilds the shipped files byte for byte.
"""
from __future__ import annotations

import hashlib
import importlib
import json
from collections import Counter
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "models"
# (bundle field, module under reelgraph.learn with fit(articles, catalog, models) and the model class)
STAGES = (("titles", "titles"), ("people", "people"), ("relations", "relations"), ("speakers", "speakers"))


def frequent_keys(dicts, min_count: int = 2) -> set[str]:
    """The keys found in at least `min_count` of the feature dicts: rarer features get no weight."""
    return {k for k, n in Counter(k for d in dicts for k in d).items() if n >= min_count}


@dataclass
class Models:
    titles: Any = None
    people: Any = None
    relations: Any = None
    speakers: Any = None

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> Models:
        """The shipped models (cached); stages without a file use their rules."""
        return _load(str(folder))

    def learned(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]

    def version(self) -> str:
        """A short hash of every fitted component, for the store's extractor version."""
        h = hashlib.sha256()
        for name in self.learned():
            h.update(name.encode() + b"\0" + dumps(getattr(self, name).to_json()).encode())
        return h.hexdigest()[:12]

    def save(self, folder: Path = MODEL_DIR) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name in self.learned():
            path = folder / f"{name}.json"
            path.write_text(dumps(getattr(self, name).to_json()) + "\n", encoding="utf-8")
            written.append(path)
        return written


def dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _module(name: str):
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            return None
        raise


@lru_cache(maxsize=4)
def _load(folder: str) -> Models:
    models = Models()
    for attr, module_name in STAGES:
        path = Path(folder) / f"{attr}.json"
        module = _module(module_name)
        if module is not None and path.is_file():
            setattr(models, attr, module.MODEL.from_json(json.loads(path.read_text(encoding="utf-8"))))
    return models


def train(articles: list, catalog=None, stages: tuple[str, ...] | None = None) -> Models:
    """Fit every learning stage on `articles` (parsed `corpus.GoldArticle`s), in pipeline order.
    Articles annotated with their entities only go to the stages whose module sets
    LEARNS_FROM_ENTITIES (titles, people); the others see the fully annotated ones."""
    from ..catalog import Catalog

    catalog = catalog or Catalog.load()
    models = Models()
    full = [a for a in articles if not getattr(a, "entities_only", False)]
    for attr, module_name in STAGES:
        if stages is not None and attr not in stages:
            continue
        module = _module(module_name)
        if module is not None:  # articles annotated with entities only teach the stages that say so
            setattr(models, attr, module.fit(articles if getattr(module, "LEARNS_FROM_ENTITIES", False) else full,
                                             catalog, models))
    return models
