# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make run    - create .venv from the lock files, prepare the sample vault, start the app
#   make check  - create .venv if absent, run ruff, mypy, import-linter and the whole pytest suite
#                 (what CI runs)
#   make test   - the same without the tests marked slow (the long fault, fuzz and corpus
#                 campaigns): the loop a developer runs while working
# Packaging (see build.spec):
#   make package      - build dist/Dossier/ with the pinned PyInstaller, run its --selftest
#   make package-test - make package, then check the folder's contents and self-test offline
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SAMPLE_VAULT ?= sample/Sample.dossier

.PHONY: run check test lint typecheck pytest pytest-all bench package package-test lock clean sample locale

$(STAMP): requirements/app.lock requirements/dev.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Dossier needs Python 3.11 or newer"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements/app.lock -r requirements/dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Translations: each committed .po compiled to the .mo the app reads (Babel, a dev tool).
PO_FILES := $(wildcard resources/locale/*/LC_MESSAGES/dossier.po)
MO_FILES := $(PO_FILES:.po=.mo)

locale: $(MO_FILES)

%.mo: %.po $(STAMP)
	$(PY) -m tools.catalog compile

sample: $(STAMP) $(MO_FILES)
	$(PY) -m dossier.sample --vault $(SAMPLE_VAULT) --if-absent

run: sample
	@# The sample's passphrase is public (README): fill it in so a first run is one click away.
	DOSSIER_SAMPLE_HINT=1 \
	DOSSIER_SAMPLE_PASSPHRASE="$$($(PY) -c 'from dossier.sample.build import SAMPLE_PASSPHRASE as p; print(p)')" \
		$(PY) -m ui --vault $(CURDIR)/$(SAMPLE_VAULT)

lint: $(STAMP)
	$(VENV)/bin/ruff check dossier ui tests bench tools docs
	$(VENV)/bin/ruff format --check dossier ui tests bench tools docs
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# Independent tests run in parallel, one worker per core (pytest-xdist). Work stealing keeps both
# cores busy to the end (measured here: 6m53 against 8m30 when each module stayed on one worker);
# a module's shared fixture (e.g. the sample vault) is then built at most once per worker.
# The tests' folders are on a RAM disk where the machine has one (/dev/shm). The app fsyncs each
# commit, blob and sealed file; a test waiting for the disk proves nothing more (none cuts the
# power, and a killed process loses nothing the kernel holds), and on a busy disk an fsync cost
# 7 ms here, a test's vault ~100 of them. A passing test's folder is removed when it ends.
TEST_TMPDIR := $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm || echo "$${TMPDIR:-/tmp}")
# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE=1 here):
# each worker, and each process a test starts (index workers, the CLI, the HEIC decoder), then
# reads the modules compiled once instead of compiling them again, and pytest's rewritten test
# modules are kept too: 5 CPU-s per worker at collection, a third of a second per process.
PYTEST := PYTHONDONTWRITEBYTECODE= TMPDIR=$(TEST_TMPDIR) QT_QPA_PLATFORM=offscreen \
	$(PY) -m pytest -n auto --dist worksteal \
	-o tmp_path_retention_policy=failed

pytest-all: $(STAMP) $(MO_FILES)
	$(PYTEST)

pytest: $(STAMP) $(MO_FILES)
	$(PYTEST) -m "not slow"

check: lint typecheck pytest-all

test: lint typecheck pytest

bench: $(STAMP)
	$(PY) -m bench.run_all

lock:
	cd requirements && uv pip compile --python-version 3.11 --generate-hashes --no-header app.in -o app.lock
	cd requirements && uv pip compile --python-version 3.11 --generate-hashes --no-header dev.in -o dev.lock
	cd requirements && uv pip compile --python-version 3.11 --generate-hashes --no-header package.in -o package.lock

# -- packaging ---------------------------------------------------------------------------------
PACKAGE_STAMP := $(VENV)/.package-installed
DIST := dist/Dossier
# The frozen app's self-test in an empty environment: no PATH, no PYTHONPATH, no venv, no
# system fonts (fontconfig is given a configuration without font folders), a fresh HOME.
SELFTEST_HOME := build/selftest-home
SELFTEST_ENV := env -i HOME=$(CURDIR)/$(SELFTEST_HOME) LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
	FONTCONFIG_FILE=$(CURDIR)/packaging/no-system-fonts.conf

$(PACKAGE_STAMP): requirements/package.lock $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements/package.lock
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP) $(MO_FILES)
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller build.spec
	rm -rf $(SELFTEST_HOME) && mkdir -p $(SELFTEST_HOME)
	$(SELFTEST_ENV) $(DIST)/Dossier --selftest
	du -sh $(DIST)

package-test: package
	$(PY) packaging/check_dist.py $(DIST)
	@# Without any network interface, where the machine allows it (root, or user namespaces).
	if unshare -n true 2>/dev/null; then \
		unshare -n $(SELFTEST_ENV) $(DIST)/Dossier --selftest; \
	else \
		echo "unshare -n is not permitted here: the offline run was skipped"; \
	fi

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
