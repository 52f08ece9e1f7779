# Sosialisasi: `make run` serves the app, `make test` runs every test (browser tests included).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
export FLASK_APP := wsgi

.PHONY: run dev test test-pg lint format bench setup-dev translations messages clean chromium

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d sosialisasi/translations -f

# After adding or changing texts: extract them (templates and Python) and update the English
# catalogue; then translate the new empty entries (tests/test_translations.py checks it).
messages: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k lazy_pgettext:1c,2 --sort-by-file \
		--project Sosialisasi -o sosialisasi/translations/messages.pot .
	$(BIN)/pybabel update -i sosialisasi/translations/messages.pot -d sosialisasi/translations \
		--no-fuzzy-matching --ignore-obsolete

instance:
	mkdir -p instance

run: $(VENV)/.runtime translations | instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask demo --if-empty
	@echo ""
	@if [ -f instance/demo-accounts.txt ]; then cat instance/demo-accounts.txt; echo ""; fi
	@echo "Sosialisasi berjalan di http://127.0.0.1:$(PORT)  (Ctrl+C untuk berhenti)"
	$(BIN)/gunicorn --workers $(WORKERS) --worker-class sync --bind 127.0.0.1:$(PORT) \
		--access-logfile - wsgi:app

dev: $(VENV)/.runtime translations | instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask demo --if-empty
	$(BIN)/flask run --debug --port $(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Memasang Chromium (Debian) untuk tes peramban..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Tes peramban memerlukan /usr/bin/chromium: jalankan 'sudo apt-get install chromium'."; \
	    exit 1; \
	  fi; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check sosialisasi tests bench wsgi.py

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format sosialisasi tests bench wsgi.py

test: $(VENV)/.dev translations chromium
	$(BIN)/ruff check .
	$(BIN)/pytest

# The same suite against PostgreSQL (used by .ci/run).
test-pg: $(VENV)/.dev translations chromium
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest

# Benchmarks (docs/performance.md): one table of ratios, bench/results.json. wrk and Chromium are
# installed from Debian by the scripts when missing; PostgreSQL is started when installed.
bench: $(VENV)/.dev translations
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { \
	  command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -1)" main start && \
	  for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; } || \
	  echo "PostgreSQL is not running: its figures are reported as not measured."
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
