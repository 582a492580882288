# Sozialplanung — the two commands of the README, and their helpers.
#   make demo   install, set up the database, load the demo county, start the app
#   make test   install everything the tests need and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test lint lock messages clean bench docs

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 oder neuer wird benötigt (gefunden: " + sys.version.split()[0] + ").")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs exactly the pinned versions (with hashes) of requirements.lock, then the project itself.
$(VENV)/.installed-app: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-test: $(BIN)/python requirements-test.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed-app

demo: $(VENV)/.installed-app
	$(BIN)/sozialplanung migrate
	$(BIN)/sozialplanung load-demo
	$(BIN)/sozialplanung serve --host $(HOST) --port $(PORT)

test: export SOZIALPLANUNG_DATA_DIR ?= $(CURDIR)/var/test
test: $(VENV)/.installed-test
	scripts/ensure-chromium
	$(BIN)/ruff format --check src tests benchmarks manage.py
	$(BIN)/ruff check src tests benchmarks manage.py
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff format src tests benchmarks manage.py
	$(BIN)/ruff check --fix src tests benchmarks manage.py

$(VENV)/.installed-bench: $(BIN)/python requirements-bench.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements-bench.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed-app $(VENV)/.installed-test

# The peer comparisons (minutes, not part of make test): installs the peers, runs every benchmark.
bench: $(VENV)/.installed-bench
	@for script in benchmarks/[a-z]*.py; do \
	  case $$script in benchmarks/timing.py) continue;; esac; \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

# Re-pin the dependencies after changing pyproject.toml (needs network access to PyPI).
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes -o requirements-test.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --python-version 3.11 --generate-hashes -o requirements-bench.lock

# Refresh and compile the German translation after changing user-facing text (needs gettext).
messages: $(VENV)/.installed-app
	cd src/sozialplanung/web && ../../../$(BIN)/django-admin makemessages -l de --no-location --no-obsolete -i "migrations/*" --settings sozialplanung.web.settings
	cd src/sozialplanung/web && ../../../$(BIN)/django-admin compilemessages --settings sozialplanung.web.settings

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Regenerate the CLI reference from the commands' --help texts (tests/test_docs.py checks it).
docs: $(VENV)/.installed-app
	$(BIN)/python scripts/cli-reference > docs/cli.md
