# Practice League: `make run` serves the demo league; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
LEAGUE_DATA_DIR ?= ./var
export PORT LEAGUE_DATA_DIR

HTMX_VERSION := 2.0.11
HTMX_WS_VERSION := 2.0.4
IDIOMORPH_VERSION := 0.7.4

.PHONY: run test lint typecheck install install-test browser-deps vendor bench-live bench-upload bench-load clean \
	test-scale scale-deps bench-scoring bench-pages bench-uploads bench-push bench-speech speech-deps

$(BIN)/league: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(BIN)/league

install: $(BIN)/league

run: install
	$(BIN)/league migrate
	$(BIN)/league demo
	@echo
	@echo "  Practice League demo: http://127.0.0.1:$(PORT)/"
	@echo "  Sign in (password: practice):"
	@echo "    manager@demo.test   (manager)"
	@echo "    rep1@demo.test ... rep8@demo.test   (reps)"
	@echo "    admin@demo.test     (admin)"
	@echo
	$(BIN)/league serve --port $(PORT)

$(VENV)/.test-deps: $(BIN)/league
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install-test: $(VENV)/.test-deps browser-deps speech-deps

# Browser tests drive Debian's Chromium; Playwright cannot download its own here.
browser-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "Install Debian's chromium package (sudo apt-get install chromium)"; exit 1; fi; \
	fi

# Delivery tests and make bench-speech speak with espeak-ng (a Debian package).
speech-deps:
	@if ! command -v espeak-ng >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q espeak-ng; \
	  else echo "Install Debian's espeak-ng package (sudo apt-get install espeak-ng)"; exit 1; fi; \
	fi

# bench/ joins the lint once it exists.
LINT_PATHS := league tests $(wildcard bench)

lint: $(VENV)/.test-deps
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

typecheck: $(VENV)/.test-deps
	$(BIN)/mypy

test: install-test lint typecheck
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

# The scale-out suite: starts real PostgreSQL, Redis and SeaweedFS on loopback ports (temp
# dirs, stopped by pid at the end) and runs the database-touching tests on PostgreSQL plus
# tests/scale. Needs Debian's postgresql and redis-server packages.
$(VENV)/.scale-deps: $(VENV)/.test-deps pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,scale-test]'
	touch $@

scale-deps: $(VENV)/.scale-deps
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && command -v redis-server >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql redis-server; \
	  else echo "Install Debian's postgresql and redis-server packages"; exit 1; fi; }

test-scale: scale-deps
	$(BIN)/pytest -p no:cacheprovider --scale -m "not browser" $(PYTEST_ARGS)

vendor:
	rm -rf .vendor-tmp && mkdir .vendor-tmp
	cd .vendor-tmp && npm pack --silent htmx.org@$(HTMX_VERSION) htmx-ext-ws@$(HTMX_WS_VERSION) idiomorph@$(IDIOMORPH_VERSION)
	cd .vendor-tmp && for f in *.tgz; do mkdir "$${f%.tgz}" && tar xzf "$$f" -C "$${f%.tgz}"; done
	cp .vendor-tmp/htmx.org-$(HTMX_VERSION)/package/dist/htmx.min.js static/vendor/htmx.min.js
	cp .vendor-tmp/htmx-ext-ws-$(HTMX_WS_VERSION)/package/dist/ws.min.js static/vendor/htmx-ext-ws.min.js
	cp .vendor-tmp/idiomorph-$(IDIOMORPH_VERSION)/package/dist/idiomorph-ext.min.js static/vendor/idiomorph-ext.min.js
	printf 'htmx.org %s\nhtmx-ext-ws %s\nidiomorph %s\n' $(HTMX_VERSION) $(HTMX_WS_VERSION) $(IDIOMORPH_VERSION) > static/vendor/VERSIONS
	rm -rf .vendor-tmp

# Live fan-out: 1000 websocket clients, one change, latency vs a raw websockets server
# (BENCH_ARGS="--clients 3000" to change); the last line is JSON.
bench-live: $(VENV)/.test-deps
	$(BIN)/python bench/live.py $(BENCH_ARGS)

# One review submit at 500 reps x 10 rounds (time, SQL statements) next to a save that skips
# scoring, and a round's results under a 10 ms event-loop ticker; the last line is JSON.
bench-scoring: $(VENV)/.test-deps
	$(BIN)/python bench/scoring.py $(BENCH_ARGS)

# Today, Standings, Reviews, Judging, Team, Me and the TV board at 8, 60 and 500 reps:
# req/s and p99 at 20 clients next to a bare Starlette + Jinja2 page of the same HTML,
# plus SQL statements per page; the last line is JSON. BENCH_ARGS="--database postgres" runs it
# on a throwaway PostgreSQL (loopback port, temp dir, stopped by pid).
bench-pages: $(VENV)/.test-deps $(if $(findstring postgres,$(BENCH_ARGS)),scale-deps)
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

# How much a 20 MB upload raises the server's memory; the last line is JSON.
bench-upload: install
	$(BIN)/python bench/upload_memory.py

# 50 concurrent 10 MB uploads to local disk and to SeaweedFS (S3): throughput and peak server
# memory, vs the same bytes written by a bare loop; the last line is JSON.
bench-uploads: $(VENV)/.scale-deps
	$(BIN)/python bench/uploads.py $(BENCH_ARGS)

# 10 000 reminders to a loopback push service vs a bare pywebpush loop; the last line is JSON.
bench-push: $(VENV)/.test-deps
	$(BIN)/python bench/push.py $(BENCH_ARGS)

# Delivery feedback accuracy: espeak-ng speech through Opus and AAC, words per minute,
# pauses, key points and real-time factor; writes bench/reports/speech.md, last line JSON.
bench-speech: $(VENV)/.test-deps speech-deps
	$(BIN)/python bench/speech.py --report bench/reports/speech.md $(BENCH_ARGS)

# Monday rush: 200 reps upload, enter and review at once against the embedded default,
# then every accepted write is checked (BENCH_ARGS="--reps 50" to change); last line JSON.
# BENCH_ARGS="--scale": against two processes on PostgreSQL, Redis and SeaweedFS instead.
bench-load: $(VENV)/.test-deps $(if $(findstring --scale,$(BENCH_ARGS)),scale-deps)
	$(BIN)/python bench/load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
