# hamas-russia-kg — `make` sets up .venv and builds the KG; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := scripts tests bench

.DEFAULT_GOAL := build
.PHONY: help build test check lint format typecheck bench serve docs clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: $(STAMP) ## create .venv, install, and run `hrkg build` into dist/
	$(BIN)/hrkg build

test: lint typecheck ## the whole suite: lint, typecheck, pytest
	$(BIN)/pytest

check: test ## the same as test (lint, typecheck, pytest)

lint: $(STAMP) ## ruff: lint rules, complexity limit and formatting (no changes made)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

format: $(STAMP) ## apply ruff's formatting and safe lint fixes
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)

typecheck: $(STAMP) ## mypy, strict, on the package and the tests
	$(BIN)/mypy

bench: $(STAMP) ## time build, validate, query and the endpoint (median of runs) into bench/RESULTS.md
	$(BIN)/python bench/run.py
	$(BIN)/python bench/endpoint.py

# What the build reads: `make serve` rebuilds only when one of these is newer than the store.
HRKG_SOURCES_DIR ?= ../shared/sources
BUILD_INPUTS := pyproject.toml $(shell find ontology data shapes queries tests/expected \
  scripts/hrkg -type f \( -name '*.ttl' -o -name '*.rq' -o -name '*.csv' -o -name '*.py' \) \
  2>/dev/null) $(wildcard $(HRKG_SOURCES_DIR)/*.txt)

dist/store/CURRENT: $(STAMP) $(BUILD_INPUTS)
	$(BIN)/hrkg build

serve: dist/store/CURRENT ## serve a read-only SPARQL endpoint on 127.0.0.1:7878 (builds if stale)
	$(BIN)/hrkg serve

docs: $(STAMP) ## render the ontology documentation into dist/docs
	$(BIN)/hrkg docs

clean: ## remove dist/, its generations and caches (keeps .venv)
	rm -rf dist .dist.* .dist-* .hrkg-cache .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -prune -exec rm -rf {} +

-include mk/*.mk
