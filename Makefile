# The workbook's commands. Only Python 3.11+ and make are needed; .venv is built on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLIENT ?= data/sample
OUT ?= reports/$(notdir $(CLIENT))

.PHONY: report test chromium browser lab bench sample clean
# Install Debian packages when root and apt-get are there: $(call apt,<package>,<command it provides>,<else say>)
apt = command -v $(2) >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && { apt-get update -qq || true; } && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; } \
	  || echo "$(1) missing and not installable here: $(3)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

report: $(STAMP) chromium  ## full report for $(CLIENT) into $(OUT): pages, dashboard, PDF, PowerPoint, Excel
	$(BIN)/cxwb run $(CLIENT) --out $(OUT)

test: $(STAMP) browser  ## lint (ruff) and the whole test suite
	$(BIN)/ruff check cxlib tests benchmarks
	$(BIN)/python -m pytest -q

chromium:  ## Chromium (Debian package), which prints report.pdf, when missing and possible
	@$(call apt,chromium,chromium,report.pdf cannot be printed and the browser tests will be skipped)

browser: chromium  ## also poppler-utils (PDF checks) and playwright-core (npm) for the tests, when missing and possible
	@$(call apt,poppler-utils,pdftoppm,the PDF test will be skipped)
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
