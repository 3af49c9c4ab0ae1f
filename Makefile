# Two entry points, both from a fresh clone with only Python 3.11+ and make:
#   make tables   set up, then render the comparison tables into tables/
#   make test     set up, then run the whole test suite (pytest, mypy --strict, ruff)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all tables test check-tables lint bench bench-scale clean

all: tables

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

tables: $(STAMP)
	$(BIN)/modelcompare tables --out tables

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check src tests benchmarks

lint: $(STAMP)
	$(BIN)/python -m ruff check src tests benchmarks
	$(BIN)/python -m ruff format --check src tests benchmarks
	$(BIN)/python -m mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_startup.py

bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
