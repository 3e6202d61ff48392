# inodli: two commands do all set-up on a fresh machine (Python 3.11+, make):
#   make demo   build the synthetic 23-patient study and serve the application
#   make test   lint, type-check and run the whole test suite
# uv is installed from PyPI into .tools/ when it is not on PATH.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-postgres lint typecheck pytest bench format clean

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

setup: $(VENV)/.synced

demo: setup
	$(BIN)/inodli demo

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

test: lint typecheck pytest

# Every test that touches the database, again against a real PostgreSQL server.
test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} INODLI_DB_TESTS_ONLY=1 $(BIN)/pytest

bench: setup
	$(BIN)/python bench/stats_bench.py

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
