# Everything a newcomer or CI runs. Each target builds its own virtual environment; nothing needs
# to be installed by hand first. See README.md.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := $(sort $(patsubst packages/%/pyproject.toml,%,$(wildcard packages/*/pyproject.toml)))

.PHONY: test demo serve dev install services lint format typecheck migrations suites \
        suites-sqlite suites-postgresql suites-mariadb coverage layers docs build install-check bench \
        bench-quick clean

# The databases `make test` runs every suite on; a suite that needs no database (tools/testkit,
# django-layers) runs in the SQLite pass only. A further database adds itself here, to
# `services` and to scripts/run-suites.
DATABASES := sqlite postgresql mariadb
DB_PACKAGES := $(sort $(patsubst packages/%/tests/settings.py,%,$(wildcard packages/*/tests/settings.py)))

## make test: everything CI checks. After the one shared install, every check runs as a job of
## scripts/run-jobs, JOBS at a time (default: CPUs + 1), each job's output printed whole when it
## ends, then a table of every job's wall and CPU time and the failed ones named. Coverage
## combines all databases' runs once the suites are done.
JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
# The environment is made before the jobs start; no job may remake it under the others' feet.
JOB_MAKE = $(MAKE) --no-print-directory -o $(VENV)/.deps -o $(VENV)/.installed
SUITE_JOB = "$(1)/$(2)=scripts/run-suites $(BIN) $(1) $(2)"
# Longest first (the table at the end of a run shows each job's time), so that no long job
# starts last.
TEST_JOBS = \
	"bench-quick=$(JOB_MAKE) bench-quick" \
	$(foreach db,$(DATABASES),$(call SUITE_JOB,$(db),example)) \
	"install-check=$(JOB_MAKE) install-check" \
	$(foreach db,$(DATABASES),$(foreach pkg,$(if $(filter sqlite,$(db)),$(PACKAGES),$(DB_PACKAGES)),$(call SUITE_JOB,$(db),$(pkg)))) \
	"typecheck=$(JOB_MAKE) typecheck" \
	$(call SUITE_JOB,sqlite,testkit) \
	"migrations=$(JOB_MAKE) migrations" \
	"docs=$(JOB_MAKE) docs" \
	"layers=$(JOB_MAKE) layers" \
	"lint=$(JOB_MAKE) lint"

test: install services
	@scripts/run-jobs --jobs $(JOBS) $(TEST_JOBS)
	$(MAKE) --no-print-directory coverage

# The suites run under branch coverage; `make coverage` combines every database's run per package
# and fails a package under fail_under (pyproject.toml). PRIMITIVES_COVERAGE=0 runs them bare.
export PRIMITIVES_COVERAGE ?= 1

# uv (requirements/uv.txt) installs into the environment: pip installs it first. Bytecode is
# compiled once here, as pip does; the suites' processes cannot write it (PYTHONDONTWRITEBYTECODE
# is common on CI) and would otherwise each compile Django again.
UV_INSTALL := $(BIN)/uv pip install -q --python $(BIN)/python --compile-bytecode
$(VENV)/.deps: requirements/dev.txt requirements/docs.txt requirements/uv.txt
	scripts/ensure-mariadb-client
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements/uv.txt
	$(UV_INSTALL) -r requirements/dev.txt -r requirements/docs.txt
	touch $@

# The packages are installed the way users install them: built and copied into site-packages,
# never imported from src/ (the suites refuse to run otherwise, see tools/testkit). Again
# whenever a file they are built from changes, and only then, so that the checks `make test`
# runs side by side (each its own make) share one install.
INSTALLED_FROM := $(shell files="tools/testkit/pyproject.toml tools/testkit/src \
	$(foreach p,$(PACKAGES),packages/$(p)/pyproject.toml packages/$(p)/README.md packages/$(p)/src)"; \
	git ls-files -co --exclude-standard $$files 2>/dev/null || find $$files -type f)
install: $(VENV)/.installed
$(VENV)/.installed: $(VENV)/.deps $(INSTALLED_FROM)
	$(UV_INSTALL) --no-deps --no-build-isolation --reinstall \
		./tools/testkit $(addprefix ./packages/,$(PACKAGES))
	touch $@

# What the suites need, started (or installed) once before they run side by side rather than by
# each of them at the same moment: the browser of the admin tests, Redis, RabbitMQ for the real
# Celery worker test, and the database servers (scripts/run-suites still checks its own, and
# fails it under CI=true when it does not answer).
services:
	scripts/ensure-chromium
	scripts/ensure-redis || [ "$(CI)" != true ]
	$(if $(filter-out sqlite,$(DATABASES)),scripts/ensure-rabbitmq)
	$(if $(filter postgresql,$(DATABASES)),scripts/ensure-postgres || true)
	$(if $(filter mariadb,$(DATABASES)),scripts/ensure-mariadb || true)

# mypy strict with django-stubs over every package's src/ and over typing_usage/, the typed usage
# files that pin each package's public types (configuration in pyproject.toml).
typecheck: install
	$(BIN)/python scripts/check-reexports
	$(BIN)/mypy

lint: $(VENV)/.deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: install
	scripts/check-migrations $(BIN)

suites: suites-sqlite suites-postgresql suites-mariadb

suites-sqlite: install
	scripts/ensure-chromium
	scripts/run-suites $(BIN) sqlite

suites-postgresql: install
	scripts/ensure-chromium
	scripts/ensure-rabbitmq
	scripts/run-suites $(BIN) postgresql

suites-mariadb: install
	scripts/ensure-chromium
	scripts/ensure-rabbitmq
	scripts/run-suites $(BIN) mariadb

coverage: $(VENV)/.deps
	scripts/coverage-report $(BIN)

# The repository's boundaries, the example host's own, and the graph and the table of internal
# layers that the architecture page shows.
layers: install
	$(BIN)/django-layers check --config layers.yaml $(if $(GITHUB_ACTIONS),--format github)
	cd example && ../$(BIN)/django-layers check --config layers.yaml
	scripts/check-architecture-graph $(BIN)

docs: $(VENV)/.deps
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

## make build: every package's wheel and sdist in dist/, checked as the release workflow checks
## one (twine check, LICENSE inside, known classifiers). install-check: a user's install of
## django-primitives-catalog from those wheels, with the public index enabled; then, in the
## same environment, a `django-admin startproject` host with django-audit-log that runs its
## transactional and live-server tests on PostgreSQL and adopts django-layers (scripts/check-host).
build: $(VENV)/.deps
	$(BIN)/python scripts/build-dists --out dist

install-check: build
	PYTHON=$(PYTHON) scripts/check-install dist

## make bench: every package against the peers users would pick instead (its own environment,
## .venv-bench); writes docs/benchmarks.md. bench-quick: tiny sizes, so the harness cannot rot.
bench:
	bench/run

bench-quick:
	@if scripts/ensure-postgres; then bench/run --quick; \
	elif [ "$(CI)" = true ]; then echo "PostgreSQL is required under CI=true" >&2; exit 1; \
	else echo "PostgreSQL not reachable: quick benchmarks on SQLite only"; \
	     bench/run --quick --databases sqlite; fi

## make dev: an editable environment (.venv-dev) for working on the packages.
dev:
	scripts/ensure-mariadb-client
	$(PYTHON) -m venv .venv-dev
	.venv-dev/bin/pip install -q -r requirements/dev.txt -e ./tools/testkit \
		$(addprefix -e ./packages/,$(PACKAGES))

## make demo: the example host project, end to end, from built wheels.
demo:
	example/run-demo

serve:
	example/run-demo --serve

clean:
	rm -rf $(VENV) .venv-dev .venv-demo dist site .tox .coverage-data .mypy_cache .jobs-logs
