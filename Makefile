# EcoMap developer commands. `make demo` and `make test` are the whole set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint serve bench install install-test browser clean

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

# Debian's chromium for the browser tests (never `playwright install`). Nothing to do when
# $ECOMAP_CHROMIUM names another build; without apt-get, browser tests skip (fail under CI).
browser:  ## headless chromium for the browser tests (apt-get install if missing)
	@[ -n "$$ECOMAP_CHROMIUM" ] || command -v chromium >/dev/null || \
	if ! command -v apt-get >/dev/null; then \
	  echo "chromium missing and no apt-get: browser tests will be skipped" >&2; \
	else \
	  SUDO=; [ "$$(id -u)" = 0 ] || ! command -v sudo >/dev/null || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends chromium; \
	fi

tools/cypher-lint/node_modules/.installed: tools/cypher-lint/package.json tools/cypher-lint/package-lock.json
	npm ci --prefix tools/cypher-lint --no-audit --no-fund
	touch $@

demo: install  ## load the sample ecosystem into ./ecomap.lbug; write map.html and report.html
	$(BIN)/ecomap demo

test: install-test browser tools/cypher-lint/node_modules/.installed  ## lint, type-check and run every test
	$(BIN)/ruff check app graph_analytics tests bench tools notebooks
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: install-test
	$(BIN)/ruff check app graph_analytics tests bench tools notebooks
	$(BIN)/ruff format --check app graph_analytics tests bench tools notebooks
	$(BIN)/mypy

serve: install  ## API and explorer on http://127.0.0.1:8000 (loads the sample first if there is no database)
	@[ -e ecomap.lbug ] || $(BIN)/ecomap demo
	$(BIN)/ecomap serve

bench: install-test browser  ## benchmarks; writes bench/results*.md
	$(BIN)/python bench/bench_import.py --out bench/results.md
	$(BIN)/python bench/bench_explore.py --out bench/results-explore.md
	$(BIN)/python bench/bench_analytics.py --out bench/results-analytics.md
	$(BIN)/python bench/bench_maps.py --out bench/results-maps.md
	$(BIN)/python bench/bench_api.py --out bench/results-api.md
	@if [ -d ../shared/data/cordis-h2020 ]; then $(BIN)/python bench/bench_cordis.py --out bench/results-cordis.md; \
	else echo "no ../shared/data/cordis-h2020: CORDIS benchmark skipped"; fi

clean:
	rm -rf $(VENV) ecomap.lbug .pytest_cache .mypy_cache .ruff_cache
