# `make demo` shows the shipped debate; `make test` runs the tests. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench clean

$(BIN)/cruxcli: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot]'
	touch $@

demo: $(BIN)/cruxcli
	$(BIN)/cruxcli show scheming
	$(BIN)/cruxcli summary scheming

test: $(BIN)/cruxcli
	$(BIN)/python -m pytest -q

bench: $(BIN)/cruxcli
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache build dist
