# govbot: `make run` starts the bot from nothing; `make test` runs every check CI runs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint clean rasa-env

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes, so an old .venv is refreshed.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/govbot init
	$(BIN)/govbot serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# The Rasa server's own Python 3.10 environment, outside the repository (tests build it too).
rasa-env:
	bash scripts/rasa_env.sh

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
