# Two commands matter: `make run` (the portal, embedded defaults) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# The real Loket's form library (npm), for the differential test of the form engine; only where npm exists.
NODE_DIR := var/node
NODE_STAMP := $(NODE_DIR)/.installed

.PHONY: run test lint audit lock worker migrate demo messages browser clamav node clean backup restore-drill faults faults-pg fuzz load

# The locked versions (requirements.lock) constrain what pyproject.toml allows: every venv, CI's too, is the same.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

## Refresh requirements.lock: the newest versions pyproject.toml allows, resolved in a fresh venv (then `make audit`).
LOCK_VENV := var/lock-venv
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e ".[test]"
	{ echo "# Every Python package of the Loket and its tests, pinned (pip freeze of a fresh venv: \`make lock\` refreshes"; \
	  echo "# it). \`make .venv/.installed\` installs with these as constraints; \`make audit\` checks them with pip-audit."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; } > requirements.lock
	rm -rf $(LOCK_VENV)

## pip-audit over requirements.lock: fails on a known vulnerability with a fix (exceptions: security/pip-audit-exceptions.toml).
audit: $(STAMP)
	$(PY) scripts/audit_dependencies.py

migrate: $(STAMP)
	LOKET_DEV=1 $(PY) manage.py migrate --noinput

demo: migrate
	LOKET_DEV=1 $(PY) manage.py load_demo --submissions 6

## The portal on http://127.0.0.1:$(PORT) with demo data, development login and a task worker.
run: demo
	@echo "Loket: http://127.0.0.1:$(PORT)/  (development login enabled)"
	@trap 'kill 0' EXIT INT TERM; \
	LOKET_DEV=1 $(PY) manage.py worker --interval 1 --older-than 0 & \
	LOKET_DEV=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: $(STAMP)
	$(PY) manage.py worker

## The whole test suite (SQLite, or PostgreSQL when DATABASE_URL points to it).
test: $(STAMP) browser clamav node
	LOKET_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m ruff check src tests bench
	LOKET_TESTING=1 $(PY) -m mypy
	$(PY) scripts/audit_dependencies.py --allow-no-data
	$(PY) -m pytest

## Every atheris harness (tests/fuzz/) for FUZZ_SECONDS each; a crash lands in tests/fuzz/crashes/<target>/.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	@for target in turtle rdfa melding xml; do \
		echo "== fuzzing $$target for $(FUZZ_SECONDS) s"; \
		$(PY) -m tests.fuzz.run_atheris $$target --seconds $(FUZZ_SECONDS) 2>&1 | grep -aE "DONE|ERROR|Error|crash-|stat::number_of_executed_units" || exit 1; \
	done

## The load test (bench/locust/, PostgreSQL loket_load): 50 users for 10 minutes on the production stack.
load: $(STAMP)
	$(PY) -m pip install --quiet -e ".[load]"
	$(PY) bench/locust/run.py

clamav:
	@bash scripts/ensure-clamav.sh

browser:
	@bash scripts/ensure-browser.sh

node:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "npm not found: the differential test against the real form library will be skipped (fails under CI)"; fi

$(NODE_STAMP): package.json package-lock.json
	mkdir -p $(NODE_DIR)
	cp package.json package-lock.json $(NODE_DIR)/
	npm ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

## Backups (PostgreSQL only: set DATABASE_URL). Without SECRET_KEY these run with the development defaults.
BACKUP_ENV := $(if $(SECRET_KEY),,LOKET_DEV=$${LOKET_DEV:-1})
backup: $(STAMP)
	$(BACKUP_ENV) $(PY) manage.py backup

## Restore the latest backup into a new database and empty storage, verify the ledger, hashes and row counts.
restore-drill: $(STAMP)
	$(BACKUP_ENV) $(PY) manage.py restore --drill

## Fault injection: kill -9 of the real worker inside each job type, FAULT_RUNS times (own PostgreSQL cluster).
FAULT_RUNS ?= 100
FAULT_PG_ROUNDS ?= 15
faults: $(STAMP)
	FAULT_RUNS=$(FAULT_RUNS) $(PY) -m tests.faults.worker_kill
	FAULT_PG_ROUNDS=$(FAULT_PG_ROUNDS) $(PY) -m tests.faults.pg_kill

## kill -9 of PostgreSQL while 20 sends run (Toezicht, BBC-DR, subsidy steps in turn), then a restart (tests/faults/pg_kill.py)
faults-pg: $(STAMP)
	FAULT_PG_ROUNDS=$(FAULT_PG_ROUNDS) $(PY) -m tests.faults.pg_kill

lint: $(STAMP)
	$(PY) -m ruff check src tests bench
	$(PY) -m ruff format --check src tests bench
	LOKET_TESTING=1 $(PY) -m mypy
	$(PY) scripts/audit_dependencies.py --allow-no-data

messages: $(STAMP)
	cd src/loket && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete && ../../$(PY) ../../manage.py compilemessages

clean:
	rm -rf $(VENV) var
