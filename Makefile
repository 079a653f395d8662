# Everything needs only python3: each target creates .venv and installs into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo bench wheel docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/govmedia-rules validate policies/*/
	$(BIN)/govmedia-rules check --pack lianyungang --since 2019-08-01 --as-of 2019-12-31 examples/lianyungang.jsonl; \
	  test $$? -le 1  # exit 1 means findings were reported, which is what the demo shows

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet duckdb orjson  # benchmark-only: the SQL reference and the bare JSON parse
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/national.py --scale 0.01

docs: $(STAMP)
	$(BIN)/govmedia-rules kinds > docs/kinds.md
	$(BIN)/govmedia-rules schema pack > docs/pack.schema.json

wheel: $(STAMP)
	$(BIN)/python -m build --wheel --no-isolation --outdir dist .

clean:
	rm -rf $(VENV) dist build .pytest_cache .hypothesis
