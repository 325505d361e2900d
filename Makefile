# One task runner. `make run` and `make test` do all set-up on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= data/emergency.duckdb
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: install etl run test eval lint bench check-system clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# exit 3 = finished with quarantined inputs: still a usable database
etl: install
	$(PY) -m etl run --reports data/reports --db $(DB) || [ $$? -eq 3 ]

run: etl
	$(PY) -m dashboard --db $(DB) --host $(HOST) --port $(PORT)

# installs missing Debian packages (Chromium, a CJK font) as root or with passwordless sudo; else says how
check-system: install
	$(PY) -m tests.system_check --install

test: install check-system
	$(PY) -m pytest -q

# seeds and development set scored separately: counts, misses and false positives by indicator, refused reports
eval: install
	@echo "== seeds: data/reports against tests/gold/seeds.jsonl"
	@$(PY) -m etl.score tests/gold/seeds.jsonl --extract data/reports --show
	@echo
	@echo "== development set: tests/corpus-dev against tests/gold/dev.jsonl"
	@$(PY) -m etl.score tests/gold/dev.jsonl --extract tests/corpus-dev --show

lint: install
	$(PY) -m ruff check etl dashboard tests
	$(PY) -m ruff format --check etl dashboard tests

clean:
	rm -rf $(VENV) $(DB)
