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

DEMO_CREDENTIALS := instance/demo-mall-sandbox.json
DEMO_SHOP_PARTNERS := demo-mall demo-travel demo-academy
SHOP_URL := http://$(HOST):5055/
# Print the demo partner's sandbox credentials and a curl to get a token.
define DEMO_HINTS
import json
c = json.load(open("$(DEMO_CREDENTIALS)"))
base = "http://$(HOST):$(PORT)"
print("  Sandbox partner  demo-mall (credentials in $(DEMO_CREDENTIALS))")
print("    client_id      " + c["client_id"])
print("    client_secret  " + c["client_secret"])
print("  Get a token:")
print("    curl -s -u " + c["client_id"] + ":" + c["client_secret"] + " -d grant_type=client_credentials " + base + "/oauth/token")
print("  Call the API with it:")
print("    curl -s -H \"Authorization: Bearer <access_token>\" \"" + base + "/v1/products?amount=3999.00&currency=CNY\"")
endef
export DEMO_HINTS

DEMO_ADMIN := instance/ops-admin.json
# How to sign in to the operations console as the demo admin (docs/operations.md).
define OPS_HINTS
import json
a = json.load(open("$(DEMO_ADMIN)"))
print("  Ops console      http://$(HOST):$(PORT)/ops/   (credentials in $(DEMO_ADMIN))")
print("    e-mail         " + a["email"] + " (admin)")
print("    password       " + a["one_time_password"] + "   (one-time: you choose a new one at first sign-in)")
print("    TOTP secret    " + a["totp_secret"] + "   (add it to an authenticator app, or use the URI)")
print("    TOTP URI       " + a["totp_uri"])
print("    current code   $(BIN)/python -m gateway.ops.totp $(DEMO_ADMIN)")
endef
export OPS_HINTS

demo: $(VENV)/.installed
	$(BIN)/gateway db upgrade
	$(BIN)/gateway partners apply $(GATEWAY_PARTNER_CONFIGS)
	@# Sandbox credentials for demo-mall on first run (the secret is shown once, so keep it, mode 0600).
	@test -s $(DEMO_CREDENTIALS) || ( umask 077 && \
	  ( $(BIN)/gateway clients issue demo-mall --env sandbox --json \
	    || $(BIN)/gateway clients rotate demo-mall --env sandbox --grace 0s --json ) \
	  > $(DEMO_CREDENTIALS).tmp && mv $(DEMO_CREDENTIALS).tmp $(DEMO_CREDENTIALS) )
	@# The demo shop's other storefronts, and a webhook secret for each (kept the same way).
	@for p in $(DEMO_SHOP_PARTNERS); do \
	  test -s instance/$$p-sandbox.json || ( umask 077 && \
	    ( $(BIN)/gateway clients issue $$p --env sandbox --json \
	      || $(BIN)/gateway clients rotate $$p --env sandbox --grace 0s --json ) \
	    > instance/$$p-sandbox.json.tmp && mv instance/$$p-sandbox.json.tmp instance/$$p-sandbox.json ) || exit 1; \
	  test -s instance/$$p-webhook.json || ( umask 077 && \
	    $(BIN)/gateway webhooks secret $$p --env sandbox --json > instance/$$p-webhook.json.tmp \
	    && mv instance/$$p-webhook.json.tmp instance/$$p-webhook.json ) || exit 1; \
	done
	@# A demo admin for the operations console (/ops), kept the same way.
	@test -s $(DEMO_ADMIN) || ( umask 077 && \
	  $(BIN)/gateway ops users add admin@bank.example --role admin --json > $(DEMO_ADMIN).tmp \
	  && mv $(DEMO_ADMIN).tmp $(DEMO_ADMIN) )
	@echo ""
	@echo "  Instalments gateway (development, SQLite at instance/gateway.db)"
	@echo "  ---------------------------------------------------------------"
	@echo "  API reference    http://$(HOST):$(PORT)/docs"
	@echo "  OpenAPI          http://$(HOST):$(PORT)/openapi.json"
	@echo "  Health           http://$(HOST):$(PORT)/healthz   readiness: /readyz   metrics: /metrics"
	@$(BIN)/python -c "$$DEMO_HINTS"
	@$(BIN)/python -c "$$OPS_HINTS"
	@echo "  Onboarding: docs/partners-onboarding.md   Authentication: docs/authentication.md"
	@echo "  Demo shop        $(SHOP_URL)   (mall; travel on :5056, academy on :5057)"
	@echo "                   sandbox phones: +8613800000001 approved, +8613800000002 declined (docs/widget.md)"
	@echo "  Next: read docs/index.md. Ctrl-C stops the server, the shop and the workers."
	@echo ""
	@# The shop, the underwriting worker and the webhook worker run beside the server
	@# and are stopped with it.
	@$(BIN)/gateway applications work & work=$$!; \
	  $(BIN)/gateway webhooks deliver & deliver=$$!; \
	  $(BIN)/python -m examples.demo_shop --gateway http://$(HOST):$(PORT) --host $(HOST) & shop=$$!; \
	  trap 'kill $$work $$deliver $$shop 2>/dev/null' EXIT INT TERM; \
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

# The load benchmark (docs/performance.md) drives a gunicorn gateway with wrk
# (Debian package, installed here when missing), then the micro-benchmarks run.
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
	$(BIN)/python -m benchmarks.load
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
