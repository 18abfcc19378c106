# PMO Assistant: `make demo` sets up and runs the demo, `make test` sets up and runs every check.
# Both are safe to repeat: the virtual environment is rebuilt only when pyproject.toml changes.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TORCH := torch==2.13.0
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# With PMO_TEST_POSTGRES_URL set (as .ci/run does), these run a second time on PostgreSQL.
PG_TESTS ?= tests

# The install stamp is named after a hash of pyproject.toml (and the torch pin), so any change to the
# dependencies reinstalls and an unchanged tree skips straight to the work.
DEPS_HASH := $(shell (cat pyproject.toml; echo '$(TORCH)') | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(DEPS_HASH)

.PHONY: venv demo serve test lint pytest pytest-postgres browser bench clean-venv

venv: $(STAMP)

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# torch first, pinned: pip takes the CPU build of $(TORCH) that lies on this kind of machine's disk
	@# (find-links in pip's config); an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/python -m pip install -q '$(TORCH)'
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: venv
	$(BIN)/pmo db upgrade
	$(BIN)/pmo demo --no-serve
	$(BIN)/pmo serve --host $(HOST) --port $(PORT)

serve: venv
	$(BIN)/pmo db upgrade
	$(BIN)/pmo serve --host $(HOST) --port $(PORT)

test: lint pytest pytest-postgres

lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Browser tests drive Debian's chromium through Playwright's Python package; install it when missing.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
				|| echo "chromium could not be installed: browser tests will be skipped"; \
		else echo "no /usr/bin/chromium and not root: browser tests will be skipped"; fi; \
	fi

pytest: venv browser
	env -u PMO_TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

pytest-postgres: venv
	@if [ -n "$$PMO_TEST_POSTGRES_URL" ]; then \
		echo "Running $(PG_TESTS) on PostgreSQL ($$PMO_TEST_POSTGRES_URL)"; \
		PMO_TEST_DATABASE_URL="$$PMO_TEST_POSTGRES_URL" $(BIN)/python -m pytest $(PG_TESTS) $(PYTEST_ARGS); \
	else \
		echo "PMO_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (the suite ran on SQLite)."; \
	fi

# Speed figures (ingest vs raw encoder, unchanged re-ingest, search/ask latency at 10k chunks).
bench: venv
	$(BIN)/python -m bench $(BENCH_ARGS)

clean-venv:
	rm -rf $(VENV)
