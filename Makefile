# Home Base: `make run` and `make test` set up everything on a fresh Debian machine.
SWIFT ?= swift
BIN := .build/release/homebase
# libcurl4-openssl-dev: the statically linked Foundation (FoundationNetworking, for webhooks) links libcurl
APT_PACKAGES := libsqlite3-dev zlib1g-dev libzstd-dev libcurl4-openssl-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PREFIX ?= /usr/local

.PHONY: all deps build debug test bench run clean pyenv screenshots install embed fuzz format format-check docs-check

all: build

## deps: install the C headers (sqlite3, zlib, zstd, curl), the PDF fonts (DejaVu Sans, Droid Sans Fallback for CJK)
## and the PDF test oracles (qpdf, pdftotext) when missing
deps:
	@if [ ! -f /usr/include/sqlite3.h ] || [ ! -f /usr/include/zlib.h ] || [ ! -f /usr/include/zstd.h ] \
	  || ! ls /usr/lib/*/libcurl.so >/dev/null 2>&1; then \
	  echo "installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || { \
	  echo "installing fonts-dejavu-core fonts-droid-fallback (fonts the PDF embeds)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-dejavu-core fonts-droid-fallback; }
	@command -v qpdf >/dev/null && command -v pdftotext >/dev/null || { echo "installing qpdf poppler-utils (PDF test oracles)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq qpdf poppler-utils; }
	@command -v chromium >/dev/null || { echo "installing chromium (browser checks of the HTML reports, tests only)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	@command -v python3 >/dev/null && python3 -c 'import venv' 2>/dev/null || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3 python3-venv; }

## build: release build of the homebase executable and its network helper homebase-net (S3, alerts
## and key imports make their HTTP requests through it; only it loads libcurl, so every other command
## starts faster); the Swift runtime and Foundation are linked in statically, so both run on a server
## without a Swift toolchain (homebase needs only libc, libstdc++, libsqlite3, zlib and zstd)
build: deps
	$(SWIFT) build -c release --product homebase --static-swift-stdlib
	$(SWIFT) build -c release --product homebase-net --static-swift-stdlib

debug: deps
	$(SWIFT) build

## install: the release binaries to $(DESTDIR)$(PREFIX)/bin/homebase and homebase-net (found beside
## homebase); self-contained (report definitions and queries are compiled in), so cron can run them
## from any directory
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/homebase
	install -m 755 $(BIN)-net $(DESTDIR)$(PREFIX)/bin/homebase-net
	@echo "installed $(DESTDIR)$(PREFIX)/bin/homebase and homebase-net; cron: 15 2 * * *  $(PREFIX)/bin/homebase nightly --config /etc/homebase.json"

## embed: regenerate the compiled-in copy of reports/*.json and queries/*.sql after changing one
embed:
	python3 Tests/tools/embed_shipped.py
	swift format format -i Sources/HomeBaseCore/ShippedFiles+Embedded.swift

## pyenv: dev-only oracles (pyarrow, duckdb, openpyxl) for tests and bench, in .build/pyenv
pyenv:
	@bash Tests/tools/pyenv.sh

## docs-check: README.md at most 12 KB, every relative link in README.md and docs/ resolves, every docs page linked
docs-check:
	@python3 Tests/tools/check_docs.py --self-test
	@python3 Tests/tools/check_docs.py

## format: rewrite Sources/, Tests/ and Package.swift in the house style (.swift-format)
format:
	$(SWIFT) format format -i -r Sources Tests Package.swift

## format-check: fail when a file is not in the house style (part of make test; `make format` fixes it)
format-check:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

## test: the whole suite, including interop checks against pyarrow and DuckDB
test: deps pyenv docs-check format-check
	$(SWIFT) build --product homebase
	$(SWIFT) build --product homebase-net
	$(SWIFT) test

## bench: throughput figures beside pyarrow/DuckDB (prints, never asserts)
bench: build pyenv
	$(SWIFT) build -c release --product homebase-bench
	@bash Tests/tools/bench.sh

## fuzz (not part of make test): first seeded in-process mutations of the hostile fixtures and of
## Parquet files through the parsers (FUZZ_ITERATIONS, default 50000), then mutated transcripts,
## OpenClaw 2026.8+ stores, invoices, parts and backups against the release binary for FUZZ_SECONDS
## (default 600); fails on a trap, a hang or a silent change
fuzz: build pyenv
	FUZZ_ITERATIONS=$${FUZZ_ITERATIONS:-50000} $(SWIFT) test --filter 'HostileFuzzTests|FuzzTests'
	@.build/pyenv/bin/python Tests/tools/fuzz.py --seconds $${FUZZ_SECONDS:-600} $${FUZZ_SEED:+--seed $$FUZZ_SEED}

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
