# The two commands a fresh machine needs: `make demo` and `make test`.
# Only Python 3.11 and a C compiler are assumed; uv is bootstrapped into .local/uv.

PYTHON ?= python3
UV := .local/uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint audit env backup screenshots

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

# The user guide's screenshots (docs/handleiding/afbeeldingen), taken anew by the browser tests.
# The monitor's come from a real Celery worker: they need Redis at CASEWORK_TEST_REDIS_URL.
screenshots: env
	@test -n "$$CASEWORK_TEST_REDIS_URL" || { echo "CASEWORK_TEST_REDIS_URL: a Redis for the monitor's screenshots"; exit 2; }
	CASEWORK_GUIDE_SCREENSHOTS=1 $(PY) -m tools.test -m browser $(PYTEST_ARGS)

# A backup of the database (DATABASE_URL, else the project-local one) to FILE: docs/backup.md.
backup: env
	@test -n "$(FILE)" || { echo "usage: make backup FILE=casework.dump"; exit 2; }
	$(PY) -m tools.backup backup "$(FILE)"

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy casework clients instruments monitoring demo tools

# Known vulnerabilities in the locked dependencies (every group: the dev tools run in CI too), from
# PyPI's advisory data. --strict fails on any package that could not be audited, so an unreachable
# service is an error, never a pass. Ignored ids live in .pip-audit-ignore, each with its reason.
AUDIT_REQUIREMENTS := .local/audit-requirements.txt
AUDIT_IGNORES = $(shell awk '!/^[[:space:]]*(\#|$$)/ {print "--ignore-vuln", $$1}' .pip-audit-ignore)

audit: env
	@awk '!/^[[:space:]]*(#|$$)/ && NF < 2 {print ".pip-audit-ignore:" NR ": " $$1 " has no reason"; bad = 1} END {exit bad}' .pip-audit-ignore
	$(UV) export --frozen --no-emit-project --all-groups --format requirements-txt --quiet \
		--output-file $(AUDIT_REQUIREMENTS)
	$(VENV)/bin/pip-audit --requirement $(AUDIT_REQUIREMENTS) --require-hashes --disable-pip \
		--strict --progress-spinner off $(AUDIT_IGNORES)
