PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean

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

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest -q

bench: $(VENV)/.test-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
