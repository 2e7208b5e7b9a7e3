# Carnet — two commands to start: `make run` (a demo instance) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_MEMBERS ?= 200
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-dev browser lint format bench bench-ci messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# A demo instance on the embedded default (SQLite under ./var): idempotent.
run: install
	$(BIN)/carnet migrate --no-input -v 0
	$(BIN)/carnet collectstatic --no-input -v 0
	$(BIN)/carnet seed --demo --members $(DEMO_MEMBERS)
	$(BIN)/carnet serve --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser journeys; install it when missing and we are root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "Browser tests need Debian's Chromium: run 'sudo apt-get install chromium'." >&2; exit 1; \
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

bench: install-dev
	$(BIN)/python bench/graph.py --members 10000
	$(BIN)/python bench/pages.py --members 10000

messages: install-dev
	cd carnet && ../$(BIN)/django-admin makemessages -l fr --no-obsolete --ignore=static/carnet/vendor/*
	cd carnet && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
