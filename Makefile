# `make demo` shows the shipped debate; `make test` runs the tests. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint readme bench fuzz clean

$(BIN)/cruxcli: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot]'
	touch $@

demo: $(BIN)/cruxcli
	$(BIN)/cruxcli show scheming
	$(BIN)/cruxcli summary scheming
	$(BIN)/cruxcli show power-seeking
	$(BIN)/cruxcli summary power-seeking --between carlsmith superforecasters

test: $(BIN)/cruxcli
	$(BIN)/python -m pytest -q

# What CI runs before the tests: ruff (lint and import order) and mypy, both clean.
lint: $(BIN)/cruxcli
	$(BIN)/python -m ruff check cruxcli tests benchmarks tools
	$(BIN)/python -m mypy cruxcli

# Rewrite the README's example outputs from what the commands print now (a test checks them).
readme: $(BIN)/cruxcli
	$(BIN)/python tools/readme.py

bench: $(BIN)/cruxcli
	$(BIN)/python benchmarks/run.py

# The fuzzer at length (CI runs it with 40 examples): mutated debates and imports through every
# command, and more git races and kills.
fuzz: $(BIN)/cruxcli
	CRUXCLI_FUZZ_EXAMPLES=$${CRUXCLI_FUZZ_EXAMPLES:-5000} CRUXCLI_RACE_TRIES=60 \
		$(BIN)/python -m pytest -q tests/test_fuzz.py tests/test_race.py tests/test_kill.py

clean:
	rm -rf $(VENV) .pytest_cache build dist
