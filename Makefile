# govbot: `make run` starts the bot from nothing; `make test` runs every check CI runs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

# `make test` runs the tests on one pytest-xdist worker per core; `make test WORKERS=0` runs them
# serially (see README).
WORKERS ?= auto

.PHONY: install run test lint clean rasa-env

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes, so an old .venv is refreshed. `make run` needs only
# the app; lint and tests add the dev extras.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUN_STAMP)

install: $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/govbot init
	$(BIN)/govbot serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	@echo "make test: the Rasa tests build Rasa's own Python 3.10 environment on first use"
	@echo "  (scripts/rasa_env.sh, ~2.7 GB in ~/.cache/govbot; skipped without Python 3.10);"
	@echo "  the browser tests need /usr/bin/chromium and a CJK font (.ci/run installs both;"
	@echo "  skipped without Chromium). Skipped tests and their reasons are listed at the end."
	$(BIN)/pytest $(if $(filter-out 0,$(WORKERS)),-n $(WORKERS) --dist loadgroup)

# The Rasa server's own Python 3.10 environment, outside the repository (tests build it too).
rasa-env:
	bash scripts/rasa_env.sh

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
