"""Scrapy settings for govcrawl. Every GOVCRAWL_* setting is documented in the README's settings reference."""

BOT_NAME = "govcrawl"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# An honest, stable User-Agent: WAFs on government sites block by UA, and site owners should know who reads them.
USER_AGENT = "govcrawl/0.1 (government website inspection; +https://github.com/govcrawl/govcrawl)"
# 19号 inspections cover every published page; robots.txt often disallows whole sites. Inspectors may turn it on.
ROBOTSTXT_OBEY = False

# Many sites side by side, few requests per host.
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
RANDOMIZE_DOWNLOAD_DELAY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5

# 19号 counts a homepage that does not open within 15 s as a failed visit.
DOWNLOAD_TIMEOUT = 15
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
METAREFRESH_ENABLED = False  # the spider follows meta refresh itself, to record it in the redirect chain
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429, 403]
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "spiders.middlewares.BackoffMiddleware": 560,
}
ITEM_PIPELINES = {
    "pipelines.storage.StoragePipeline": 300,
    "pipelines.verdicts.VerdictPipeline": 400,
}

# Breadth-first per site keeps the per-site request graph shallow and finishes sites one after another.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# govcrawl's own settings (README: "Settings")
GOVCRAWL_DB = "govcrawl.db"
GOVCRAWL_BATCH_SIZE = 500
GOVCRAWL_HOMEPAGE_ATTEMPTS = 3
GOVCRAWL_MAX_COLUMNS_PER_SITE = 300
GOVCRAWL_MAX_PAGES_PER_COLUMN = 5
GOVCRAWL_MAX_REQUESTS_PER_SITE = 2000
GOVCRAWL_ARTICLE_SAMPLE = 3
GOVCRAWL_MAX_REDIRECT_HOPS = 10
GOVCRAWL_BACKOFF_MAX_DELAY = 60.0
GOVCRAWL_MAX_LETTER_PAGES = 10
GOVCRAWL_MAX_LETTER_DETAILS = 60
GOVCRAWL_GUIDE_SAMPLE = 5
GOVCRAWL_CHECK_LINKS = 60
