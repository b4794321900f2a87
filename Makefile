# Everything a newcomer or CI runs. Each target builds its own virtual environment; nothing needs
# to be installed by hand first. See README.md.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := $(sort $(patsubst packages/%/pyproject.toml,%,$(wildcard packages/*/pyproject.toml)))

.PHONY: test demo serve dev lint format typecheck migrations suites suites-sqlite \
        suites-postgresql suites-mariadb coverage layers docs build install-check bench bench-quick clean

## make test: everything CI checks.
test: install lint typecheck migrations layers docs bench-quick suites coverage install-check

# The suites run under branch coverage; `make coverage` combines every database's run per package
# and fails a package under fail_under (pyproject.toml). PRIMITIVES_COVERAGE=0 runs them bare.
export PRIMITIVES_COVERAGE ?= 1

$(VENV)/.deps: requirements/dev.txt requirements/docs.txt
	scripts/ensure-mariadb-client
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/dev.txt -r requirements/docs.txt
	touch $@

# The packages are installed the way users install them: built and copied into site-packages,
# never imported from src/ (the suites refuse to run otherwise, see tools/testkit).
install: $(VENV)/.deps
	$(BIN)/pip install -q --no-deps --no-build-isolation --force-reinstall \
		./tools/testkit $(addprefix ./packages/,$(PACKAGES))

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

# The repository's boundaries, the example host's own, and the graph the architecture page shows.
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
	rm -rf $(VENV) .venv-dev .venv-demo dist site .tox .coverage-data .mypy_cache
