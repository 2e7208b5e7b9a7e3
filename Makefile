# Carnet — two commands to start: `make run` (a demo instance) and `make test` (every test).
# Everything else: `make help`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_MEMBERS ?= 200
BENCH_MEMBERS ?= 10000
PIP_TOOLS_VERSION ?= 7.6.2
# The suite runs in parallel (pytest-xdist: one process per core, at most 4, each with its own
# test database and cache keys) and reports its slowest tests. `make test PYTEST_ARGS=...` to
# choose, e.g. PYTEST_ARGS="-n 0 tests/accounts" for one folder, serially.
PYTEST_ARGS ?= -n auto --maxprocesses 4 --durations 25
export PYTHONDONTWRITEBYTECODE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run test install install-dev python browser lint format bench lock messages clean

help:
	@echo "make run      create the virtualenv, install, migrate, load the demo network, serve http://$(HOST):$(PORT)"
	@echo "make test     install test dependencies (and Chromium), run the whole suite"
	@echo "make bench    run the benchmarks (bench/*.py, PostgreSQL) at $(BENCH_MEMBERS) members"
	@echo "make lint     ruff check and format check"
	@echo "make lock     re-resolve requirements.lock and requirements-dev.lock from pyproject.toml"
	@echo "make clean    remove the virtualenv and the local data (var/)"

# Python 3.11 or later, with venv (Debian ships it separately as python3-venv).
python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Carnet needs Python 3.11 or later; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing python3-venv (Debian)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  else \
	    echo "Python's venv module is missing: run 'sudo apt-get install python3-venv' (Debian/Ubuntu)." >&2; exit 1; \
	  fi; }

$(BIN)/python:
	@$(MAKE) --no-print-directory python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever a lock file or pyproject.toml changes.
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# A demo instance on the embedded defaults (SQLite, files under ./var). Idempotent: a second
# run reuses the virtualenv, the database and the demo network.
run: install
	$(BIN)/carnet migrate --no-input -v 0
	$(BIN)/carnet collectstatic --no-input -v 0
	$(BIN)/carnet seed --demo --members $(DEMO_MEMBERS)
	$(BIN)/carnet serve --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser journeys; install it when missing and we are root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'" >&2; \
	    echo "(or set CARNET_CHROMIUM to another Chromium binary)." >&2; exit 1; \
	  fi; \
	fi

test: install-dev browser
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks print JSON (see docs/performance.md); they need PostgreSQL on 127.0.0.1:5432.
bench: install-dev
	@for script in bench/graph.py bench/search.py bench/feed.py bench/messaging.py bench/pages.py; do \
	  if [ -f $$script ]; then \
	    echo "== $$script --members $(BENCH_MEMBERS)" >&2; \
	    $(BIN)/python $$script --members $(BENCH_MEMBERS) || exit 1; \
	  fi; \
	done

# Re-resolve the lock files from pyproject.toml (pip-tools, in a virtualenv of its own so that
# it never changes the project's). Existing pins are kept unless UPGRADE=1.
lock: $(BIN)/python
	@[ -x $(VENV)/tools/bin/pip-compile ] || { $(PYTHON) -m venv $(VENV)/tools && \
	  $(VENV)/tools/bin/pip install --quiet "pip-tools==$(PIP_TOOLS_VERSION)"; }
	$(VENV)/tools/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  --no-emit-trusted-host $(if $(UPGRADE),--upgrade) --output-file requirements.lock pyproject.toml
	$(VENV)/tools/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  --no-emit-trusted-host $(if $(UPGRADE),--upgrade) --extra dev --constraint requirements.lock \
	  --output-file requirements-dev.lock pyproject.toml

messages: install-dev
	cd carnet && ../$(BIN)/django-admin makemessages -l fr --no-obsolete --ignore=static/carnet/vendor/*
	cd carnet && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
