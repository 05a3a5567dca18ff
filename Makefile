# coprodkg — the two commands: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_HTML ?= coprodkg-explorer.html
DEMO_MAP  ?= coprodkg-map.html

.PHONY: demo test check lint typecheck pytest system-deps bench bench-scale clean

## make demo: set up a virtualenv, then describe the bundled graph, answer a named query, write the explorer and the evidence map
demo: $(VENV)/.stamp-base
	$(BIN)/coprodkg info
	$(BIN)/coprodkg query themes
	$(BIN)/coprodkg viz -o $(DEMO_HTML)
	$(BIN)/coprodkg map -o $(DEMO_MAP)

## make test: install what the tests need (Debian packages, Python packages), then run every check
test: system-deps $(VENV)/.stamp-test check

check: lint typecheck pytest

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.stamp-test
	$(BIN)/mypy

pytest: $(VENV)/.stamp-test
	$(BIN)/python -m pytest

system-deps:
	bash scripts/install-system-deps.sh

$(VENV)/.stamp-base: pyproject.toml
	bash scripts/make-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-base
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

bench: $(VENV)/.stamp-test
	$(BIN)/python bench/bench_engine.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache $(DEMO_HTML) $(DEMO_MAP)

## make bench-scale: every command on evidence maps of 11 (the bundled studies) and 100 studies beside its floor
## (SIZES="11 100 300" REPEAT="3 3 1" for the 300-study map; it takes about half an hour on 2 cores)
SIZES ?= 11 100
REPEAT ?= 3
bench-scale: $(VENV)/.stamp-test
	$(BIN)/python bench/bench_scale.py --sizes $(SIZES) --repeat $(REPEAT)
