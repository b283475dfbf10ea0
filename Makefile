# Two entry points for a fresh machine with Python 3.11+: `make serve` and `make test`.
PYTHON ?= python3
PORT   ?= 8000
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check test lint screenshots dist clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,zensical]'
	touch $@

serve: $(STAMP)  ## build the bundled catalog and serve it at http://127.0.0.1:$(PORT) (default 8000) with live reload
	@$(BIN)/python -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", $(PORT)))' 2>/dev/null \
	  || { echo "make serve: port $(PORT) is in use (another preview?). Stop it, or pick another port: make serve PORT=8001" >&2; exit 2; }
	$(BIN)/mkdocs serve --dirty -a 127.0.0.1:$(PORT)

build: $(STAMP)  ## build the bundled catalog into site/ (warnings are errors)
	$(BIN)/mkdocs build --strict

check: $(STAMP)  ## lint (ruff) and type-check (mypy) the code; `make test` runs it first
	@$(BIN)/ruff check --quiet plugins tests benchmarks scripts \
	  || { echo "make check: ruff found the problems above. Fix what it can: $(BIN)/ruff check --fix plugins tests benchmarks scripts; the rest by hand (or a '# noqa: CODE' with a reason)" >&2; exit 1; }
	@$(BIN)/mypy \
	  || { echo "make check: mypy found the type errors above. Fix the types, or add '# type: ignore[code]' with the code mypy names (unused ones are errors too)" >&2; exit 1; }

test: $(STAMP) check  ## lint and type-check, then run the whole test suite (browser tests need Debian's chromium at /usr/bin/chromium)
	$(BIN)/python -m pytest

FORMAT ?= text
lint: $(STAMP)  ## check every persona file (FORMAT=github: annotations in GitHub Actions, FORMAT=json)
	$(BIN)/persona-catalog lint --format $(FORMAT)

screenshots: $(STAMP)  ## build the bundled catalog and capture the README's screenshots into docs/assets/screenshots/
	$(BIN)/python scripts/screenshots.py

dist: $(STAMP)  ## build the package (wheel and sdist) into dist/, for `pip install` elsewhere
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) site .pytest_cache .ruff_cache .mypy_cache dist
