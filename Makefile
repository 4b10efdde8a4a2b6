# The two commands of the README: `make demo` and `make test` (plus `make bench`).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export GATEWAY_PARTNER_CONFIGS ?= partner_configs

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the dependency lists change.
$(VENV)/.installed: $(BIN)/python pyproject.toml sdk/pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]" -e "./sdk[jwt]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/gateway db upgrade
	@echo ""
	@echo "  Instalments gateway (development, SQLite at instance/gateway.db)"
	@echo "  ---------------------------------------------------------------"
	@echo "  API reference    http://$(HOST):$(PORT)/docs"
	@echo "  OpenAPI          http://$(HOST):$(PORT)/openapi.json"
	@echo "  Health           http://$(HOST):$(PORT)/healthz   readiness: /readyz   metrics: /metrics"
	@echo "  Next: read docs/index.md. Ctrl-C stops the server."
	@echo ""
	$(BIN)/gateway serve --host $(HOST) --port $(PORT) --workers 2

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy
	$(BIN)/mypy --strict sdk/src/instalments

pytest: $(VENV)/.installed
	$(BIN)/pytest
	$(BIN)/pytest -q -p no:cacheprovider -m "not slow" tests/sdk --cov=instalments --cov-config=sdk/pyproject.toml --cov-fail-under=100

test: lint typecheck pytest

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
