# Sosialisasi: `make run` serves the app, `make test` runs every check (lint, types, every test
# with the browser tests). Every install takes its versions from constraints.txt (the lock).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
export FLASK_APP := wsgi

.PHONY: run dev test test-pg lint typecheck format bench setup-dev translations messages clean \
	chromium redis constraints bench-quick

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

PIP_INSTALL := $(BIN)/pip install --quiet -c constraints.txt

$(VENV)/.runtime: requirements.txt constraints.txt | $(BIN)/activate
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt constraints.txt | $(BIN)/activate
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

$(VENV)/.bench: requirements-bench.txt $(VENV)/.dev
	$(PIP_INSTALL) -r requirements-bench.txt
	touch $@

# After changing a requirements file: install it, then lock what is installed (every transitive
# version) into constraints.txt. Run in a fresh venv (`make clean`) so nothing stale is locked.
constraints: | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-bench.txt
	{ sed -n '1,/^# Regenerate/p' constraints.txt; $(BIN)/pip freeze --exclude-editable; } \
		> constraints.txt.new
	mv constraints.txt.new constraints.txt

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
	@if [ -f instance/demo-accounts.txt ]; then cat instance/demo-accounts.txt; \
		echo "(tersimpan di instance/demo-accounts.txt, hanya dapat dibaca pemilik berkas)"; echo ""; fi
	@echo "Sosialisasi berjalan di http://127.0.0.1:$(PORT)  (Ctrl+C untuk berhenti)"
	@# The web server and the job worker together (sosialisasi/jobs); Ctrl+C stops both.
	@$(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
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

# Redis for the two-instance check (bench/two_instances.py, .ci/run): installed from Debian.
redis:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Memasang redis-server (Debian) untuk uji dua instans..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "Uji dua instans memerlukan redis-server: jalankan 'sudo apt-get install redis-server'."; \
	    exit 1; \
	  fi; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check sosialisasi tests bench wsgi.py

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format sosialisasi tests bench wsgi.py

typecheck: $(VENV)/.dev
	$(BIN)/mypy

test: $(VENV)/.dev translations chromium
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# The same suite against PostgreSQL (used by .ci/run).
test-pg: $(VENV)/.dev translations chromium
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest

# Benchmarks (docs/performance.md): one table of ratios, bench/results.json. wrk and Chromium are
# installed from Debian by the scripts when missing; PostgreSQL is started when installed.
bench: $(VENV)/.bench translations
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { \
	  command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -1)" main start && \
	  for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; } || \
	  echo "PostgreSQL is not running: its figures are reported as not measured."
	$(BIN)/python -m bench

# Every bench script end to end at tiny sizes (a few minutes): checks that they still run.
bench-quick: $(VENV)/.bench translations
	$(BIN)/pytest -m slow tests/bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
