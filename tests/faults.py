"""Fault injection for the liveness test (tests/test_site_finishes.py): each marked URL is lost one way.

- `/fault-dupe/`: the scheduler's duplicate filter drops it (its fingerprint is marked seen first)
- `/fault-filter/`: a spider middleware drops it silently (as DEPTH_LIMIT or an offsite filter would)
- `/fault-callback/`: its callback raises before the spider's own code runs (an exception escaping a callback)
- `/fault-hang/`: its download never returns (as a browser page that hangs would)
URL length (UrlLengthMiddleware) and robots.txt (RobotsTxtMiddleware) are Scrapy's own, not injected.
"""
import asyncio

from scrapy.http import Request

from spiders.liveness import WithCrawler


class DropInSpiderOutput(WithCrawler):
    """A spider middleware between the spider and the engine."""

    def process_spider_output(self, response, result, spider=None):
        for item in result:
            if isinstance(item, Request) and "/fault-filter/" in item.url:
                continue
            if isinstance(item, Request) and "/fault-dupe/" in item.url:
                item.dont_filter = False
                self.crawler.engine.scheduler.df.request_seen(item)
            yield item

    async def process_spider_output_async(self, response, result, spider=None):
        async for item in result:
            for kept in self.process_spider_output(response, [item], spider):
                yield kept

    async def process_start(self, start):
        async for item in start:
            for kept in self.process_spider_output(None, [item]):
                yield kept


def exploding_callback(response):
    raise RuntimeError(f"injected failure in the callback of {response.url}")


class HangOrExplode:
    """A downloader middleware: /fault-hang/ never returns; /fault-callback/ gets a callback that raises."""

    async def process_request(self, request, spider=None):
        if "/fault-hang/" in request.url:
            await asyncio.Event().wait()
        if "/fault-callback/" in request.url:
            request.callback = exploding_callback
        return None
