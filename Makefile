# innograph — two commands: `make demo` and `make test`. Both bootstrap .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck unit bench test-all clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## load the Wenzhou sample and serve the API on 127.0.0.1:8000
	$(BIN)/innograph demo

test: lint typecheck unit  ## ruff, mypy and every test

lint: $(STAMP)  ## ruff, and the package layers (import-linter: [tool.importlinter] in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Neo4j's Cypher front end (npm), for the offline lint of every Neo4j statement
CYPHER_LINT := tests/store/cypher_lint
$(CYPHER_LINT)/node_modules/.stamp: $(CYPHER_LINT)/package-lock.json
	npm ci --prefix $(CYPHER_LINT) --no-audit --no-fund --loglevel=error
	touch $@

unit: $(STAMP) $(CYPHER_LINT)/node_modules/.stamp
	$(BIN)/pytest

test-all: $(STAMP) $(CYPHER_LINT)/node_modules/.stamp  ## also the slow tests
	$(BIN)/pytest -m "slow or not slow"

bench: $(STAMP)  ## benchmarks; figures go to bench/RESULTS.md by hand
	$(BIN)/python -m bench.cli_startup
	$(BIN)/python -m bench.ingest_bench
	$(BIN)/python -m bench.ingest_bench --scale 10000,100000,1000000  # issue 16: ~15 min, peak ≤ 4 GiB
	$(BIN)/python -m bench.shapes_bench --rows 100000 --repeat 3
	$(BIN)/python -m bench.analytics_bench
	$(BIN)/python -m bench.partner_eval  # real data: CORDIS H2020, temporal split (~1 min the first time)
	$(if $(CORDIS_FP7),$(BIN)/python -m bench.partner_eval --network fp7 --data $(CORDIS_FP7))  # with CORDIS_FP7=<FP7 CSV dump zip>
	$(if $(CORDIS_HORIZON),$(BIN)/python -m bench.partner_eval --network horizon --data $(CORDIS_HORIZON))  # with CORDIS_HORIZON=<zip>
	$(BIN)/python -m bench.partner_latency --rounds 3
	$(BIN)/python -m bench.recommend_eval --wenzhou
	$(BIN)/python -m bench.external_holdout
	$(BIN)/python -m bench.extract_eval
	$(BIN)/python -m bench.tagging_parity
	$(BIN)/python -m bench.viewer_bench --repeat 3  # needs /usr/bin/chromium
	$(BIN)/python -m bench.api_bench  # needs wrk (apt-get install -y wrk)
	$(BIN)/python -m bench.api_scaling  # 10k, 100k, 1M (the 1M load: ~10 min the first time)
	$(BIN)/python -m bench.load_then_serve  # 1M: CLI ingest, then serve on the saved indexes
	$(BIN)/python -m bench.api_write_soak
	$(BIN)/python -m bench.api_mixed_load
	$(BIN)/python -m bench.read_gate
	$(BIN)/python -m bench.commit_hold

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache \
		$(CYPHER_LINT)/node_modules
