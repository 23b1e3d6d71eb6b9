# EcoMap developer commands. `make demo` and `make test` are the whole set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Exact versions of every dependency (all extras), for Python 3.11 on linux x86_64: pip
# installs under these constraints, pyproject.toml keeps the ranges. `make lock` rewrites it.
LOCK := requirements.lock
UV_VERSION ?= 0.13.9

.PHONY: demo test fuzz lint serve bench install install-test lock browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# uv resolves; it is installed for this target only (make demo and make test use pip alone).
# Pins already in the lock are kept where the ranges allow; LOCK_FLAGS=--upgrade moves every
# pin to the newest allowed version, LOCK_FLAGS='--upgrade-package NAME' one of them.
lock: | $(BIN)/python  ## re-resolve requirements.lock from pyproject.toml (after changing a dependency)
	$(BIN)/pip install --quiet 'uv==$(UV_VERSION)'
	$(BIN)/uv pip compile pyproject.toml --all-extras --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --custom-compile-command 'make lock' \
	  --quiet $(LOCK_FLAGS) -o $(LOCK)

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

fuzz: install-test  ## long property-based fuzzing of every reader and the API (make test runs a bounded share)
	ECOMAP_FUZZ=1 $(BIN)/pytest -q tests/test_fuzz_*.py tests/test_api_schema.py

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
	$(BIN)/python bench/bench_stall.py --out bench/results-stall.md
	$(BIN)/python bench/bench_history.py --out bench/results-history.md
	@if [ -d ../shared/data/cordis-h2020 ]; then $(BIN)/python bench/bench_cordis.py --out bench/results-cordis.md; \
	else echo "no ../shared/data/cordis-h2020: CORDIS benchmark skipped"; fi

clean:
	rm -rf $(VENV) ecomap.lbug .pytest_cache .mypy_cache .ruff_cache
