# Two commands matter: `make demo` and `make test`. Both set everything up and are idempotent.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
MOCK := fixtures/mock_site
PYTEST_ARGS ?=
# The suite runs in two processes (pytest-xdist; a process that runs out of tests takes some of the other's,
# so the 4-minute batch test does not leave one waiting at the end): the browser tests wait on pages and on
# the replica's injected latency as much as they compute, so two share 2 cores well (~14 min instead of ~19
# in one; three were no faster on a clean clone). TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= 2
# The replica's page tests keep pytest-playwright's session-wide Playwright open; the e2e tests start
# one per module, which cannot run after it in the same process: two pytest sessions keep them apart.
PYTEST_RUN = -q -n $(TEST_WORKERS) --dist worksteal $(if $(CI),--tracing retain-on-failure --screenshot only-on-failure) $(PYTEST_ARGS)

.PHONY: demo test setup browser lint typecheck unit e2e clean

setup: $(STAMP) browser $(MOCK)/node_modules/.stamp

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	@echo "setting up $(VENV) (pip install -e '.[dev]')"
	@$(PY) -m pip install -q -U pip
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $@

# A browser: AUTOFILL_BROWSER, Playwright's own, or a system Chromium (installed from Debian when root).
browser: $(STAMP)
	@$(PY) -m autofill.browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium and fonts-noto-cjk from Debian"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "no browser found: run 'python -m playwright install chromium' or install chromium"; exit 1; \
	  fi; }
	@$(PY) -m autofill.browser >/dev/null

$(MOCK)/node_modules/.stamp: $(MOCK)/package.json $(MOCK)/package-lock.json
	@echo "installing the replica's front-end kit (npm ci)"
	@cd $(MOCK) && npm ci --silent --no-audit --no-fund >/dev/null
	@touch $@

lint: $(STAMP)
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/ruff format --check --quiet .

typecheck: $(STAMP)
	@$(VENV)/bin/mypy --no-error-summary

unit: $(STAMP)
	@$(PY) -m pytest -q tests/unit $(PYTEST_ARGS)

test: setup lint typecheck
	@$(PY) -m pytest $(PYTEST_RUN) tests/unit tests/batch tests/e2e
	@$(PY) -m pytest $(PYTEST_RUN) tests/replica

demo: setup
	@$(PY) -m autofill.demo

clean:
	rm -rf $(VENV) $(MOCK)/node_modules runs test-results .mypy_cache .ruff_cache .pytest_cache
