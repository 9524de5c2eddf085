# The course in two commands:  `make lab` (open it)  and  `make test` (check everything).
# Every target sets itself up: a virtual environment in .venv is created on first use and
# refreshed whenever pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PORT   ?= 8888
NB     ?= 01
XDIST  ?= -n 2

LAB_STAMP  := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test

.PHONY: help lab test lint unit notebooks browser bench present html sync clean

help:
	@echo "make lab        open the course in JupyterLab (http://127.0.0.1:$(PORT), with a token)"
	@echo "make test       run every check: ruff, unit and widget tests, notebooks, browser tests"
	@echo "make bench      measure speed (grid, explorer latency, recurrent nets)"
	@echo "make present NB=02   show one notebook with Voila, without code, for a lecture"
	@echo "make html       export every notebook, executed, to static HTML in build/html"
	@echo "make sync       copy new course notebooks into my-notebooks/ (never overwrites your edits)"
	@echo "make clean      remove the virtual environment and build products"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "This course needs Python 3.10 or newer; $(PYTHON) is " + sys.version.split()[0] + ". Try: make lab PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(LAB_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[lab]"
	@touch $@

# One pip run for both extras (what `make lab` needs plus the test tools).
$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[lab,test]"
	@touch $(LAB_STAMP) $@

sync: $(LAB_STAMP)
	$(PY) -m course_lib.tools.workspace sync

# Token authentication stays on (Jupyter's default) and the server listens on 127.0.0.1 only.
# Jupyter refuses to run as root unless told; containers (Binder, CI) often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: sync
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir="$(CURDIR)" --ServerApp.open_browser=True $(ALLOW_ROOT) \
		--LabApp.default_url=/lab/tree/my-notebooks/00_orientation.ipynb

test: lint unit notebooks browser

# Tests run two at a time on two cores: a multithreaded BLAS would then fight itself for the
# cores and make the recurrent nets' small matrix products 10-100x slower.
TEST_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(TEST_STAMP)
	$(TEST_ENV) $(PY) -m pytest $(XDIST) tests --ignore=tests/browser --ignore=tests/benchmarks

notebooks: $(TEST_STAMP)
	$(TEST_ENV) $(PY) -m pytest $(XDIST) --dist loadfile --nbval-lax --nbval-current-env notebooks

# Real-browser tests (Chromium through Playwright). Without Chromium they are skipped and
# the summary says so; with CI set, a missing browser fails. Screenshots: tests/browser/artifacts.
browser: $(TEST_STAMP)
	$(TEST_ENV) $(PY) -m pytest tests/browser

bench: $(TEST_STAMP)
	$(PY) -m pytest tests/benchmarks -s -q

PRESENT_PORT ?= 8866
present: $(LAB_STAMP)
	$(PY) -m course_lib.tools.workspace present $(NB) --port $(PRESENT_PORT)

html: $(LAB_STAMP)
	$(PY) -m course_lib.tools.workspace html --out build/html

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis
