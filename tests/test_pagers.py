"""Further list pages: limits on a saved TRS page, generated pager markup (saved cases whose expected.json states
next_pages replay in tests/test_shapes.py)."""
from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcrawl.extract.page import Page
from govcrawl.shapes import next_pages
from tests.shape_cases import SHAPES, load_case

TRS_SAVED = SHAPES / "trs" / "trs_browser_saved"  # each case's next_pages are checked by tests/test_shapes.py


@pytest.mark.parametrize("max_pages", [0, 1, 2, 3])
def test_never_more_than_max_pages_in_total(max_pages: int) -> None:
    page, _ = load_case(TRS_SAVED)
    urls = next_pages(page, max_pages)
    assert len(urls) == max(0, max_pages - 1)
    assert page.url not in urls


@pytest.mark.parametrize("snippet, url, expected", [
    ('<script>createPageHTML(67, 0, "index", "shtml");</script>', "http://a.gov.cn/x/", ["index_1.shtml", "index_2.shtml"]),
    ('<script>createPageHTML("page_div",18,1,"zfxxgk_gknrz","shtml",108);</script>', "http://a.gov.cn/x/zfxxgk_gknrz.shtml",
     ["zfxxgk_gknrz_1.shtml", "zfxxgk_gknrz_2.shtml"]),
    ('<script>var countPage = 5; createPageHTML(countPage, 0, "list", "html");</script>', "http://a.gov.cn/x/list.html",
     ["list_1.html", "list_2.html"]),
    ('<script>createPageHTML(10, 4, "index", "html");</script>', "http://a.gov.cn/x/index_4.html", []),
    ('<div class="page"><a href="index_1.html">2</a><a href="index_2.html">3</a><a href="index_65.html">尾页</a></div>',
     "http://a.gov.cn/x/index.html", ["index_1.html", "index_2.html"]),
    ('<div><a href="list.jsp?pageNo=2">下一页</a><span>共 40 页</span></div>', "http://a.gov.cn/x/list.jsp", ["list.jsp?pageNo=2", "list.jsp?pageNo=3"]),
    ("<p>no pager here</p>", "http://a.gov.cn/x/", []),
    ('<script>//createPageHTML(9, 0, "index", "html");</script>', "http://a.gov.cn/x/", []),
])
def test_pager_forms(snippet: str, url: str, expected: list[str]) -> None:
    assert next_pages(Page(url, f"<html><body>{snippet}</body></html>"), 3) == [url.rsplit("/", 1)[0] + "/" + u for u in expected]


_FRAGMENTS = st.sampled_from([
    "createPageHTML(", "createPage(", ")", ",", '"index"', "'html'", "0", "1", "99999999999999", "-3", "var countPage = ",
    "//", "\n", "<script>", "</script>", "<a href='index_3.html'>", "尾页", "下一页", "</a>", "共 9 页", "第2页", "?page=",
    "$('#12').jpage({totalRecord:", "perPage:0", "ajaxParam:{a:'b'", "}", "})", "<nextgroup><![CDATA[<a href='dataproxy.jsp?page=1'>]]>",
    "</nextgroup>", "<datastore><totalpage>", "</totalpage>", "pagecount=\"7\"", "totalPage: ", "'index_${PageIndex}.shtml'",
])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.one_of(_FRAGMENTS, st.text(max_size=12)), max_size=30),
       url=st.sampled_from(["http://a.gov.cn/x/index.html", "http://a.gov.cn/x/index_2.html",
                            "http://a.gov.cn/module/web/jpage/dataproxy.jsp?page=2&perpage=0", "http://a.gov.cn"]),
       max_pages=st.integers(min_value=-1, max_value=8))
def test_arbitrary_input_never_raises(parts: list[str], url: str, max_pages: int) -> None:
    urls = next_pages(Page(url, "".join(parts)), max_pages)
    assert len(urls) <= max(0, max_pages - 1)
    assert len(set(urls)) == len(urls) and url not in urls
