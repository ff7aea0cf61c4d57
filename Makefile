# Thân Thiện — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL run of the suite; pytest-django creates and drops test_thanthien.
PG_URL ?= postgres://postgres@127.0.0.1:5432/thanthien
export PIP_DISABLE_PIP_VERSION_CHECK := 1
MSG_IGNORE := --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench --ignore=var --ignore=staticfiles --ignore=artifacts

.PHONY: demo test setup messages makemessages lint migrations-check test-sqlite test-postgres browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Compiled translations (.mo) are built, not committed; msgfmt comes from gettext.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	$(BIN)/python manage.py compilemessages -v0 $(MSG_IGNORE)

makemessages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l en --no-obsolete --no-location $(MSG_IGNORE)

setup: $(VENV)/.installed messages

# The notification dispatcher runs beside the server; Ctrl-C (or any exit) stops both.
demo: setup
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	@echo "Thân Thiện: http://$(HOST):$(PORT)/ — tin nhắn gửi đi ghi vào var/outbox.log"
	$(BIN)/python manage.py dispatch_notifications --loop & dispatcher=$$!; \
	trap 'kill $$dispatcher 2>/dev/null; wait $$dispatcher 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (never a downloaded browser), axe-core from npm.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: $(VENV)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run -v1

test-sqlite: setup browser
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: setup browser
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test: setup browser lint migrations-check test-sqlite test-postgres

# The dossier benchmarks need PostgreSQL (COPY is their baseline); the 1,000,000-dossier run
# takes several minutes. Quick run: make bench BENCH_DOSSIERS=20000 BENCH_COMMUNES=10;
# BENCH_ARGS=--write updates docs/PERFORMANCE.md.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/thanthien_bench
BENCH_DOSSIERS ?= 1000000
BENCH_COMMUNES ?= 100
BENCH_RESPONSES ?= 100000
bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench.dossiers --database-url $(BENCH_PG_URL) --dossiers $(BENCH_DOSSIERS) \
		--communes $(BENCH_COMMUNES) $(BENCH_ARGS)
	$(BIN)/python -m bench.surveys --responses $(BENCH_RESPONSES) $(BENCH_ARGS)
	$(BIN)/python -m bench.surveys --database-url $(BENCH_PG_URL) --responses $(BENCH_RESPONSES) \
		$(BENCH_ARGS)
	$(BIN)/python -m bench.letters $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache .ruff_cache
