# Two commands set up everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# One stamp per requirements set, so switching between `make serve` (runtime only) and
# `make test` (runtime, tests and lint) installs what the target needs and nothing more.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
N ?= 100000
# Test processes: one per core by default; TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

.PHONY: run serve test check-datasets lint format install install-runtime catalogues messages migrate seed bench backup restore clean

define make_venv
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
endef

$(RUNTIME_STAMP): requirements.txt
	$(make_venv)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(RUNTIME_STAMP)

# The development set includes the runtime one, so it leaves the runtime stamp fresh too.
$(DEV_STAMP): requirements.txt requirements-dev.txt
	$(make_venv)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $(DEV_STAMP)

install-runtime: $(RUNTIME_STAMP)

install: $(DEV_STAMP)

# The interface's Italian and Japanese catalogues (locale/*/LC_MESSAGES/django.po), compiled
# to the .mo files Django reads; needs GNU gettext's msgfmt (`apt-get install gettext`).
messages: install-runtime
	@command -v msgfmt >/dev/null 2>&1 || (echo "msgfmt not found: install GNU gettext (apt-get install gettext)" >&2; exit 2)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0

# Collect every marked string into the catalogues (new ones untranslated, gone ones dropped);
# tests/test_catalogues.py runs the same and fails on any string left out or untranslated.
catalogues: install
	$(PY) manage.py makemessages --no-obsolete --no-location -e html,txt,py -l it -l ja \
		-i .venv -i node_modules -i bench -i tests -i docs -i examples -i staticfiles

migrate: install messages
	DEBUG=true $(PY) manage.py migrate --noinput

seed: migrate
	DEBUG=true $(PY) manage.py load_seed --demo-users

run: seed
	@echo ""
	@echo "  Commitment tracker: http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  Demo logins: admin / $${TRACKER_DEMO_PASSWORD:-demo} (superuser), analyst / $${TRACKER_DEMO_PASSWORD:-demo} (Analysts)"
	@echo ""
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Production on one machine: gunicorn, WhiteNoise for static files, DEBUG off.
# Needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL in the environment (see README).
WORKERS ?= 3
serve: install-runtime messages
	DEBUG=false $(PY) manage.py check --deploy --fail-level WARNING
	DEBUG=false $(PY) manage.py migrate --noinput
	DEBUG=false $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=false $(BIN)/gunicorn tracker.wsgi:application --config tracker/gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT)

# A complete, versioned export of the data; `make restore FILE=...` loads one into an empty database.
BACKUP_DIR ?= backups
backup: install-runtime
	$(PY) manage.py backup $(BACKUP_DIR)/tracker-$$(date -u +%Y%m%dT%H%M%SZ).json

restore: install-runtime
	@test -n "$(FILE)" || (echo "Usage: make restore FILE=backups/tracker-....json" >&2; exit 2)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore "$(FILE)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint messages
	DEBUG=false SECRET_KEY=test-only-secret-key $(PY) manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Import every full dataset in ../shared/data with its mapping and check that every
# rating is evidenced and current, and that the UK years 2014-2023 give one commitment per
# project (a few minutes; `make test` uses the samples).
check-datasets: install
	FULL_DATASETS=1 $(BIN)/pytest -n 0 tests/test_import_datasets.py tests/test_import_series.py -k every_shipped_dataset

# Speed and query counts at N commitments (see bench/__main__.py); `make bench N=2000` is quick.
bench: install
	$(PY) -m bench --n $(N) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
