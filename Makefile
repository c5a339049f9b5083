PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# the other Pythons the package declares (pyproject's classifiers): `make test-pythons` runs
# the whole suite on each one found on this machine, in its own .venv-X.Y
OTHER_PYTHONS := 3.10 3.12 3.13

.PHONY: demo test test-slow test-pythons lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e . > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]' > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	touch $@

demo: $(VENV)/.demo-installed
	@echo '$$ async-patterns check examples/'
	@$(BIN)/async-patterns check examples/ || true
	@echo
	@echo '$$ flake8 --select ASP examples/'
	@$(BIN)/flake8 --select ASP examples/ || true
	@echo
	@echo '$$ async-patterns fix --diff examples/pipeline.py   # what the safe fixes would write'
	@$(BIN)/async-patterns fix --diff examples/pipeline.py || true

# the sweeps that take a minute or more each are marked `slow` and run by `make test-slow`
test: $(VENV)/.test-installed
	$(BIN)/python -m pytest -q -m "not slow"

# the project lints itself: flake8 with .flake8's line length and this project's own ASP rules
lint: $(VENV)/.test-installed
	$(BIN)/flake8

test-slow: $(VENV)/.test-installed
	$(BIN)/python -m pytest -q -m slow

test-pythons:
	@for version in $(OTHER_PYTHONS); do \
	  python=$$(.ci/find-python $$version) || { echo "test-pythons: no python$$version on this machine, skipped"; continue; }; \
	  echo "test-pythons: $$("$$python" --version)"; \
	  $(MAKE) --no-print-directory test PYTHON="$$python" VENV=.venv-$$version || exit 1; \
	done

bench: $(VENV)/.test-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .venv-* build *.egg-info
