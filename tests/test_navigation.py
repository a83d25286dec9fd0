"""Columns from homepages and column pages: saved pages of the main CMS shapes, plus focused rules."""
from dataclasses import asdict
from pathlib import Path

import pytest

from govcrawl.extract.navigation import ColumnLink, clean_name, find_columns, find_offsite_links, js_target
from govcrawl.extract.page import Page
from govcrawl.scope import Scope
from govcrawl.urls import is_article_url
from tests.shape_cases import load_case

PAGES = Path(__file__).parent / "pages" / "nav"
SAVED = sorted(p.parent for p in PAGES.glob("*/expected.json"))  # <case>/inputs/page.html + expected.json


def test_enough_saved_pages():
    assert len(SAVED) >= 8


@pytest.mark.parametrize("case", SAVED, ids=lambda case: case.name)
def test_saved_page(case):
    page, expected = load_case(case)
    scope = Scope.for_site(expected["registered"])
    assert [asdict(c) for c in find_columns(page, scope)] == expected["columns"]
    assert [list(t) for t in find_offsite_links(page, scope)] == expected["offsite"]


@pytest.mark.parametrize("url,article", [
    ("http://www.x.gov.cn/zwgk/tzgg/201901/t20190121_52601.shtml", True),
    ("http://www.x.gov.cn/art/2019/1/2/art_1229_5588.html", True),
    ("http://www.x.gov.cn/col/col1229/art/2026/art_0123456789abcdef0123456789abcdef.html", True),
    ("https://www.gov.cn/zhengce/content/202607/content_7031234.htm", True),
    ("http://www.x.gov.cn/c/2026-09-02/12345.shtml", True),
    ("http://hrss.henan.gov.cn/2026/09-11/1234.html", True),
    ("http://www.x.gov.cn/ztzl/kldt/query/12345.html", True),
    ("http://www.x.gov.cn/NewsView.aspx?NewsID=123&ClassID=602", True),
    ("http://www.qqhr.gov.cn/News_showGkmlNews.action?messagekey=189769", True),
    ("http://gzw.sz.gov.cn/gkmlpt/content/post_1234567.html", True),
    ("http://www.x.gov.cn/col/col1229287438/index.html", False),
    ("http://www.x.gov.cn/zwgk/tzgg/", False),
    ("http://www.x.gov.cn/zwgk/tzgg/index_2.shtml", False),
    ("http://www.x.gov.cn/list.aspx?id=12", False),
    ("http://www.x.gov.cn/news_list.html", False),
])
def test_is_article_url(url, article):
    assert is_article_url(url) is article


@pytest.mark.parametrize("code,target", [
    ("javascript:window.open('/zwgk/index.shtml')", "/zwgk/index.shtml"),
    ("window.location.href='/col/col12/index.html'", "/col/col12/index.html"),
    ('location.replace("http://www.x.gov.cn/a/")', "http://www.x.gov.cn/a/"),
    ("goto('/col/col123/index.html')", "/col/col123/index.html"),
    ("openUrl(1, 'zwgk/tzgg/list.jsp?cid=8')", "zwgk/tzgg/list.jsp?cid=8"),
    ("openCol(3320)", None),
    ("window.print()", None),
    ("void(0)", None),
])
def test_js_target(code, target):
    assert js_target(code) == target


@pytest.mark.parametrize("raw,name", [
    ("  通知\u3000公告 ", "通知 公告"), ("更多>>", ""), ("政务要闻 >>", "政务要闻"), ("[更多]", ""), ("■ 政策解读", "政策解读")])
def test_clean_name(raw, name):
    assert clean_name(raw) == name


def nav_page(items: str, extra: str = "") -> str:
    return f"<html><body><div class='topmenu'><ul>{items}</ul></div>{extra}</body></html>"


def li(href: str, text: str) -> str:
    return f"<li><a href='{href}'>{text}</a></li>"


def test_skips_home_tools_offsite_and_articles_in_menus():
    items = "".join([li("/", "首页"), li("/wza/", "无障碍"), li("/big5/", "繁体"), li("/en/", "English"),
                     li("/login.jsp", "登录"), li("/search/", "搜索"), li("/rss/", "RSS"), li("/gywm/", "关于我们"),
                     li("/zwgk/", "政务公开"), li("/xwzx/", "新闻中心"), li("/hdjl/", "互动交流"),
                     li("http://www.gov.cn/", "中国政府网"), li("ftp://x.gov.cn/a/", "下载"),
                     li("/zwgk/202601/t20260101_1.html", "一条新闻"), li("/zwgk/ml.pdf", "目录")])
    page = Page("http://www.x.gov.cn/", nav_page(items))
    cols = find_columns(page, Scope.for_site("http://www.x.gov.cn/"))
    assert [(c.name, c.source, c.first_level) for c in cols] == [
        ("政务公开", "nav", True), ("新闻中心", "nav", True), ("互动交流", "nav", True)]


def test_dedupes_and_upgrades_a_submenu_seen_later_as_a_top_item():
    items = ("<li><a href='/zwgk/'>政务公开</a><ul>" + li("/zwgk/tzgg/", "通知公告") + li("/zwgk/zcjd/", "政策解读")
             + "</ul></li>" + li("/xwzx/", "新闻中心") + li("/hdjl/", "互动交流") + li("/zwgk/", "政务公开"))
    block = ("<div class='box'><div class='box-title'><span>通知公告</span>"
             "<a href='/zwgk/tzgg/index.html'>更多</a></div></div>")
    page = Page("http://www.x.gov.cn/index.html", nav_page(items, block))
    cols = find_columns(page, Scope.for_site("http://www.x.gov.cn/"))
    assert [c.url.rsplit("gov.cn", 1)[1] for c in cols] == ["/zwgk/", "/zwgk/tzgg/", "/zwgk/zcjd/", "/xwzx/", "/hdjl/"]
    assert cols[1] == ColumnLink("通知公告", "http://www.x.gov.cn/zwgk/tzgg/", True, "政务公开", "submenu")
    assert cols[2].first_level is False


def test_column_page_blocks_are_children_of_the_page_column():
    html = ("<html><head><meta name='ColumnName' content='政务公开'></head><body>"
            "<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk/'>政务公开</a></div>"
            "<div class='blk'><h3>财政信息</h3><a href='/zwgk/czxx/'>more</a></div></body></html>")
    cols = find_columns(Page("http://www.x.gov.cn/zwgk/", html), Scope.for_site("http://www.x.gov.cn/"))
    assert cols == [ColumnLink("财政信息", "http://www.x.gov.cn/zwgk/czxx/", False, "政务公开", "more")]
    # the caller knows better: the same page declared a homepage ranks its blocks first-level
    cols = find_columns(Page("http://www.x.gov.cn/zwgk/", html), Scope.for_site("http://www.x.gov.cn/"),
                        is_homepage=True)
    assert cols == [ColumnLink("财政信息", "http://www.x.gov.cn/zwgk/czxx/", True, None, "more")]


def test_list_of_dated_links_is_not_navigation():
    rows = "".join(f"<li><a href='/tzgg/a{i}/'>通知{i}号</a><span>2026-09-0{i}</span></li>" for i in range(1, 7))
    page = Page("http://www.x.gov.cn/", f"<html><body><ul class='nav'>{rows}</ul></body></html>")
    assert find_columns(page, Scope.for_site("http://www.x.gov.cn/")) == []


def test_pager_links_of_a_column_are_no_sub_columns():
    nav = "".join(f"<li><a href='/a/lm{i}/'>栏目{i}</a></li>" for i in range(3, 8))
    # DedeCMS pagelist: 首页 and the current page are anchors without href
    pager = "<li><a>首页</a></li><li class='thisclass'><a>1</a></li>" + "".join(
        f"<li><a href='list_4_{n}.html'>{n}</a></li>" for n in (2, 3, 4)) + \
        "<li><a href='list_4_2.html'>下一页</a></li><li><a href='list_4_4.html'>末页</a></li>" \
        "<li><span class='pageinfo'>共 <strong>4</strong>页</span></li>"
    html = f"<html><body><div id='navMenu'><ul>{nav}</ul></div><div class='main'><ul class='pagelist'>{pager}</ul></div></body></html>"
    names = [c.name for c in find_columns(Page("http://www.x.gov.cn/a/lm4/", html), Scope.for_site("http://www.x.gov.cn/"))]
    assert names == [f"栏目{i}" for i in range(3, 8)]


def test_offsite_links_are_deduplicated_and_http_only():
    html = ("<html><body><a href='http://www.gov.cn/'>中国政府网</a><a href='http://www.gov.cn/#top'>又一次</a>"
            "<a href='mailto:a@x.gov.cn'>信箱</a><a href='/zwgk/'>政务公开</a>"
            "<a href='https://zwfw.hunan.gov.cn/'><img alt='湖南政务服务网'></a></body></html>")
    page = Page("http://www.x.gov.cn/", html)
    assert find_offsite_links(page, Scope.for_site("http://www.x.gov.cn/")) == [
        ("中国政府网", "http://www.gov.cn/"), ("湖南政务服务网", "https://zwfw.hunan.gov.cn/")]


def test_nav_items_with_english_subtitles_and_plain_labels():
    items = ("<li><a href='/zwgk/'><p>政务公开</p><p>GOVERNMENT AFFAIRS</p></a></li>"
             "<li><a href='/zwfw/'>政务服务<em>Service</em></a></li>"
             "<li><span>互动交流</span><div class='sub'><a href='/hdjl/szxx/'>市长信箱</a>"
             "<a href='/hdjl/zxft/'>在线访谈</a></div></li>")
    page = Page("http://www.x.gov.cn/", nav_page(items))
    cols = find_columns(page, Scope.for_site("http://www.x.gov.cn/"))
    assert [(c.name, c.first_level, c.parent, c.source) for c in cols] == [
        ("政务公开", True, None, "nav"), ("政务服务", True, None, "nav"),
        ("市长信箱", False, "互动交流", "submenu"), ("在线访谈", False, "互动交流", "submenu")]


def test_more_heading_skips_the_list_of_short_titles():
    html = ("<html><body><div class='box'><div class='hd'><b>通知公告</b></div>"
            "<ul><li><a href='/tzgg/202609/t20260908_1.html'>放假通知</a><span>09-08</span></li>"
            "<li><a href='/tzgg/202609/t20260901_2.html'>停水公告</a></li></ul>"
            "<a href='/tzgg/'><img src='/images/more.gif'></a></div></body></html>")
    cols = find_columns(Page("http://www.x.gov.cn/", html), Scope.for_site("http://www.x.gov.cn/"))
    assert cols == [ColumnLink("通知公告", "http://www.x.gov.cn/tzgg/", True, None, "more")]


def test_breadcrumb_is_not_navigation():
    html = ("<html><body><div class='crumbsNav'>当前位置：<a href='../../../'>首页</a> &gt; "
            "<a href='../../'>要闻动态</a> &gt; <a href='../'>环境要闻</a> &gt; <a href='./'>一周要闻</a></div>"
            "<h2>生态环境部一周要闻</h2></body></html>")
    page = Page("http://www.mee.gov.cn/ywdt/hjywnews/yzyw/202204/t20220417_974894.shtml", html)
    assert find_columns(page, Scope.for_site("http://www.mee.gov.cn/")) == []
