"""render_reason / json_endpoint on page shapes from page-samples (ajax_list_variants.txt, hanweb_*)."""
from datetime import date

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract.page import Page
from govcrawl.registry import Site
from govcrawl.render import render_reason
from govcrawl.shapes import json_endpoint, read_listing

SITE = Site("4300000001", "测试", "湖南", "http://www.a.gov.cn/")
DATES = DateParser(date(2019, 6, 10))
NAV = "<div class='nav'><ul class='nav-list'><li><a href='/'>首页</a></li></ul></div>"
BADGE = "<script>document.write(unescape('%3Cspan id=_ideConac%3E'));</script>"
LIST = "<ul class='list'><li><a href='/art/2019/6/1/art_1_2.html'>关于开展检查的通知</a><span>2019-06-01</span></li></ul>"

PAGES = {
    "static list": (NAV + LIST + BADGE, None),
    "blank marker": (NAV + "<ul class='list'></ul><div>暂无信息</div><script>fetch('/a.json')</script>", None),
    "badge only": (NAV + "<ul class='list'></ul>" + BADGE, None),
    "pager only": (NAV + "<ul class='list'></ul><script>createPageHTML(1, 0, 'index', 'html');</script>", None),
    "hanweb jpage, no records": ("<div id='212860'></div><script>$('#212860').jpage({totalRecord:48,perPage:15});</script>",
                                 "ajax-jpage"),
    "truecms initData": ("<div id='initData'><ul></ul></div><div id='msgList'></div><script>$('#msgList').jpage"
                         "({proxyUrl:'http://210.29.65.177:8001/TrueCMS/messageController/getMessage.do'})</script>",
                         "ajax-truecms"),
    "xhr into empty list": (NAV + "<ul id='newsList'></ul><script>$.ajax({url: base + '/list', success: f})</script>",
                            "ajax-xhr"),
    "xhr elsewhere, list full": (NAV + LIST + "<script>$.getJSON('/weather.json')</script>", None),
    "script-built rows": (NAV + "<table><tbody id='newsList'></tbody></table><script>var rows=[];rows.push(['a','/b','2019-6-1']);"
                          "document.getElementById('newsList').innerHTML=rows.join('')</script>", "empty-list"),
}


@pytest.mark.parametrize("name", PAGES)
def test_column_reason(name):
    html, expected = PAGES[name]
    page = Page("http://www.a.gov.cn/col/index.html", f"<html><body>{html}</body></html>")
    assert render_reason(page, read_listing(page, DATES), "column", SITE) == expected


HOMES = {
    "computed host": ("<script>var labels=['new','a','gov','cn']; window.location.href='http://'+labels.join('.')+'/';</script>",
                      "js-redirect"),
    "literal target (static handles it)": ("<script>window.location.href='http://new.a.gov.cn/';</script>", None),
    "mobile switch": ("<script>if(/iphone|android/i.test(navigator.userAgent)){location.href=base+'/m/';}</script>", None),
    "frame busting": ("<script>if(top!=self){top.location=self.location;}</script>", None),
    "portal with many links": ("".join(f"<a href='/c{i}/'>栏目{i}</a>" for i in range(20))
                               + "<script>location.href=computeTarget();</script>", None),
}


@pytest.mark.parametrize("name", HOMES)
def test_homepage_reason(name):
    html, expected = HOMES[name]
    page = Page("http://www.a.gov.cn/", f"<html><head></head><body>{html}</body></html>")
    assert render_reason(page, None, "homepage", SITE) == expected


def test_registry_render_yes_and_roles():
    page = Page("http://www.a.gov.cn/", f"<html><body>{LIST}</body></html>")
    forced = Site("4300000001", "测试", "湖南", "http://www.a.gov.cn/", render=True)
    assert render_reason(page, read_listing(page, DATES), "column", forced) == "registry"
    assert render_reason(page, None, "article", forced) is None


ENDPOINTS = {
    "fetch literal": ("fetch('/TrueCMS/messageController/getMessage.do?channelId=7&pageSize=15').then(r=>r.json())",
                      "http://www.a.gov.cn/TrueCMS/messageController/getMessage.do?channelId=7&pageSize=15"),
    "getJSON": ("$.getJSON(\"/api/list.json?cat=3\", function(d){})", "http://www.a.gov.cn/api/list.json?cat=3"),
    "ajax GET with literal data": ("$.ajax({url:'/rest/infolist', type:'get', data:{categorynum:'001001', pageSize:15}})",
                                   "http://www.a.gov.cn/rest/infolist?categorynum=001001&pageSize=15"),
    "ajax POST": ("$.ajax({url:'/rest/infolist', type:'post', data:{categorynum:'001001'}})", None),
    "computed url": ("fetch(api + '?channelId=' + id)", None),
    "script file is no data": ("$.getScript('/js/x.js'); fetch('/js/lib.js')", None),
    "jpage with its proxyUrl": ("$('#5').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp',ajaxParam:{webid:1,columnid:9,unitid:'5'}})",
                                "http://www.a.gov.cn/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=9&unitid=5"),
    "jpage without proxyUrl": ("var param_5={webid:1,columnid:9,unitid:'5'}; $('#5').jpage({totalRecord:9,ajaxParam:param_5})",
                               None),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_json_endpoint(name):
    code, expected = ENDPOINTS[name]
    page = Page("http://www.a.gov.cn/col/index.html", f"<html><body><ul id='l'></ul><script>{code}</script></body></html>")
    assert json_endpoint(page) == expected
