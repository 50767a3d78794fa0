# Passage: `make run` starts the app on its embedded defaults; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

## Install, initialise PASSAGE_HOME, load demo data if the database is new, serve on 127.0.0.1:8000.
run: $(VENV)/.installed
	$(BIN)/passage demo

## Install what the tests need (Debian's Chromium included) and run every check on SQLite and PostgreSQL.
test: $(VENV)/.installed-test
	scripts/test-all

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy .

## Re-extract and compile the translations after changing user-facing strings.
messages: $(VENV)/.installed-test
	$(BIN)/passage makemessages --locale ko --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'build/*'
	$(BIN)/passage compilemessages --locale ko --ignore '.venv/*' --ignore 'var/*' --ignore 'build/*'

clean:
	rm -rf $(VENV) var/test
