# The two commands a fresh machine needs: `make demo` and `make test`.
# Only Python 3.11 and a C compiler are assumed; uv is bootstrapped into .local/uv.

PYTHON ?= python3
UV := .local/uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint env

$(UV):
	$(PYTHON) -m venv .local/uv
	.local/uv/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

env: $(VENV)/.synced

demo: env
	$(PY) -m tools.demo

test: env
	$(PY) -m tools.test $(PYTEST_ARGS)

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy casework clients instruments monitoring demo tools
