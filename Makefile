# The workbook's commands. Only Python 3.11+ and make are needed; .venv is built on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLIENT ?= data/sample
OUT ?= reports/$(notdir $(CLIENT))

.PHONY: report test browser lab bench sample clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

report: $(STAMP)  ## full report for $(CLIENT) into $(OUT)
	$(BIN)/cxwb run $(CLIENT) --out $(OUT)

test: $(STAMP) browser  ## lint (ruff) and the whole test suite
	$(BIN)/ruff check cxlib tests benchmarks
	$(BIN)/python -m pytest -q

browser:  ## Chromium (Debian package) and playwright-core (npm) for the browser tests, when missing and possible
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "chromium missing and not installable here: browser tests will be skipped"
	@test -d tests/e2e/node_modules/playwright-core || { command -v npm >/dev/null \
	  && npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error; } \
	  || echo "playwright-core not installed (npm missing, or npm ci failed): the JupyterLab test will be skipped"

lab: $(STAMP)  ## JupyterLab on the notebooks for $(CLIENT), narrative in its language (lab/ is rewritten each time)
	$(BIN)/cxwb notebooks lab --client $(CLIENT) --force
	$(BIN)/jupyter lab lab/

bench: $(STAMP)  ## benchmarks: report wall time, notebook overhead, cxlib at scale, widget callbacks
	$(BIN)/python benchmarks/bench.py

sample: $(STAMP)  ## regenerate data/sample from the seeded generator
	$(BIN)/cxwb synth data/sample

clean:
	rm -rf reports .pytest_cache
