# stationplan: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: run test lint typecheck bench clean venv browser

# The virtual environment; recreated only when missing.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "error: '$(PYTHON) -m venv' failed. On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

venv: $(VENV)/.installed-run

## run: build the plan of the embedded default scenario into $(OUT)/
run: $(VENV)/.installed-run
	$(BIN)/stationplan run --out $(OUT)
	@echo "open $(OUT)/report.html"

## lint: ruff (lint + format check) and the import-layer contracts
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check $(wildcard src tests bench)
	$(BIN)/ruff format --check $(wildcard src tests bench)
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

## browser: Debian's Chromium for the report's browser tests (they skip, saying why, without it)
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	    echo "warning: apt-get could not install chromium; the browser tests will skip"; \
	  else echo "note: no chromium and no root apt-get; the browser tests will skip"; fi; }

## test: lint, type check and the test suite
test: lint typecheck browser
	$(BIN)/python -m pytest -q

## bench: every benchmark in bench/ (each prints a JSON line of figures last)
bench: $(VENV)/.installed-dev
	@set -e; for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis
