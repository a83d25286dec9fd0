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

# Screenshots need a font with Chinese glyphs, else every character is a box (README "Fonts"). fonts-noto-cjk:
# Debian's own CJK default, all of GB 18030 in simplified-Chinese glyph forms; fonts-wqy-zenhei is smaller but
# lacks rarer characters of names and places.
HAVE_CJK_FONT = fc-list :lang=zh 2>/dev/null | grep -q .

# Debian packages the tests use (a Redis server, Chromium and a CJK font, ip netns, strace); installed only when missing.
system: $(STAMP)
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	$(HAVE_CHROMIUM) || missing="$$missing chromium"; \
	$(HAVE_CJK_FONT) || missing="$$missing fonts-noto-cjk fontconfig"; \
	command -v ip >/dev/null || missing="$$missing iproute2"; \
	command -v strace >/dev/null || missing="$$missing strace"; \
	$(APT_INSTALL)

# A browser and a font for Chinese: whichever of the two is missing.
browser: $(STAMP)
	@missing=""; \
	$(HAVE_CHROMIUM) || missing="$$missing chromium"; \
	$(HAVE_CJK_FONT) || missing="$$missing fonts-noto-cjk fontconfig"; \
	$(APT_INSTALL)

APT_INSTALL = if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages:$$missing (install them as root)"; exit 1; fi; \
	fi

# the demo province's websites and its new-media accounts, offline, into one database; then the whole report
demo: $(STAMP) browser
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/scrapy crawl provincial -a replay=fixtures/demo -a as_of=2019-06-10 -a run=demo-websites \
	  -s GOVCRAWL_DB=$(DEMO_DB) -s LOG_LEVEL=WARNING
	$(BIN)/scrapy crawl newmedia -a replay=fixtures/newmedia -a as_of=2019-06-10 -a run=demo-newmedia \
	  -s GOVCRAWL_DB=$(DEMO_DB) -s LOG_LEVEL=WARNING
	@$(BIN)/govcrawl runs --db $(DEMO_DB)
	@$(BIN)/govcrawl report --db $(DEMO_DB) --format html --out demo-report.html
	@$(BIN)/govcrawl report --db $(DEMO_DB) --format docx --out demo-report.docx
	@$(BIN)/govcrawl report --db $(DEMO_DB) --format xlsx --out demo-report.xlsx
	@$(BIN)/govcrawl report --db $(DEMO_DB) --format docx --per-unit demo-notices
	@echo "database: $(abspath $(DEMO_DB))"
	@echo "report:   $(abspath demo-report.html) $(abspath demo-report.docx) $(abspath demo-report.xlsx)"
	@echo "notices:  $(abspath demo-notices)/"

test: $(STAMP) system
	$(BIN)/python -m pytest

bench: $(STAMP) system
	$(BIN)/python bench/run.py --out bench/results.md

# generated provinces crawled through the replay proxy, scored against their truth (bench/README.md "Evaluation")
eval: $(STAMP) browser
	$(BIN)/python bench/eval.py --out bench/eval.md $(EVAL_ARGS)
	$(BIN)/python bench/eval_newmedia.py --seeds 1 2 3 --out bench/eval-newmedia.md

# 1 worker against 3 on one Redis, 0.5 s per-host delay (README "Distributed runs")
bench-distributed: $(STAMP) system
	$(BIN)/python bench/distributed.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-report.html demo-report.docx demo-report.xlsx demo-notices evidence
