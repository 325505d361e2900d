# One task runner. `make run` and `make test` do all set-up on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= data/emergency.duckdb
HOST ?= 127.0.0.1
PORT ?= 8050
# `make serve`: gunicorn worker processes × threads each, and the Chromiums of the one export service
WORKERS ?= 4
THREADS ?= 4
BROWSERS ?= 1

.PHONY: install etl run serve load-test test eval lint bench bench-dash check-system clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# exit 3 = finished with quarantined inputs: still a usable database; the review desk's uploads (beside the
# database) are read with the bundled reports
etl: install
	$(PY) -m etl run --reports data/reports --uploads $(dir $(DB))uploads --db $(DB) || [ $$? -eq 3 ]

run: etl
	$(PY) -m dashboard --db $(DB) --host $(HOST) --port $(PORT)

# production: several worker processes reading the database read-only, one shared image-export service
serve: etl
	DASHBOARD_DB=$(DB) DASHBOARD_EXPORT_BROWSERS=$(BROWSERS) $(VENV)/bin/gunicorn -c python:dashboard.gunicorn_conf \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --threads $(THREADS) dashboard.wsgi:server

# 20 simulated managers changing filters for 60 s on gunicorn while the ETL rebuilds the database twice
load-test: install
	$(PY) -m tests.load_test

# installs missing Debian packages (Chromium, a CJK font) as root or with passwordless sudo; else says how
check-system: install
	$(PY) -m tests.system_check --install

# one pytest-xdist worker per core (nproc: the cores this process may use); TEST_WORKERS=1 for one
TEST_WORKERS ?= $(shell nproc)
test: install check-system
	$(PY) -m pytest -q -n $(TEST_WORKERS) --durations=15

# seeds and development set scored separately: counts, misses and false positives by indicator, refused reports
eval: install
	@echo "== seeds: data/reports against tests/gold/seeds.jsonl"
	@$(PY) -m etl.score tests/gold/seeds.jsonl --extract data/reports --show
	@echo
	@echo "== development set: tests/corpus-dev against tests/gold/dev.jsonl"
	@$(PY) -m etl.score tests/gold/dev.jsonl --extract tests/corpus-dev --show

# ETL on the scale corpus (300 cities x 2015-2024, made in a temp folder) against a bare scan of the same
# files: documents/s, MB/s, peak memory, re-runs. Figures, no pass/fail. BENCH_ETL_ARGS="--corpus DIR"
.PHONY: bench-etl
bench-etl: install
	$(PY) -m tests.bench_etl $(BENCH_ETL_ARGS)

# the dashboard at 300 areas × 10 years: 200 filter changes over loopback HTTP, p50/p95 per callback, largest payload
bench-dash: install
	$(PY) -m tests.bench_dash

lint: install
	$(PY) -m ruff check etl dashboard review tests
	$(PY) -m ruff format --check etl dashboard review tests

clean:
	rm -rf $(VENV) $(DB)
