# cs-rules — two commands on a fresh machine with only python3:
#   make run    payroll of the shipped sample department (May 2024)
#   make test   lint + type check + the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint unit bench fuzz limits clean sample-data golden

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cs-rules validate --data sample_data
	$(BIN)/cs-rules payroll 2024-05 --data sample_data --format table

lint: $(STAMP)
	$(BIN)/ruff check cs_rules tests scripts
	$(BIN)/mypy cs_rules

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint unit

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# 300 corruptions of sample_data (ragged rows, quotes, encodings, line ends, sheets …): no crash,
# no pay changed without a word; failing cases are kept in .fuzz-failures/ for replay
fuzz: $(STAMP)
	CS_RULES_LANG=en $(BIN)/python scripts/fuzz.py --cases 300 --keep .fuzz-failures

# bomb workbook, expanding sheet, million-column CSV: time and memory of the refusal
limits: $(STAMP)
	$(BIN)/python scripts/limits.py

sample-data: $(STAMP)
	$(BIN)/python scripts/make_sample_data.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
