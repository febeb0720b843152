# reach: two commands on a fresh clone, `make report` and `make test`.
# Each target is one `python -m …` line after setup, so the README can show the same command
# for people without make.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help setup report sample test lint bench verify verify-env lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-15s %s\n", $$1, $$2}'
	@echo "  (make report MONTH=YYYY-MM renders a real month from data/raw/YYYY-MM)"

# Installing: uv when it is on PATH (seconds), else pip. `make report` installs only what running
# needs; `make test` and `make lint` add their extras on top.
UV := $(shell command -v uv 2>/dev/null)
INSTALL = $(if $(UV),uv pip install --quiet --python $(BIN)/python,$(BIN)/python -m pip install --quiet)
TEST_STAMP := $(VENV)/.test-installed-stamp
DEV_STAMP := $(VENV)/.dev-installed-stamp

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "reach needs Python 3.11 or newer (python3.11, python3.12 or python3.13 on PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(if $(UV),,$(BIN)/python -m pip install --quiet --upgrade pip)
	$(INSTALL) -e .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(INSTALL) -e ".[test]"
	@touch $(TEST_STAMP)

$(DEV_STAMP): $(TEST_STAMP)
	$(INSTALL) -e ".[dev]"
	@touch $(DEV_STAMP)

setup: $(STAMP) ## create .venv and install reach (what running needs)

report: $(STAMP) ## render the report: the bundled sample, or MONTH=YYYY-MM from data/raw/
	$(BIN)/python -m reach run $(if $(MONTH),--month $(MONTH),--sample)

sample: $(STAMP) ## regenerate the bundled synthetic sample (seed 2026)
	$(BIN)/python -m reach sample --out src/reach/sample_data --seed 2026 --force

test: $(TEST_STAMP) ## run the whole test suite (unit, integration, notebooks, doctests, browser)
	$(BIN)/python -m pytest

verify: $(TEST_STAMP) ## re-run MONTH=YYYY-MM from its recorded inputs and compare every number
	$(BIN)/python -m reach verify --month $(MONTH)

verify-env: ## install the exact versions of requirements/lock-py3.11.txt (for reviewers)
	@test -n "$(PYTHON)" || { echo "reach needs Python 3.11 or newer"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements/lock-py3.11.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

lock: $(STAMP) ## regenerate requirements/lock-py3.11.txt from pyproject.toml (needs uv)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu -o requirements/lock-py3.11.txt

lint: $(DEV_STAMP) ## check style: ruff check and ruff format --check (installs the dev extras)
	$(BIN)/python -m ruff check src tests benchmarks scripts
	$(BIN)/python -m ruff format --check src tests benchmarks scripts

bench: $(STAMP) ## speed targets, measured side by side (see benchmarks/README.md)
	$(BIN)/python benchmarks/batch.py
	$(BIN)/python benchmarks/backfill.py

clean: ## remove the virtual environment and caches (never data/raw)
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
