# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make run    - create .venv from the lock files, prepare the sample vault, start the app
#   make test   - create .venv if absent, run ruff, mypy, import-linter and the whole pytest suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SAMPLE_VAULT ?= sample/Sample.dossier

.PHONY: run test lint typecheck pytest bench package package-test lock clean sample

$(STAMP): requirements/app.lock requirements/dev.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Dossier needs Python 3.11 or newer"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements/app.lock -r requirements/dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

sample: $(STAMP)
	$(PY) -m dossier.sample --vault $(SAMPLE_VAULT) --if-absent

run: sample
	DOSSIER_PASSPHRASE=exemple-dossier-2023 $(PY) -m dossier --vault $(SAMPLE_VAULT) doc list --case "Vidéosurveillance algorithmique (exemple)"

lint: $(STAMP)
	$(VENV)/bin/ruff check dossier ui tests bench
	$(VENV)/bin/ruff format --check dossier ui tests bench
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(PY) -m bench.run_all

lock:
	cd requirements && uv pip compile --python-version 3.11 --generate-hashes --no-header app.in -o app.lock
	cd requirements && uv pip compile --python-version 3.11 --generate-hashes --no-header dev.in -o dev.lock
	cd requirements && uv pip compile --python-version 3.11 --generate-hashes --no-header package.in -o package.lock

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
