# Everything needs only python3: each target creates .venv and installs into it only what it uses
# (the core for the demo, the dev extra for the tests, the spark extra for the Spark test alone).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
CORE := $(VENV)/.installed-core
DEV := $(VENV)/.installed-dev
SPARK := $(VENV)/.installed-spark

.PHONY: install test test-spark demo bench wheel docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(CORE): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(DEV): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $@

$(SPARK): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev,spark]'
	touch $@

install: $(DEV)

test: $(DEV)
	$(BIN)/ruff check src
	$(BIN)/mypy
	$(BIN)/python -m pytest

test-spark: $(SPARK)
	$(BIN)/python -m pytest -m spark tests/test_spark.py

demo: $(CORE)
	$(BIN)/govmedia-rules validate policies/*/
	$(BIN)/govmedia-rules check --pack lianyungang --since 2019-08-01 --as-of 2019-12-31 examples/lianyungang.jsonl; \
	  test $$? -le 1  # exit 1 means findings were reported, which is what the demo shows

bench: $(DEV)
	$(BIN)/python -m pip install --quiet duckdb orjson  # benchmark-only: the SQL reference and the bare JSON parse
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/national.py --scale 0.01
	$(BIN)/python benchmarks/national.py --scale 0.01 --shape monitoring

docs: $(CORE)
	$(BIN)/govmedia-rules kinds > docs/kinds.md
	$(BIN)/govmedia-rules schema pack > policies/pack.schema.json
	$(BIN)/govmedia-rules schema case > policies/case.schema.json
	$(BIN)/govmedia-rules readme --write policies/*/

wheel: $(DEV)
	$(BIN)/python -m build --wheel --no-isolation --outdir dist .

clean:
	rm -rf $(VENV) dist build .pytest_cache .hypothesis
