# `make run` and `make test` are the contract; the rest helps.
SHELL := /bin/bash
# Django 6 needs Python 3.12+: use the newest Python found, else python3 (Django 5.2 LTS then).
PYTHON ?= $(shell for v in 3.13 3.12; do \
	  p=$$(command -v python$$v 2>/dev/null) && $$p -c '' 2>/dev/null && { echo $$p; exit; }; \
	  for p in $$HOME/.pyenv/versions/$$v*/bin/python$$v /usr/local/bin/python$$v; do [ -x $$p ] && { echo $$p; exit; }; done; \
	done; echo python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test setup deps lint bench eval browser clean

$(VENV)/.deps: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.deps: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.deps node_modules/.deps

setup: deps
	mkdir -p var/broker/queue var/broker/processed
	$(MANAGE) migrate --noinput

run: setup
	DEMO_FEEDS=1 INGEST_ALLOW_PRIVATE_NETWORKS=1 $(MANAGE) load_demo --login demo
	bin/run-demo

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)); \
	  else echo "Install Debian's chromium package for the browser tests"; exit 1; fi; }

test: deps browser
	$(MANAGE) makemigrations --check --dry-run >/dev/null
	$(PY) -m pytest $(PYTEST_ARGS)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

eval: deps
	@for set in gold gold_dev gold_holdout; do echo "== tests/$$set"; $(MANAGE) evaluate_tagger --gold tests/$$set || exit 1; done

bench: deps
	$(PY) -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf var db.sqlite3
