"""Scrapy settings for govcrawl. Every GOVCRAWL_* setting is documented in the README's settings reference."""
from scrapy.settings import default_settings as _defaults

BOT_NAME = "govcrawl"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "govcrawl.scrapy_commands"

# An honest, stable User-Agent: WAFs on government sites block by UA, and site owners should know who reads them.
USER_AGENT = "govcrawl/0.1 (government website inspection; +https://github.com/govcrawl/govcrawl)"
# 19号 inspections cover every published page; robots.txt often disallows whole sites. Inspectors may turn it on.
ROBOTSTXT_OBEY = False

# Many sites side by side, few requests per host.
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy 2.19 overshoots the per-host limit when DOWNLOAD_DELAY is 0 (spiders/downloader.py has the measurement)
DOWNLOADER = "spiders.downloader.AbandonableDownloader"
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5   # ±50 % around DOWNLOAD_DELAY (Scrapy 2.13+ name of RANDOMIZE_DOWNLOAD_DELAY)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
# = CONCURRENT_REQUESTS_PER_DOMAIN: a slow host keeps its two requests in flight (AutoThrottle sets the delay to
# latency / target); at 1.5 a 3 s host got one at a time (bench/README.md "A realistic network": 32 sites 160 -> 115 s)
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# 19号 counts a homepage that does not open within 15 s as a failed visit.
DOWNLOAD_TIMEOUT = 15
# Pages are cut at GOVCRAWL_MAX_PAGE_BYTES and parsed as far as they go; Scrapy's own cap would fail them instead.
DOWNLOAD_MAXSIZE = 0
DOWNLOAD_WARNSIZE = 0
REDIRECT_MAX_TIMES = 10
URLLENGTH_LIMIT = 2083   # what browsers accept; a longer link is recorded as lost (spiders/liveness.py)
METAREFRESH_ENABLED = False  # the spider follows meta refresh itself, to record it in the redirect chain
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429, 403]
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "spiders.middlewares.BackoffMiddleware": 560,
    # WAF script challenges are cleared in the browser before Retry/Backoff see them (spiders/challenges.py)
    "spiders.challenges.ChallengeMiddleware": 580,
}
# The address policy (README "Security") and the request accounting that lets every site finish are part of the
# base sets, so a `-s DOWNLOADER_MIDDLEWARES=…` or `-s SPIDER_MIDDLEWARES=…` of an operator cannot drop them.
# The policy middleware runs after HttpProxyMiddleware, so the proxy in use is known.
DOWNLOADER_MIDDLEWARES_BASE = {**_defaults.DOWNLOADER_MIDDLEWARES_BASE, "govcrawl.netguard.AddressPolicyMiddleware": 760,
                               "spiders.middlewares.RequestCounter": 770}  # govcrawl/requests/<purpose>
SPIDER_MIDDLEWARES_BASE = {**_defaults.SPIDER_MIDDLEWARES_BASE,
                           "spiders.liveness.SpiderOutputSent": 1010, "spiders.liveness.SpiderOutputArrived": 10}
# every connection Scrapy makes resolves through the address policy (govcrawl/netguard.py)
TWISTED_DNS_RESOLVER = "govcrawl.netguard.PolicyResolver"
ITEM_PIPELINES = {
    "pipelines.storage.StoragePipeline": 300,
    "pipelines.verdicts.VerdictPipeline": 400,
    "pipelines.evidence.EvidencePipeline": 450,   # screenshots of failing sites, after they are judged
}

# Breadth-first per site keeps the per-site request graph shallow; GOVCRAWL_SITES_IN_FLIGHT bounds the sites at once.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# govcrawl's own settings (README: "Settings")
GOVCRAWL_DB = "govcrawl.db"
GOVCRAWL_ALLOWED_NETWORKS = []   # CIDRs of non-public networks an operator allows (an intranet inspection)
GOVCRAWL_BATCH_SIZE = 500
GOVCRAWL_SITES_IN_FLIGHT = 64
GOVCRAWL_SITE_TIMEOUT = 1800.0   # s without any request of a site finishing: the site is finalised incomplete
GOVCRAWL_GC_THRESHOLD = 10_000
GOVCRAWL_HOMEPAGE_ATTEMPTS = 3
GOVCRAWL_MAX_COLUMNS_PER_SITE = 300
GOVCRAWL_MAX_PAGES_PER_COLUMN = 5
GOVCRAWL_SETTLING_ENTRIES = 5
GOVCRAWL_MAX_REQUESTS_PER_SITE = 2000
GOVCRAWL_ARTICLE_SAMPLE = 3
GOVCRAWL_MAX_REDIRECT_HOPS = 10
GOVCRAWL_BACKOFF_MAX_DELAY = 60.0
GOVCRAWL_MAX_LETTER_PAGES = 10
GOVCRAWL_MAX_LETTER_DETAILS = 60
GOVCRAWL_GUIDE_SAMPLE = 5
GOVCRAWL_CHECK_LINKS = 60
GOVCRAWL_MAX_PAGE_BYTES = 5 * 1024 * 1024
GOVCRAWL_NEWMEDIA_MAX_PAGES = 3
GOVCRAWL_ACCOUNT_WINDOW_DAYS = 14

# JavaScript pages (issue 4): only requests with meta playwright=True go through Chromium, and Playwright itself
# starts with the first of them; every other request keeps Scrapy's own HTTP handler.
DOWNLOAD_HANDLERS = {
    "http": "govcrawl.browser.BrowserDownloadHandler",
    "https": "govcrawl.browser.BrowserDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {}          # executable and flags are filled in at launch by govcrawl.browser
PLAYWRIGHT_MAX_CONTEXTS = 2             # one per proxy in practice; bounded anyway
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4    # concurrent pages: each costs a renderer process
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000
PLAYWRIGHT_ABORT_REQUEST = "govcrawl.browser.should_abort_request"
PLAYWRIGHT_PROCESS_REQUEST_HEADERS = None   # the browser's own headers; the context carries govcrawl's User-Agent
# memory limits then count Chromium's processes too
EXTENSIONS = {
    "scrapy.extensions.memusage.MemoryUsage": None,
    "scrapy_playwright.memusage.ScrapyPlaywrightMemoryUsageExtension": 0,
    "spiders.middlewares.PageSizeCap": 0,
    "spiders.middlewares.FirstBytesOnly": 0,   # link checks by GET read only the first bytes
    "govcrawl.progress.ProgressExtension": 500,
    "govcrawl.gctuning.GcTuning": 0,
}
EXTENSIONS_BASE = {**_defaults.EXTENSIONS_BASE, "spiders.liveness.SiteLiveness": 0}
GOVCRAWL_PROGRESS = False
GOVCRAWL_RENDER = True
GOVCRAWL_CHROMIUM = None
GOVCRAWL_RENDER_NAVIGATION_TIMEOUT = 20.0
GOVCRAWL_RENDER_SETTLE = 5.0
GOVCRAWL_RENDER_TIMEOUT = 60.0
GOVCRAWL_BROWSER_RECYCLE_PAGES = 50
GOVCRAWL_EVIDENCE_DIR = "evidence"
GOVCRAWL_SCREENSHOTS = True
GOVCRAWL_CHALLENGES = True
GOVCRAWL_CHALLENGE_MAX_SOLVES = 4
GOVCRAWL_CHALLENGE_TIMEOUT = 20.0

# Distributed runs (README "Distributed runs"): only with REDIS_URL set does the add-on switch to the leased
# scrapy-redis scheduler; without it the crawl is the single-host one.
ADDONS = {"govcrawl.distributed.addon.DistributedRun": 0}
REDIS_URL = None
GOVCRAWL_LEASED_GROUPS = 8
GOVCRAWL_LEASE_TTL = 60.0
GOVCRAWL_LEASE_HEARTBEAT = 15.0
GOVCRAWL_RECLAIM_INTERVAL = 10.0
GOVCRAWL_WORKER_POLL = 0.5
GOVCRAWL_REDIS_DONE_TTL = 7 * 24 * 3600
