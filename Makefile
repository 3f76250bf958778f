# The two commands of the README's quick start, and a few more for development.
.PHONY: demo test setup lint format serve worker bench

demo:  ## Set up (first time) and run the demo instance on SQLite at http://127.0.0.1:8000
	@scripts/setup
	@.venv/bin/civicflow demo

test:  ## Set up (first time) and run the whole test suite on SQLite and PostgreSQL
	@scripts/test

setup:
	@scripts/setup --dev

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy civicflow

format:
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

bench:
	@scripts/setup --dev && .venv/bin/python -m bench
