# Home Base: `make run` and `make test` set up everything on a fresh Debian machine.
SWIFT ?= swift
BIN := .build/release/homebase
APT_PACKAGES := libsqlite3-dev zlib1g-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build debug test fuzz bench run clean pyenv screenshots

all: build

## deps: install the C headers (sqlite3, zlib) and the PDF test oracles (qpdf, pdftotext) when missing
deps:
	@if [ ! -f /usr/include/sqlite3.h ] || [ ! -f /usr/include/zlib.h ]; then \
	  echo "installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@command -v qpdf >/dev/null && command -v pdftotext >/dev/null || { echo "installing qpdf poppler-utils (PDF test oracles)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq qpdf poppler-utils; }
	@command -v python3 >/dev/null && python3 -c 'import venv' 2>/dev/null || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3 python3-venv; }

## build: release build of the homebase executable
build: deps
	$(SWIFT) build -c release --product homebase

debug: deps
	$(SWIFT) build

## pyenv: dev-only oracles (pyarrow, duckdb, openpyxl) for tests and bench, in .build/pyenv
pyenv:
	@bash Tests/tools/pyenv.sh

## test: the whole suite, including interop checks against pyarrow and DuckDB
test: deps pyenv
	$(SWIFT) build --product homebase
	$(SWIFT) test

## fuzz: seeded mutations of the hostile fixtures (Tests/HomeBaseTests/Fixtures/hostile) and of
## Parquet files, many more than the test suite runs (FUZZ_ITERATIONS, default 50000)
fuzz: deps
	FUZZ_ITERATIONS=$${FUZZ_ITERATIONS:-50000} $(SWIFT) test --filter 'HostileFuzzTests|FuzzTests'

## bench: throughput figures beside pyarrow/DuckDB (prints, never asserts)
bench: build pyenv
	@bash Tests/tools/bench.sh

## run: the main job on samples/, then where the output is
run: build
	@bash Tests/tools/run.sh

## screenshots: the sample report in every format under .build/render-demo, with PNGs to look at
screenshots: deps pyenv
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	$(SWIFT) test --filter RenderDemoTests
	cd .build/render-demo && chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=390,1600 --screenshot=phone.png sample.html
	cd .build/render-demo && chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1800 --screenshot=desktop.png hostile.html
	pdftoppm -r 60 -png .build/render-demo/sample.pdf .build/render-demo/sample-pdf
	@echo "look at .build/render-demo/*.png, *.html, *.pdf"

clean:
	rm -rf .build homebase-data
