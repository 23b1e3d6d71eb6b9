# EcoMap developer commands. `make demo` and `make test` are the whole set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint serve bench install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

tools/cypher-lint/node_modules/.installed: tools/cypher-lint/package.json tools/cypher-lint/package-lock.json
	npm ci --prefix tools/cypher-lint --no-audit --no-fund
	touch $@

demo: install  ## load the sample ecosystem into ./ecomap.lbug and print its statistics
	$(BIN)/ecomap demo

test: install-test tools/cypher-lint/node_modules/.installed  ## lint, type-check and run every test
	$(BIN)/ruff check app graph_analytics tests bench tools
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: install-test
	$(BIN)/ruff check app graph_analytics tests bench tools
	$(BIN)/ruff format --check app graph_analytics tests bench tools
	$(BIN)/mypy

serve: install  ## API and explorer on http://127.0.0.1:8000 (arrives with the HTTP API, issue 6)
	@echo "ecomap serve is not built yet: the HTTP API and explorer come with issue 6." >&2; exit 1

bench: install-test  ## benchmarks; writes bench/results.md and bench/results-explore.md
	$(BIN)/python bench/bench_import.py --out bench/results.md
	$(BIN)/python bench/bench_explore.py --out bench/results-explore.md

clean:
	rm -rf $(VENV) ecomap.lbug .pytest_cache .mypy_cache .ruff_cache
