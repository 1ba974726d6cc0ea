# Two commands on a fresh machine:  make serve   and   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install serve build check test test-long messages benchmark clean golden

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-run the installers only when the pinned requirements change. The npm
# packages (html-validate, axe-core) are test tools; the site never uses them.
$(VENV)/.installed: requirements.txt requirements-dev.txt package.json package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

serve: install
	$(BIN)/python build.py serve --port $(PORT)

build: install
	$(BIN)/python build.py

check: install
	$(BIN)/python build.py check

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m panchina.catalogue --check
	$(BIN)/python -m pytest

# The warm-equals-cold state machine, longer than make test runs it.
test-long: install
	PANCHINA_STATEFUL_EXAMPLES=300 $(BIN)/python -m pytest tests/test_freshness.py

# Rewrite every message catalogue from the templates and the code: English whole, the others
# keeping their translations, new messages empty (then translate them and review git diff).
messages: install
	$(BIN)/python -m panchina.catalogue

golden: install
	$(BIN)/python -m tests.regenerate_golden

benchmark: install
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf output .cache .pytest_cache
