# Two entry points for a fresh machine with Python 3.11+: `make serve` and `make test`.
PYTHON ?= python3
PORT   ?= 8000
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

serve: $(STAMP)  ## build the bundled catalog and serve it at http://127.0.0.1:$(PORT) (default 8000) with live reload
	@$(BIN)/python -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", $(PORT)))' 2>/dev/null \
	  || { echo "make serve: port $(PORT) is in use (another preview?). Stop it, or pick another port: make serve PORT=8001" >&2; exit 2; }
	$(BIN)/mkdocs serve --dirty -a 127.0.0.1:$(PORT)

build: $(STAMP)  ## build the bundled catalog into site/ (warnings are errors)
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## run the whole test suite (browser tests need Debian's chromium at /usr/bin/chromium)
	$(BIN)/python -m pytest

FORMAT ?= text
lint: $(STAMP)  ## check every persona file (FORMAT=github: annotations in GitHub Actions, FORMAT=json)
	$(BIN)/persona-catalog lint --format $(FORMAT)

screenshots: $(STAMP)  ## build the bundled catalog and capture the README's screenshots into docs/assets/screenshots/
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) site .pytest_cache
