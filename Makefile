PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Test processes side by side (pytest-xdist); a test file stays in one process.
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install install-dev run worker demo migrate test test-fast lint format check-deploy system-deps backup restore bench

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed ## Create .venv and install the app

install-dev: $(VENV)/.installed-dev ## Install the app with test and lint tools

migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo office and print the demo logins
	$(BIN)/python manage.py load_demo

run: demo ## Install, migrate, load the demo and serve http://127.0.0.1:8000 with a task worker beside it
	@PYTHON=$(BIN)/python scripts/worker.sh & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

worker: migrate ## Run the task worker alone (database queue; RQ when REDIS_URL is set)
	PYTHON=$(BIN)/python scripts/worker.sh

system-deps: ## Install PostgreSQL, Redis, Pango/libthai, Chromium and LibreOffice Calc with apt where missing
	scripts/system-deps.sh

test: install-dev system-deps ## Lint, then run the whole suite on a throwaway PostgreSQL
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	scripts/with-postgres.sh $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-fast: install-dev ## Run the suite on SQLite, without browser tests
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

bench: install ## Run the benchmarks in bench/ (plan book, workbook import, load, 20 books on RQ, the 245-office network)
	$(BIN)/python bench/plan_book.py
	$(BIN)/python bench/book_incremental.py
	$(BIN)/python bench/book_incremental.py --load
	$(BIN)/python bench/import_costlines.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/rq_offices.py
	$(BIN)/python bench/network.py

lint: install-dev ## Check code with ruff and the layers with import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev ## Format code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: install ## Run Django's deployment checks with production-like values
	DJANGO_ENV=production SECRET_KEY=check-deploy-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz \
		ALLOWED_HOSTS=phaen.example.go.th $(BIN)/python manage.py check --deploy --fail-level WARNING

backup: install ## Back up the database and every file under MEDIA_ROOT to one var/backups/*.tar.gz
	$(BIN)/python manage.py backup

restore: install ## Restore the database and MEDIA_ROOT from FILE=… (asks first; YES=1 skips the question)
	@test -n "$(FILE)" || (echo "ใช้: make restore FILE=var/backups/….tar.gz" && exit 2)
	$(BIN)/python manage.py restore "$(FILE)" $(if $(YES),--yes)
