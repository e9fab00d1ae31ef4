# CRM Lens: `make run` serves the dashboard, `make test` runs every test (browser tests included).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
# Private by default: loopback only. Another address (HOST=0.0.0.0) needs sign-in configured
# (users in the store or OIDC in .streamlit/secrets.toml); `serve-check` refuses otherwise.
HOST   ?= 127.0.0.1
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup test-setup browser java lint bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

$(VENV)/.spark-installed: $(VENV)/.installed requirements-spark.txt
	$(PY) -m pip install -q -r requirements-spark.txt
	touch $@

setup: $(VENV)/.installed

test-setup: $(VENV)/.test-installed $(VENV)/.spark-installed browser java

# Debian's Chromium and a CJK font for the browser tests (never `playwright install`).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
	fi

# A Java runtime for the Spark engine's tests (Debian's default JRE).
java:
	@if ! command -v java >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null; \
	fi

# The server runs with two malloc arenas: each session's script thread otherwise grows arenas
# of its own (scripts/benchmark_browser.py, 250k customers: +204-217 MB per extra session,
# +169-172 MB with two).
run: export MALLOC_ARENA_MAX = 2
run: setup
	$(PY) -m crm_logic load-sample --if-empty
	$(PY) -m crm_logic serve-check $(HOST) --port $(PORT)
	$(PY) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT)

test: test-setup
	$(PY) -m ruff check .
	$(PY) -m pytest -q

lint: $(VENV)/.test-installed
	$(PY) -m ruff check .

bench: $(VENV)/.test-installed $(VENV)/.spark-installed java browser
	$(PY) scripts/benchmark.py
	nice $(PY) scripts/benchmark_e2e.py
	$(PY) scripts/benchmark_browser.py  # the e2e store in a browser: page times, server memory

clean:
	rm -rf $(VENV) data/crm.duckdb data/crm.duckdb.wal
