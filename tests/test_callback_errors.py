"""A page whose callback raises was read only in part: the site is stored incomplete with that page named, so no
finding can come from the facts the failed page would have given (issue 13: an extraction failure is never an
accusation)."""
from types import SimpleNamespace

from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from govcrawl.registry import Site
from govcrawl.visit import VISIT, HomepageHop, Visit, visit_of
from spiders.provincial import ProvincialSpider
from spiders.challenges import ChallengeLog
from spiders.tracking import SiteState, SiteWindow, tracked


class OneSiteSpider:
    """What `tracked` and ProvincialSpider.finish_site use of a spider, and a homepage callback that fails midway."""
    finish_site = ProvincialSpider.finish_site

    def __init__(self):
        self.crawler = SimpleNamespace(stats=MemoryStatsCollector(SimpleNamespace(settings=Settings({"STATS_DUMP": False}))))
        self.window = SiteWindow(0)
        self.max_requests = 100
        self.challenge_log = ChallengeLog()
        site = Site("4300000001", "测试网站", "测试单位", "http://www.example.gov.cn/")
        state = SiteState(site=site, reachable=True, final_url=site.url)
        state.opened(1, "homepage", site.url)  # the one request of the site, as ProvincialSpider.request counts it
        self.states = {site.site_code: state}

    @tracked
    def parse_homepage(self, response):
        yield {"type": "column", "url": response.url, "role": "homepage"}
        raise ValueError("Input object is not an XML element: HtmlComment")


def homepage_response(site_code: str) -> HtmlResponse:
    request = Request("http://www.example.gov.cn/", meta={VISIT: Visit(site_code, "homepage", request_id=1)})
    return HtmlResponse(request.url, body=b"<html><body><ul><li><a href='/a'>x</a><!-- c --></ul></body></html>",
                        request=request, encoding="utf-8")


def test_a_failed_callback_leaves_the_site_incomplete_with_the_page_named():
    spider = OneSiteSpider()
    items = list(spider.parse_homepage(homepage_response("4300000001")))
    site = next(i for i in items if i["type"] == "site")
    assert site["status"] == "incomplete"
    assert "http://www.example.gov.cn/" in site["status_reason"] and "处理出错" in site["status_reason"]
    assert items[0]["role"] == "homepage"   # what was yielded before the error is kept
    assert spider.crawler.stats.get_value("govcrawl/callback_errors") == 1


def test_a_site_without_errors_stays_complete():
    spider = OneSiteSpider()

    @tracked
    def parse_fine(self, response):
        yield {"type": "column", "url": response.url, "role": "homepage"}

    items = list(parse_fine(spider, homepage_response("4300000001")))
    site = next(i for i in items if i["type"] == "site")
    assert site["status"] == "complete" and site["status_reason"] is None


def slow_homepage_spider(tmp_path, latency: float):
    registry = tmp_path / "registry.csv"
    registry.write_text("site_code,name,unit,url\n4300000001,测试网站,测试单位,http://www.example.gov.cn/\n",
                        encoding="utf-8")
    spider = ProvincialSpider(registry=str(registry), as_of="2019-06-10", run="t")
    spider.crawler = OneSiteSpider().crawler
    spider.max_requests, spider.homepage_attempts, spider.unreachable_timeout_s = 100, 3, 15.0
    spider.render_enabled, spider.check_links_max, spider.max_columns = False, 0, 50
    state = SiteState(site=spider.sites[0], pending=1)
    spider.states = {state.site.site_code: state}
    request = spider.homepage_request(state, state.site.url, attempt=1)
    request.meta["download_latency"] = latency
    body = "<html><body><ul><li><a href='/xw/1.html'>要闻</a><span>2019-06-09</span></li></ul></body></html>"
    return spider, HtmlResponse(request.url, body=body.encode(), request=request, encoding="utf-8")


def test_a_homepage_answering_after_the_timeout_is_tried_again(tmp_path):
    spider, response = slow_homepage_spider(tmp_path, latency=17.4)   # site_unreachable's 15 s
    items = list(spider.parse_homepage(response))
    fetch = next(i for i in items if isinstance(i, dict) and i["type"] == "fetch")
    assert fetch["status"] == 200 and fetch["elapsed_ms"] == 17400
    retries = [i for i in items if isinstance(i, Request)]
    assert [visit_of(r).part(HomepageHop).attempt for r in retries] == [2]
    assert not any(isinstance(i, dict) and i["type"] == "column" for i in items)   # not read from the late answer


def test_a_homepage_answering_in_time_is_read(tmp_path):
    spider, response = slow_homepage_spider(tmp_path, latency=2.0)
    items = list(spider.parse_homepage(response))
    assert any(isinstance(i, dict) and i["type"] == "column" and i["role"] == "homepage" for i in items)
    assert not any(isinstance(i, Request) and visit_of(i).role == "homepage" for i in items)
