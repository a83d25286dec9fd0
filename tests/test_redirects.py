"""In-page redirects: meta refresh, JavaScript location changes, "本网站已迁移至…" notices."""
import pytest

from govcrawl.extract.page import Page
from govcrawl.extract.redirects import InPageRedirect, find_redirect
from tests.shape_cases import case_id, replay_saved, saved_cases


def read_redirect(page: Page, spec: dict) -> dict:
    return {"redirect": find_redirect(page)}


@pytest.mark.parametrize("case", saved_cases("redirect"), ids=case_id)
def test_saved_pages(case):
    got, expected = replay_saved(case, read_redirect)
    assert got == expected


def head(markup: str) -> str:
    return f"<html><head>{markup}</head><body><p>正在跳转……</p></body></html>"


def script(code: str) -> str:
    return head(f"<script>{code}</script>")


URL = "http://www.x.gov.cn/index.html"
INLINE_CASES = [
    ("refresh-lowercase-single-quotes", head("<meta http-equiv='refresh' content='0; url=http://www.y.gov.cn/'>"),
     ("meta-refresh", "http://www.y.gov.cn/")),
    ("refresh-without-url-word", head('<meta http-equiv="REFRESH" content="3;/portal/index.html">'),
     ("meta-refresh", "http://www.x.gov.cn/portal/index.html")),
    ("refresh-quoted-url-spaces", head('<meta http-equiv="Refresh" content="0 ; URL = \'main.html\'">'),
     ("meta-refresh", "http://www.x.gov.cn/main.html")),
    ("refresh-no-url", head('<meta http-equiv="refresh" content="300">'), None),
    ("refresh-same-page", head('<meta http-equiv="refresh" content="600; url=/index.html">'), None),
    ("refresh-in-noscript", "<html><body><noscript><meta http-equiv='refresh' content='0;url=/nojs.html'>"
                            "</noscript><p>首页</p></body></html>", None),
    ("location-replace", script("location.replace('/col/col1/index.html');"),
     ("js-location", "http://www.x.gov.cn/col/col1/index.html")),
    ("top-location-href", script('top.location.href="https://www.y.gov.cn/";'),
     ("js-location", "https://www.y.gov.cn/")),
    ("document-location", script("document.location = 'sy/index.htm'"),
     ("js-location", "http://www.x.gov.cn/sy/index.htm")),
    ("window-location", script('window.location="http://www.y.gov.cn/zwgk/"'),
     ("js-location", "http://www.y.gov.cn/zwgk/")),
    ("settimeout-string", script("setTimeout(\"location.href='http://www.y.gov.cn/'\", 3000);"),
     ("js-location", "http://www.y.gov.cn/")),
    ("settimeout-function", script("setTimeout(function () { window.location.href = '/new/'; }, 2000);"),
     ("js-location", "http://www.x.gov.cn/new/")),
    ("body-onload", "<html><body onload=\"location.href='/home.html'\"></body></html>",
     ("js-location", "http://www.x.gov.cn/home.html")),
    ("variable-target", script("var url = '/m/'; location.href = url;"), None),
    ("concatenated-target", script("location.href = '/search?q=' + encodeURIComponent(q);"), None),
    ("inside-function", script("function back() { location.href = '/index.html?from=x'; }"), None),
    ("inside-if", script("if (screen.width < 800) { location.href = '/m/'; }"), None),
    ("braceless-if", script("if (isMobile)\n  location.replace('/m/');"), None),
    ("onclick-handler", "<html><body><a href='#' onclick=\"location.href='/zwgk/'\">政务公开</a></body></html>", None),
    ("moved-short-notice-with-link", "<html><body><p>本网站已迁移，请访问新网站：<a href='http://www.new.gov.cn/'>"
                                     "点击进入</a></p></body></html>", ("moved-notice", "http://www.new.gov.cn/")),
    ("moved-notice-url-in-text", "<html><body><div>网站已迁移 新网址：https://www.new.gov.cn/qxj/ 请更新收藏夹</div></body></html>",
     ("moved-notice", "https://www.new.gov.cn/qxj/")),
    ("moved-notice-without-target", "<html><body><p>本网站已迁移，敬请谅解。</p></body></html>", None),
    ("moved-as-news-link-on-short-page", "<html><body><ul><li><a href='/xw/content_12345.html'>档案馆网站已迁移至新平台"
                                         "</a></li></ul></body></html>", None),
]


@pytest.mark.parametrize("case_id,html,expected", INLINE_CASES, ids=[c[0] for c in INLINE_CASES])
def test_inline_cases(case_id, html, expected):
    found = find_redirect(Page(URL, html))
    assert found == (InPageRedirect(*expected) if expected else None)


def test_settimeout_string_inside_a_condition_is_not_a_redirect():
    html = script("if (navigator.userAgent.indexOf('Mobile') > 0) { setTimeout(\"location.href='/m/'\", 10); }")
    assert find_redirect(Page(URL, html)) is None
