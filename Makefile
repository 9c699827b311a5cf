# Renda: the two commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install system-packages demo test test-sqlite test-postgres test-fast fuzz lint bench bench-load clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

# Creates .venv/ and installs Renda with its locked dependencies (uv.lock).
install: $(UV)
	$(UV) sync --frozen --extra dev --quiet

# Debian packages the tests need (chromium, CJK fonts, poppler): installed when missing.
system-packages:
	tools/system-packages

# The demo runs as production does (DEBUG off: Chinese error pages, hashed static files served
# by WhiteNoise after collectstatic), with a secret key and a personal-data key it generates once
# and keeps under var/ (RENDA_SECRET_KEY, RENDA_DATA_KEYS win when set), over plain HTTP on
# 127.0.0.1 (RENDA_HTTPS=0: no redirect to HTTPS, no HSTS, cookies without the Secure flag). `make demo RENDA_DEBUG=1` debugs.
DEMO_VAR := $(or $(RENDA_VAR_DIR),var)
demo: export RENDA_DEBUG ?= 0
demo: export RENDA_HTTPS ?= 0
# The demo accounts are shared (one published password): no second factor is required there.
demo: export RENDA_2FA_ENFORCE ?= 0
demo: export RENDA_SECRET_KEY_FILE ?= $(DEMO_VAR)/secret.key
demo: export RENDA_DATA_KEYS_FILE ?= $(DEMO_VAR)/data.key

# Migrate, rebuild the demo year, start the job consumer and serve on 127.0.0.1:$(PORT).
demo: install
	@test -n "$$RENDA_SECRET_KEY" || test -s "$$RENDA_SECRET_KEY_FILE" || $(BIN)/python -c \
	  "import os, secrets, sys; os.makedirs(os.path.dirname(sys.argv[1]) or '.', exist_ok=True); os.umask(0o077); \
	  open(sys.argv[1], 'w').write(secrets.token_urlsafe(50))" "$$RENDA_SECRET_KEY_FILE"
	@test -n "$$RENDA_DATA_KEYS" || test -s "$$RENDA_DATA_KEYS_FILE" || $(BIN)/python -c \
	  "import base64, os, sys; os.makedirs(os.path.dirname(sys.argv[1]) or '.', exist_ok=True); os.umask(0o077); \
	  open(sys.argv[1], 'w').write(base64.urlsafe_b64encode(os.urandom(32)).decode())" "$$RENDA_DATA_KEYS_FILE"
	$(BIN)/renda migrate --verbosity 0
	$(BIN)/renda collectstatic --noinput --verbosity 0
	$(BIN)/renda load_demo
	@echo "智慧人大演示：http://127.0.0.1:$(PORT)/  （门户）  http://127.0.0.1:$(PORT)/accounts/login/  （登录）  http://127.0.0.1:$(PORT)/api/docs  （接口）"
	@trap 'kill $$JOBS 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/renda run_huey --quiet & JOBS=$$!; \
	  $(BIN)/renda runserver 127.0.0.1:$(PORT)

# Every test once: on PostgreSQL (production) all but the browser tests; on SQLite (the
# embedded default) the browser tests and the files with a branch per database (marker
# embedded, tests/conftest.py). Without a PostgreSQL server (and RENDA_REQUIRE_POSTGRES unset,
# CI sets it) everything runs on SQLite, with a notice.
PG_URL = $${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renda}

test: install system-packages
	$(MAKE) lint
	@if $(BIN)/python -m renda.config.pgcheck "$(PG_URL)"; then \
	  env -u DATABASE_URL $(PYTEST) -m "browser or embedded" && DATABASE_URL="$(PG_URL)" $(PYTEST) -m "not browser"; \
	elif [ "$${RENDA_REQUIRE_POSTGRES:-0}" = 1 ]; then echo "PostgreSQL is required but not reachable at $(PG_URL)"; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): every test runs on SQLite."; env -u DATABASE_URL $(PYTEST); fi

# Tests run in parallel (pytest-xdist): a process per core, at most four.
PYTEST := $(BIN)/pytest -q -n auto --maxprocesses=4

# The whole suite on one database.
test-sqlite: install
	env -u DATABASE_URL $(PYTEST)

test-postgres: install
	DATABASE_URL="$(PG_URL)" $(PYTEST) -m "not browser"

test-fast: install
	$(BIN)/pytest -q -m "not browser" -x

# The fuzz tests (marker fuzz) with a large random budget: RENDA_FUZZ_EXAMPLES examples per
# API operation and role and per importer/extractor property (make test runs them bounded and
# derandomized). Long: hours at 200; `make fuzz RENDA_FUZZ_EXAMPLES=20` for a shorter pass.
RENDA_FUZZ_EXAMPLES ?= 200
fuzz: install
	RENDA_FUZZ_EXAMPLES=$(RENDA_FUZZ_EXAMPLES) $(BIN)/pytest -q -m fuzz -p no:logging

# ruff: lint rules and formatting, checked (make format applies the formatting).
lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

format: install
	$(BIN)/ruff check --fix src tests bench tools
	$(BIN)/ruff format src tests bench tools

# bench.votes: the vote storm (issue 14) against gunicorn and the local PostgreSQL (bench/README.md).
bench: install
	$(BIN)/python -m bench
	$(BIN)/python -m bench.ledger
	$(BIN)/python -m bench.articles
	$(BIN)/python -m bench.votes

# The plenary peak against gunicorn and PostgreSQL (bench/README.md): a scratch database
# renda_load on the local server, created and dropped. Options: make bench-load LOAD_ARGS="--workers 4 --threads 2"
bench-load: install
	$(BIN)/python -m bench.load $(LOAD_ARGS)

clean:
	rm -rf var/ .pytest_cache
