import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcrawl.scope import (
    Scope, host_of, is_attachment, is_fetchable, normalize_url, registered_domain, strip_www,
)


@pytest.mark.parametrize("url, expected", [
    ("HTTP://WWW.Hunan.GOV.CN/Col/A.html", "http://www.hunan.gov.cn/Col/A.html"),
    ("http://a.gov.cn", "http://a.gov.cn/"),
    ("http://a.gov.cn:80/x", "http://a.gov.cn/x"),
    ("https://a.gov.cn:443/x", "https://a.gov.cn/x"),
    ("http://a.gov.cn:443/x", "http://a.gov.cn:443/x"),
    ("http://a.gov.cn:8080/x", "http://a.gov.cn:8080/x"),
    ("http://a.gov.cn/x.html#top", "http://a.gov.cn/x.html"),
    ("http://a.gov.cn/x.jsp;jsessionid=0A1B2C?id=3", "http://a.gov.cn/x.jsp?id=3"),
    ("http://a.gov.cn/x.jsp;JSESSIONID=abc", "http://a.gov.cn/x.jsp"),
    ("http://a.gov.cn/l?b=2&jsessionid=x&a=1&sid=9f&sessionid=q", "http://a.gov.cn/l?b=2&a=1"),
    ("http://a.gov.cn/l?page=2&_t=1700000000000&_=1700000000000", "http://a.gov.cn/l?page=2"),
    ("http://a.gov.cn/l?timestamp=abc&z=1", "http://a.gov.cn/l?z=1"),
    ("http://a.gov.cn/l?SID=a8f3k2&z=1", "http://a.gov.cn/l?z=1"),
    ("http://a.gov.cn/l?sid=12&z=1", "http://a.gov.cn/l?sid=12&z=1"),
    ("http://a.gov.cn/l?t=1700000000", "http://a.gov.cn/l"),
    ("http://a.gov.cn/l?t=1700000000000&y=2", "http://a.gov.cn/l?y=2"),
    ("http://a.gov.cn/l?t=news&y=2", "http://a.gov.cn/l?t=news&y=2"),
    ("http://a.gov.cn/l?t=2024", "http://a.gov.cn/l?t=2024"),
    ("http://a.gov.cn/l?z=1&a=%E4%B8%AD&&", "http://a.gov.cn/l?z=1&a=%E4%B8%AD"),
    ("http://a.gov.cn/a/b/../c/./d.html", "http://a.gov.cn/a/c/d.html"),
    ("http://a.gov.cn/../../x.html", "http://a.gov.cn/x.html"),
    ("http://WWW.中国政府.政务/", "http://www.中国政府.政务/"),
    ("http://a.gov.cn./x", "http://a.gov.cn/x"),
    ("  http://a.gov.cn/x  ", "http://a.gov.cn/x"),
    ("http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected
    assert normalize_url(expected) == expected


@pytest.mark.parametrize("url, expected", [
    ("http://WWW.A.gov.cn:8080/x", "www.a.gov.cn"), ("https://a.gov.cn./", "a.gov.cn"),
    ("www.a.gov.cn/x", "www.a.gov.cn"), ("a.gov.cn:81", "a.gov.cn"), ("//a.gov.cn/", "a.gov.cn"),
    ("mailto:x@a.gov.cn", ""), ("http://[::1/", ""), ("http://10.0.0.1:81/", "10.0.0.1"),
])
def test_host_of(url, expected):
    assert host_of(url) == expected


@pytest.mark.parametrize("host, expected", [
    ("www.a.gov.cn", "a.gov.cn"), ("WWW.A.gov.cn", "a.gov.cn"), ("a.gov.cn", "a.gov.cn"),
    ("www1.a.gov.cn", "www1.a.gov.cn"), ("wwwa.gov.cn", "wwwa.gov.cn"),
])
def test_strip_www(host, expected):
    assert strip_www(host) == expected


@pytest.mark.parametrize("host, expected", [
    ("slj.bd.gov.cn", "bd.gov.cn"), ("www.hunan.gov.cn", "hunan.gov.cn"), ("hunan.gov.cn", "hunan.gov.cn"),
    ("x.y.changsha.gov.cn", "changsha.gov.cn"), ("www.中国政府.政务", "中国政府.政务"),
    ("www.xn--fiqs8sirgfmh.xn--zfr164b", "xn--fiqs8sirgfmh.xn--zfr164b"), ("WWW.MIIT.GOV.CN.", "miit.gov.cn"),
    ("www.example.com", "example.com"), ("10.1.2.3", "10.1.2.3"), ("localhost", "localhost"),
])
def test_registered_domain_offline(monkeypatch, host, expected):
    def no_network(*args, **kwargs):
        raise AssertionError("tldextract tried the network")
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert registered_domain(host) == expected


@pytest.mark.parametrize("url, expected", [
    ("http://a.gov.cn/u/2024/a.pdf", True), ("http://a.gov.cn/u/A.PDF", True),
    ("http://a.gov.cn/u/a.docx?v=2", True), ("http://a.gov.cn/u/a.XLS#p", True),
    ("http://a.gov.cn/u/a.wps", True), ("http://a.gov.cn/u/a.ofd", True), ("http://a.gov.cn/u/a.zip", True),
    ("http://a.gov.cn/img/p.JPG?w=100", True), ("http://a.gov.cn/v/a.mp4", True),
    ("http://a.gov.cn/down.jsp?file=%2Fu%2Fplan.PDF", True),
    ("http://a.gov.cn/attachment/download?filename=a.doc&id=3", True),
    ("http://a.gov.cn/art/2024/1/2/art_1_2.html", False), ("http://a.gov.cn/col/", False),
    ("http://a.gov.cn/show.jsp?id=a.pdf.html", False), ("http://a.gov.cn/view.jsp?name=a.pdf", False),
    ("http://a.gov.cn/pdf/", False), ("http://a.gov.cn/x.shtml", False),
])
def test_is_attachment(url, expected):
    assert is_attachment(url) is expected


@pytest.mark.parametrize("url, expected", [
    ("http://a.gov.cn/", True), ("HTTPS://a.gov.cn/x", True), (" http://a.gov.cn/ ", True),
    ("ftp://a.gov.cn/x", False), ("javascript:void(0)", False), ("mailto:a@b.cn", False),
    ("http:///x", False), ("/relative/path", False), ("http://[::1/", False),
])
def test_is_fetchable(url, expected):
    assert is_fetchable(url) is expected


SCOPE_CASES = [
    # registered, final, url, in scope
    ("http://www.x.gov.cn/", None, "http://www.x.gov.cn/col/a.html", True),
    ("http://www.x.gov.cn/", None, "http://x.gov.cn/col/a.html", True),
    ("http://x.gov.cn/", None, "https://WWW.X.GOV.CN:8443/a", True),
    ("http://www.x.gov.cn/", None, "http://slj.x.gov.cn/", False),
    ("http://www.x.gov.cn/", None, "http://www.y.gov.cn/", False),
    ("http://www.x.gov.cn/", None, "mailto:a@x.gov.cn", False),
    ("http://www.x.gov.cn/index.html", None, "http://www.x.gov.cn/zwgk/", True),
    ("http://www.x.gov.cn/default.aspx", None, "http://www.x.gov.cn/zwgk/", True),
    ("http://www.x.gov.cn/sub/", None, "http://www.x.gov.cn/sub/col/a.html", True),
    ("http://www.x.gov.cn/sub/", None, "http://www.x.gov.cn/sub", True),
    ("http://www.x.gov.cn/sub/", None, "http://www.x.gov.cn/other/a.html", False),
    ("http://www.x.gov.cn/sub/", None, "http://www.x.gov.cn/subway/a.html", False),
    ("http://www.x.gov.cn/sub/", None, "http://www.x.gov.cn/sub/../other/a.html", False),
    ("http://www.x.gov.cn/sub/", None, "http://www.x.gov.cn/sub/x/../y.html", True),
    ("http://www.x.gov.cn/sub/index.html", None, "http://www.x.gov.cn/sub/a.html", True),
    ("http://www.x.gov.cn/sub/index.html", None, "http://www.x.gov.cn/index.html", False),
    ("http://www.x.gov.cn/Sub/Index.JSP", None, "http://www.x.gov.cn/sub/a.html", True),
    ("http://www.x.gov.cn/sub", None, "http://www.x.gov.cn/sub/a.html", True),
    ("http://www.x.gov.cn/a/b/main.jsp", None, "http://www.x.gov.cn/a/b/c.html", True),
    ("http://www.x.gov.cn/a/b/main.jsp", None, "http://www.x.gov.cn/a/c.html", False),
    ("http://www.x.gov.cn/%E5%AD%90/", None, "http://www.x.gov.cn/子/a.html", True),
    ("http://old.x.gov.cn/", "http://www.new.gov.cn/index.html", "http://new.gov.cn/a.html", True),
    ("http://old.x.gov.cn/", "http://www.new.gov.cn/index.html", "http://old.x.gov.cn/a.html", True),
    ("http://old.x.gov.cn/", "http://www.new.gov.cn/site/index.html", "http://www.new.gov.cn/col/a", True),
    ("http://www.x.gov.cn/sub/", "http://sub.x.gov.cn/", "http://sub.x.gov.cn/col/a.html", True),
    ("http://www.x.gov.cn/sub/", "http://sub.x.gov.cn/", "http://www.x.gov.cn/col/a.html", False),
    ("http://www.x.gov.cn/sub/", "http://new.gov.cn/s/index.html", "http://new.gov.cn/t/a.html", False),
    ("http://www.x.gov.cn/sub/", "http://new.gov.cn/s/index.html", "http://new.gov.cn/s/a.html", True),
    ("http://www.x.gov.cn/sub/", "http://www.x.gov.cn/sub2/index.html", "http://x.gov.cn/sub2/a", True),
    ("http://www.x.gov.cn/sub/", "http://www.x.gov.cn/", "http://www.x.gov.cn/col/a.html", False),
    ("http://www.中国政府.政务/", None, "http://www.xn--fiqs8sirgfmh.xn--zfr164b/a.html", True),
    ("http://www.xn--fiqs8sirgfmh.xn--zfr164b/", None, "http://中国政府.政务/a.html", True),
    ("http://www.中国政府.政务/", None, "http://其他.中国政府.政务/a.html", False),
    ("http://10.1.2.3/dxq/", None, "http://10.1.2.3/dxq/a.html", True),
    ("http://10.1.2.3/dxq/", None, "http://10.1.2.4/dxq/a.html", False),
    ("www.x.gov.cn", None, "http://www.x.gov.cn/a.html", True),
    ("http://www.x.gov.cn/sub/", None, "http://www.x.gov.cn/sub/a.jsp;jsessionid=X?id=1", True),
]


@pytest.mark.parametrize("registered, final, url, expected", SCOPE_CASES)
def test_scope_contains(registered, final, url, expected):
    assert Scope.for_site(registered, final).contains(url) is expected


def test_scope_hosts_are_compared_without_www():
    assert Scope.for_site("http://WWW.X.gov.cn/", "https://www.new.gov.cn/").hosts == {"x.gov.cn", "new.gov.cn"}


labels = st.text(alphabet="abcxyz019-", min_size=1, max_size=8).filter(
    lambda s: not s.startswith("-") and not s.endswith("-"))
segments = st.text(alphabet="aZ09._-~%;=,中", max_size=8) | st.sampled_from([".", "..", "", ";jsessionid=ab"])
params = st.tuples(
    st.sampled_from(["id", "t", "_t", "_", "sid", "page", "T", "JSESSIONID", "q", ""]),
    st.sampled_from(["", "1", "1700000000", "1700000000000", "abc", "%2F", "a=b"]),
).map("=".join)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "HTTP", "Https"]),
    host=st.lists(labels, min_size=1, max_size=4).map(".".join),
    www=st.booleans(), upper=st.booleans(),
    port=st.sampled_from(["", ":80", ":443", ":8080", ":"]),
    path=st.lists(segments, max_size=5).map("/".join),
    query=st.lists(params, max_size=5).map("&".join),
    fragment=st.sampled_from(["", "#", "#top"]),
)
def test_normalize_url_is_idempotent(scheme, host, www, upper, port, path, query, fragment):
    host = ("www." if www else "") + host
    url = f"{scheme}://{host.upper() if upper else host}{port}/{path}{'?' + query if query else ''}{fragment}"
    once = normalize_url(url)
    assert normalize_url(once) == once
    assert "#" not in once and "jsessionid" not in once.lower()
    assert host_of(once) == host.lower()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_normalize_url_is_idempotent_on_any_text(text):
    once = normalize_url("http://a.gov.cn/" + text)
    assert normalize_url(once) == once
