# Two commands do all the set-up on a fresh machine:
#   make demo   create the environment, load the bundled data, assess both plans, write reports
#   make test   create the environment, install Chromium, PostgreSQL and Java if missing (Debian
#               packages, tools/setup-test-machine.sh), run lint + the whole test suite
# and, after them, the public portal and REST API on the demo data:
#   make serve  load the bundled data if not yet loaded, then rights serve (http://127.0.0.1:8000/)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: demo serve test lint format bench docs clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rights demo --out demo-report

serve: $(STAMP)
	$(BIN)/rights load-bundled
	$(BIN)/rights serve

test: $(STAMP) lint
	tools/setup-test-machine.sh
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench tools
	$(BIN)/ruff format src tests bench tools

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/bench_progress.py
	$(BIN)/python bench/bench_hdi.py
	$(BIN)/python bench/bench_mpi.py --big 100000000
	$(BIN)/python bench/bench_mpi.py --commands --sizes 1000000,10000000
	$(BIN)/python bench/bench_survey.py
	$(BIN)/python bench/bench_commands.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_engines.py
	$(BIN)/python bench/bench_census.py

fuzz: $(STAMP)
	$(BIN)/python tools/fuzz.py --write-reliability
	$(BIN)/pip install --quiet -e '.[dev,fuzz]'
	cd $$(mktemp -d) && $(CURDIR)/$(BIN)/python $(CURDIR)/tools/fuzz_parsers.py --seconds 350

docs: $(STAMP)
	$(BIN)/python tools/cli_docs.py

clean:
	rm -rf $(VENV) demo-report .pytest_cache .ruff_cache .hypothesis
