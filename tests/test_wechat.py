"""Sogou WeChat search, its anti-bot pages, and profile_ext getmsg (govcrawl/extract/wechat.py)."""
from __future__ import annotations

from datetime import date, datetime
import pytest

from govcrawl.dates import DateParser
from govcrawl.extract import wechat
from govcrawl.extract.page import Page
from tests.shape_cases import as_of, case_id, page_file, replay_saved, saved_case, saved_cases

SEARCH = "https://weixin.sogou.com/weixin?query=x&type=2&page=1&ie=utf8"
SAVED_SEARCH = page_file(saved_case("wechat", "sogou_search")).read_text(encoding="utf-8")


def results(text, day=date(2026, 9, 1)):
    return wechat.parse_search(Page(SEARCH, text), DateParser(day))


def read_wechat_answer(page: Page, spec: dict) -> dict:
    """A Sogou search page's rows or a getmsg answer, as expected.json asks."""
    if "getmsg" in spec:
        return {"getmsg": wechat.parse_getmsg(page.text)}
    return {"search": wechat.parse_search(page, DateParser(as_of(spec)))}


@pytest.mark.parametrize("case", saved_cases("wechat"), ids=case_id)
def test_saved_answers(case):
    got, expected = replay_saved(case, read_wechat_answer)
    assert got == expected


def test_newest_for_matches_the_account_only():
    html = ('<ul class="news-list">'
            + "".join(f'<li><div class="txt-box"><h3><a href="/link?url={i}">t{i}</a></h3><div class="s-p">'
                      f'<a class="account">{who}</a><span class="s2"><script>document.write(timeConvert(\'{ep}\'))'
                      f'</script></span></div></div></li>'
                      for i, (who, ep) in enumerate([("湖南日报", 1560124800), ("益阳 人防", 1555000000),
                                                     ("益阳人防", 1554000000), ("益阳人防", 1561000000)]))
            + "</ul>")
    rows = results(html)
    newest = wechat.newest_for(rows, "益阳人防", datetime(2019, 6, 10, 23, 59))
    assert newest.url.endswith("url=1") and newest.published == datetime(2019, 4, 12, 0, 26, 40)
    assert wechat.newest_for(rows, "怀化民政") is None


def test_account_search_latest_article():
    html = ('<ul class="news-list2"><li id="sogou_vr_11002301_box_0"><div class="txt-box">'
            '<p class="tit"><a href="/link?url=acc">会同之窗</a></p><label name="em_weixinhao">htzc</label></div>'
            '<dl><dt>最近文章：</dt><dd><a href="/link?url=art">会同县召开会议</a>'
            "<span><script>document.write(timeConvert('1555000000'))</script></span></dd></dl></li></ul>")
    [row] = results(html)
    assert (row.title, row.published.date()) == ("会同县召开会议", date(2019, 4, 12))


@pytest.mark.parametrize("text, url, blocked", [
    ("<html>ok</html>", "https://weixin.sogou.com/antispider/?from=%2Fweixin", True),
    ('<link href="/static/css/anti.min.css">', SEARCH, True),
    ('<span id="seccodeRight"></span>', SEARCH, True),
    ("<p>我们的系统检测到您网络中存在异常访问请求</p>", SEARCH, True),
    ("<html>" + SAVED_SEARCH.split("<html>", 1)[1], SEARCH, False),
])
def test_antispider(text, url, blocked):
    assert bool(wechat.antispider(text, url)) is blocked


@pytest.mark.parametrize("text", ['{"ret":-3,"errmsg":"no session"}', "<html>请在微信客户端打开链接</html>"])
def test_getmsg_expired_session_is_blocked(text):
    assert wechat.parse_getmsg(text).blocked


def test_urls():
    assert wechat.search_url("益阳人防") == ("https://weixin.sogou.com/weixin?query=%E7%9B%8A%E9%98%B3%E4%BA%BA%E9%98%B2"
                                             "&type=2&page=1&ie=utf8")
    assert wechat.is_getmsg_url("https://mp.weixin.qq.com/mp/profile_ext?action=getmsg&__biz=x&f=json")
    assert not wechat.is_getmsg_url("https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=x")
