# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test eval cv train clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The same database the README's next commands use (reelgraph.db, their default); re-running is a no-op.
demo: $(STAMP)
	$(BIN)/reelgraph ingest examples --db reelgraph.db
	$(BIN)/reelgraph show "Heat" --year 1995 --db reelgraph.db

test: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/pytest -q

eval: $(STAMP)
	$(BIN)/reelgraph eval ../shared/corpus/dev

ENTITIES := --entities annotations/unlabeled-entities.jsonl

# The number decisions are made on: 5-fold cross-validation by article over train + dev, with the
# entity-only articles of annotations/ training the title and people stages and scored apart.
cv: $(STAMP)
	$(BIN)/reelgraph eval --cv 5 --repeats 3 ../shared/corpus/train ../shared/corpus/dev $(ENTITIES)

# Rebuild the shipped models (src/reelgraph/data/models/*.json) from ../shared, byte for byte.
train: $(STAMP)
	$(BIN)/reelgraph train ../shared/corpus/train ../shared/corpus/dev $(ENTITIES)

clean:
	rm -rf $(VENV) demo.db build *.egg-info
