# `make demo` and `make test` set up whatever is missing first: the virtualenv, the pip install, Debian packages.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_DB ?= demo.db

.PHONY: demo test bench bench-distributed eval setup system browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,report,distributed]'
	rm -f $(VENV)/.installed-* && touch $@

# A browser for the JavaScript sites: Playwright's own Chromium or a system one will do, else Debian's chromium.
HAVE_CHROMIUM = $(BIN)/python -c "from govcrawl.browser import find_chromium; find_chromium()" 2>/dev/null

# Debian packages the tests use (a Redis server, Chromium, ip netns); installed only when missing.
system: $(STAMP)
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	$(HAVE_CHROMIUM) || missing="$$missing chromium"; \
	command -v ip >/dev/null || missing="$$missing iproute2"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages:$$missing (install them as root)"; exit 1; fi; \
	fi

browser: $(STAMP)
	@$(HAVE_CHROMIUM) || $(MAKE) --no-print-directory system

demo: $(STAMP) browser
	$(BIN)/scrapy crawl provincial -a replay=fixtures/demo -a as_of=2019-06-10 \
	  -s GOVCRAWL_DB=$(DEMO_DB) -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=0 -s LOG_LEVEL=WARNING
	@$(BIN)/govcrawl runs --db $(DEMO_DB)
	@$(BIN)/govcrawl report --db $(DEMO_DB) --format html --out demo-report.html
	@echo "database: $(abspath $(DEMO_DB))"
	@echo "report:   $(abspath demo-report.html)"

test: $(STAMP) system
	$(BIN)/python -m pytest

bench: $(STAMP) system
	$(BIN)/python bench/run.py --out bench/results.md

# generated provinces crawled through the replay proxy, scored against their truth (bench/README.md "Evaluation")
eval: $(STAMP) browser
	$(BIN)/python bench/eval.py --out bench/eval.md $(EVAL_ARGS)

# 1 worker against 3 on one Redis, 0.5 s per-host delay (README "Distributed runs")
bench-distributed: $(STAMP) system
	$(BIN)/python bench/distributed.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-report.html evidence
