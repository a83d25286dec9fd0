"""The demo province fixture set itself (fixtures/demo): consistent, complete, reproducible.

Independent of the crawler: it reads the committed files and re-runs fixtures.builder.
"""
from __future__ import annotations

import csv
import filecmp
import html
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from govcrawl.extract.page import Page

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
HOSTS = DEMO / "hosts"
AS_OF = "2019-06-10"
CODES = ["site_unreachable", "homepage_not_updated", "columns_not_updated", "columns_long_stale", "blank_columns",
         "no_consultation_channel", "letters_unanswered", "no_service", "guide_elements_missing",
         "homepage_url_mismatch"]
REVIEW = ["footer_incomplete", "sitecode_mismatch", "broken_links", "domain_nonconforming", "future_dated",
          "hidden_links", "cloaking_redirect", "tampered_content", "personal_data", "wording_error"]
CATEGORY_NAMES = {
    "news": {"工作动态", "政务动态", "要闻", "部门动态", "县区动态", "图片新闻"},
    "notice": {"通知公告", "公示公告", "政策文件", "规范性文件", "政策法规"},
    "periodic": {"人事信息", "规划计划", "统计信息", "财政资金", "建议提案办理"},
    "reference": {"机构职能", "领导信息", "概况", "办事指南", "法规库"},
}
# 附件2 of notice-2019-hunan: 标识码 -> (单位, 网站名称, problems)
NOTICE = {
    "4300000017": ("省直", "湖南省地方志编纂委员会", {"letters_unanswered"}),
    "4300000025": ("省直", "湖南省人力资源和社会保障厅", {"letters_unanswered"}),
    "4300000065": ("省直", "湖南省中医药管理局", {"homepage_url_mismatch"}),
    "4300000068": ("省直", "湖南省广播电视局网站", {"letters_unanswered"}),
    "4300000009": ("省直", "湖南省农业机械化信息网", {"guide_elements_missing"}),
    "4300000047": ("省直", "湖南文化遗产网", {"letters_unanswered", "columns_long_stale"}),
    "4305110001": ("邵阳市", "北塔区人民政府网", {"columns_long_stale"}),
    "4309000018": ("益阳市", "益阳市房地产管理局政务网", {"letters_unanswered"}),
    "4309000034": ("益阳市", "益阳文化遗产网", {"no_consultation_channel"}),
    "4311000019": ("永州市", "永州市自然资源和规划局", {"columns_long_stale"}),
    "4312000007": ("怀化市", "市文化旅游广电体育局", {"homepage_url_mismatch"}),
    "4313820002": ("娄底市", "涟源市人民政府", {"columns_long_stale"}),
}
NEVER_CRAWLED = {"www.gov.cn", "www.hunan.gov.cn", "zwfw.hunan.gov.cn"}
# what a crawler follows: anchors (also inside CDATA/script strings), meta refresh targets, JS location
_LINKS = re.compile(r"""<a\s[^>]*?href\s*=\s*\\?["']([^"'\\]+)|;\s*url=([^"'>\s]+)|location\.href\s*=\s*["']([^"']+)""",
                    re.I)


def body_path(url: str) -> Path:
    parts = urlsplit(url)
    path = parts.path or "/"
    if path.endswith("/"):
        path += "index.html"
    if parts.query:
        path += "@" + quote(parts.query, safe="=&;,:+$!*'()%?-._~")
    return HOSTS / f"{parts.hostname}{path}"


def url_of(path: Path) -> str:
    rel = path.relative_to(HOSTS).as_posix()
    host, _, rest = rel.partition("/")
    rest, _, query = rest.partition("@")
    if rest.endswith("index.html") and not query:
        rest = rest[: -len("index.html")]
    return f"http://{host}/{rest}" + ("?" + query.replace("%2F", "/") if query else "")


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))["responses"]


@pytest.fixture(scope="module")
def registry() -> list[dict]:
    with (DEMO / "registry.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def served(url: str, manifest: dict) -> bool:
    url = url.split("#")[0]
    entry = manifest.get(url) or manifest.get(url.replace("https://", "http://", 1))
    if entry is not None:
        return entry.get("drop") or "file" not in entry or (HOSTS / entry["file"]).is_file()
    return body_path(url).is_file()


def test_registry_parses_with_valid_unique_codes(registry):
    try:
        from govcrawl.registry import read_registry
    except ImportError:
        read_registry = None
    if read_registry is not None:
        sites, problems = read_registry(DEMO / "registry.csv")
        assert problems == [] and len(sites) == len(registry)
    codes = [row["site_code"] for row in registry]
    assert len(codes) >= 30 and len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"\d{10}|bm\d{8}", c) for c in codes)
    assert all(row["url"].startswith("http") and row["unit"] and row["name"] for row in registry)
    assert {row["services"] for row in registry} <= {"yes", "no", ""}


def test_truth_covers_registry_exactly(truth, registry):
    assert truth["as_of"] == AS_OF
    assert set(truth["sites"]) == {row["site_code"] for row in registry}
    for row in registry:
        site = truth["sites"][row["site_code"]]
        assert (site["name"], site["unit"], site["registered_url"]) == (row["name"], row["unit"], row["url"])


@pytest.mark.parametrize("code", sorted(NOTICE))
def test_notice_sites_have_exactly_the_notice_problems(truth, code):
    unit, name, problems = NOTICE[code]
    site = truth["sites"][code]
    assert (site["unit"], site["name"]) == (unit, name)
    assert set(site["findings"]) == problems
    assert site["review"] == []


@pytest.mark.parametrize("code", CODES)
def test_every_indicator_fires_twice_and_has_two_near_misses(truth, code):
    fires = [c for c, s in truth["sites"].items() if code in s["findings"]]
    misses = [c for c, s in truth["sites"].items() if code in s.get("near_miss", [])]
    assert len(fires) >= 2, fires
    assert len(misses) >= 2, misses
    assert not set(fires) & set(misses)


def test_review_codes_are_exemplified(truth):
    seen = Counter(code for s in truth["sites"].values() for code in s["review"])
    assert set(seen) == set(REVIEW)


def test_truth_records_are_well_formed(truth):
    for code, site in truth["sites"].items():
        assert set(site["findings"]) <= set(CODES) and set(site["review"]) <= set(REVIEW)
        if not site["reachable"]:
            assert site["findings"] == ["site_unreachable"] and site["columns"] == {}
        for url, col in site["columns"].items():
            assert "#" not in url and url.startswith("http")
            assert col["category"] in CATEGORY_NAMES
            if col["counted"]:
                assert col["name"] in CATEGORY_NAMES[col["category"]], (code, col)
            assert col["newest_date"] is None or col["newest_date"] <= AS_OF
            assert not (col["blank"] and col["newest_date"])
        for letter in site["letters"]:
            assert letter["asked_on"] <= AS_OF and (letter["answered_on"] or AS_OF) >= letter["asked_on"]


def test_every_page_named_by_truth_is_served(truth, manifest):
    for code, site in truth["sites"].items():
        assert served(site["registered_url"], manifest), code
        if site["reachable"]:
            assert served(site["final_url"], manifest), code
        urls = list(site["columns"]) + [x["url"] for x in site["letters"]] + [g["url"] for g in site["guides"]]
        for url in urls:
            assert served(url, manifest), (code, url)


def test_manifest_entries_point_at_files(manifest):
    for url, entry in manifest.items():
        if "file" in entry:
            assert (HOSTS / entry["file"]).is_file(), url
        # a cloaked site's redirect of search-engine visitors leads off the site on purpose: never followed
        if entry.get("status") in (301, 302) and not url.endswith("#from-search"):
            assert served(entry["headers"]["Location"], manifest), url


def _html_files():
    return [p for p in HOSTS.rglob("*") if p.is_file() and not p.name.endswith((".pdf", ".doc", ".xls"))]


def test_every_internal_link_resolves(truth, manifest):
    fixture_hosts = {p.name for p in HOSTS.iterdir()} | {urlsplit(u).hostname for u in manifest}
    assert not fixture_hosts & NEVER_CRAWLED
    broken = {u for s in truth["sites"].values() for u in s.get("broken", [])}
    dead = []
    for path in _html_files():
        raw = path.read_bytes()
        text = raw.decode("utf-8") if _is_utf8(raw) else raw.decode("gbk")
        page = Page(url_of(path), text)
        for groups in _LINKS.findall(text):
            url = page.absolute(html.unescape("".join(groups)))
            if url and urlsplit(url).hostname in fixture_hosts and not served(url, manifest) and url not in broken:
                dead.append((page.url, url))
    assert dead == []
    for url in broken:    # deliberately dead links really are dead
        assert not served(url, manifest), url


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_gbk_sites_are_gbk_and_not_utf8():
    from fixtures.builder.model import load_sites
    gbk_hosts = {urlsplit(s.url).hostname for s in load_sites() if s.encoding == "gbk"}
    assert len(gbk_hosts) >= 2
    checked = Counter()
    for path in _html_files():
        host = path.relative_to(HOSTS).parts[0]
        raw = path.read_bytes()
        if host in gbk_hosts:
            raw.decode("gbk")
            assert not _is_utf8(raw), path
        else:
            assert _is_utf8(raw), path
        checked[host in gbk_hosts] += 1
    assert checked[True] > 10
    no_charset = [h for h in gbk_hosts if b"charset" not in (HOSTS / h / "index.html").read_bytes()]
    assert no_charset, "one GBK site must declare no charset at all"


def test_builder_reproduces_demo_byte_for_byte(tmp_path):
    from fixtures.builder.__main__ import build
    build(tmp_path)
    left = sorted(p.relative_to(DEMO) for p in DEMO.rglob("*") if p.is_file())
    right = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert left == right
    _, mismatch, errors = filecmp.cmpfiles(DEMO, tmp_path, [str(p) for p in left], shallow=False)
    assert mismatch == [] and errors == []
