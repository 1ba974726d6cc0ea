# Two commands on a fresh machine:  make serve   and   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install serve build check test benchmark clean golden

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
	$(BIN)/python -m pytest

golden: install
	$(BIN)/python -m tests.regenerate_golden

benchmark: install
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf output .cache .pytest_cache
