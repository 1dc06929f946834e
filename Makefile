# The two commands (DESIGN.md contract): `make run` and `make test`, on a machine with only Python and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-dev clean-store model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: install into .venv and clean the bundled sample crawl into ./corpus, reports in ./reports
run: install
	$(BIN)/curate clean --store corpus --reports reports -m "bundled sample"

## test: install with dev extras and run the whole suite
test: install-dev
	$(BIN)/python -m pytest

## lint: ruff and mypy --strict over the package (not part of `make test`)
lint: install-dev
	$(BIN)/ruff check curate tests bench
	$(BIN)/mypy curate

## model: retrain the shipped content model on the development sets (DATA=folder), byte for byte the same
DATA ?= ../shared/data
model: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[train]'
	PYTHONPATH=. $(BIN)/python bench/content_model.py $(DATA) --folds 0 --write-model curate/steps/extract/content_model.json

clean-store:
	rm -rf corpus/versions corpus/objects reports/v*  # never the lock file corpus/.lock: a running clean holds it
