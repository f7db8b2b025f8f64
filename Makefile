# CommsNet: the two commands a fresh machine needs are `make run` and `make test`.
# Both install what is missing into the checkout first (.venv, node_modules, static/build).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= commsnet.settings
# `PORT=8001 make run` (or `make run PORT=8001`) serves on another port.
export PORT ?= 8000
# pytest-xdist processes for `make test` (0: run in this process). Each gets its own test database.
PYTEST_WORKERS ?= 2

.PHONY: install run test lint format bench seed-scale worker

install: $(VENV)/.installed node_modules/.installed static/build/app.css

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.installed scripts/build-assets.mjs $(wildcard static/scss/*.scss)
	npm run --silent build

# Serve the portal with demo data on http://127.0.0.1:$(PORT), and a task worker beside it.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	bash scripts/run.sh

# The whole suite on real PostgreSQL (embedded, or DATABASE_URL), browser journeys included.
test: install
	bash scripts/ensure-chromium.sh
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -n $(PYTEST_WORKERS)

# lint-imports: the apps' layers (pyproject.toml, docs/architecture.md).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: install
	$(PY) manage.py run_worker

# Speed on a large data set, in its own database (.pgdata-bench): seeds it if missing,
# serves with gunicorn and measures with wrk. Quick run: BENCH_DURATION=5 BENCH_WARMUP=1 make bench
bench: install
	$(PY) scripts/bench.py

seed-scale: install
	EMBEDDED_DB_DIR=$${EMBEDDED_DB_DIR:-.pgdata-bench} $(PY) manage.py migrate --noinput
	EMBEDDED_DB_DIR=$${EMBEDDED_DB_DIR:-.pgdata-bench} $(PY) manage.py seed_scale --if-missing
