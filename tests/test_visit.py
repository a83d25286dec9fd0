"""The typed request context (govcrawl/visit.py): it survives the distributed queue's serialisation, and a wrong
role or step is a clear error, never a silent KeyError somewhere later."""
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat
from scrapy_redis.queue import Base

from govcrawl.visit import VISIT, ArticleSample, Column, HomepageHop, Visit, visit_of, visit_or_none


class Spider:
    name = "provincial"

    def parse_article(self, response):
        pass


def test_a_visit_survives_the_distributed_queue():
    visit = Visit("4300000001", "article", request_id=7, column_url="http://a/tzgg/",
                  column=Column("http://a/tzgg/", "通知公告", True, None, "nav"),
                  step=ArticleSample(("http://a/1.html", "http://a/2.html"), 1, 0),
                  static={"url": "http://a/tzgg/", "status": 200, "body": b"<html></html>", "content_type": ""})
    spider = Spider()
    request = Request("http://a/2.html", callback=spider.parse_article, meta={VISIT: visit, "dont_retry": True})
    queue = Base(server=None, spider=spider, key="k", serializer=picklecompat)
    back = queue._decode_request(queue._encode_request(request))
    assert visit_of(back) == visit and visit_of(back) is not visit
    assert back.meta["dont_retry"] and back.callback == spider.parse_article
    assert request_from_dict(request.to_dict(spider=spider), spider=spider).meta[VISIT] == visit


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="unknown role 'colum'"):
        Visit("4300000001", "colum")


def test_the_wrong_step_names_the_request():
    visit = Visit("4300000001", "homepage", step=HomepageHop(1, 0, "http://a/"))
    assert visit.part(HomepageHop).hop_url == "http://a/"
    with pytest.raises(TypeError, match="homepage request of site 4300000001: expected step ArticleSample, has HomepageHop"):
        visit.part(ArticleSample)


def test_a_request_without_a_visit():
    request = Request("http://a/robots.txt")
    assert visit_or_none(request) is None and visit_or_none(SimpleNamespace()) is None
    with pytest.raises(KeyError, match="robots.txt: no govcrawl Visit"):
        visit_of(request)
