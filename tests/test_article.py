"""Publish date and title of article pages: saved pages of real CMS shapes plus inline traps."""
import re
from datetime import date

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract.article import article_title, publish_date
from govcrawl.extract.page import Page
from tests.shape_cases import as_of, case_id, page_file, replay_saved, saved_case, saved_cases

AS_OF = date(2026, 9, 20)


def run(url: str, html: str):
    return publish_date(Page(url, html), DateParser(AS_OF))


def read_article(page: Page, spec: dict) -> dict:
    found = publish_date(page, DateParser(as_of(spec)))
    dated = found and {"date": found.date, "source": found.source, "has_raw": bool(found.raw)}
    return {"publish_date": dated, "title": article_title(page)}


@pytest.mark.parametrize("case", saved_cases("article"), ids=case_id)
def test_saved_pages(case):
    got, expected = replay_saved(case, read_article)
    assert got == expected


def _mee_without_metas() -> str:
    return re.sub(r'<meta name="(?:PubDate|publishdate)"[^>]*>', "", page_file(saved_case("article", "trs_mee")).read_text(encoding="utf-8"))


def _doc(head: str, body: str) -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


INLINE_CASES = [
    # id, url, html, date, source
    ("unlabelled-info-line", "http://www.mee.gov.cn/ywdt/hjywnews/202204/t20220418_974900.shtml",
     _mee_without_metas(), date(2022, 4, 17), "text"),
    ("lowercase-pubdate", "http://www.cma.org.cn/art/2025/10/30/art_4584_60353.html",
     _doc('<meta name="pubdate" content="2025-10-29 09:49"/>', "<h1>为什么新生儿会出现生理性黄疸？</h1>"),
     date(2025, 10, 29), "meta:PubDate"),
    ("placeholder-meta-then-label", "http://www.x.gov.cn/xwzx/202601/t20260123_1.html",
     _doc('<meta name="PubDate" content="${pubDate}">',
          "<h1>关于开展安全检查的通知</h1><div class='info'><span>发布日期：2026-01-22</span></div>"),
     date(2026, 1, 22), "label:发布日期"),
    ("ascii-colon-公开日期", "http://kjdn.kjj.jinhua.gov.cn/policy/detail?code=88",
     _doc("", "<p>发布机构:科技部门户网站 文号:国科发专〔2017〕145号 公开日期: 2018-03-05 有效性: 有效</p>"),
     date(2018, 3, 5), "label:公开日期"),
    ("chinese-numeral-date", "http://www.x.gov.cn/zwgk/tzgg/index.html",
     _doc("", "<h1>公告</h1><p>发布日期：二〇二二年三月五日</p>"), date(2022, 3, 5), "label:发布日期"),
    ("bare-时间-on-one-line", "https://www.jiangsu.gov.cn/art/2025/12/16/art_33718_11693505.html",
     _doc("", "<h1>徐州以产业集群培育赋能中小企业高质量发展</h1>"
              "<div>时间：2025-12-15 14:18 来源：徐州市政府办公室 字号：默认 小 大</div>"),
     date(2025, 12, 15), "label:时间"),
    ("会议时间-is-no-label", "http://www.x.gov.cn/zwgk/202605/t20260512_77.html",
     _doc("", "<h1>关于召开年中工作会议的通知</h1><p>会议时间：2026年6月1日</p>"), date(2026, 5, 12), "url"),
    ("成文日期-as-last-label", "http://www.x.gov.cn/zwgk/wj/detail.jsp?id=12",
     _doc("", "<table><tr><td>索引号：</td><td>11430000/2026-0012</td></tr>"
              "<tr><td>成文日期：</td><td>2026年04月03日</td></tr></table>"), date(2026, 4, 3), "xxgk:成文日期"),
    ("update-only-then-url", "http://www.x.gov.cn/art/2026/4/8/art_12_345.html",
     _doc('<meta name="lastmodifiedtime" content="2026-08-11-22:43:09">',
          "<h1>标题</h1><p>更新时间：2026-08-11</p><p>修改日期：2026-08-12</p>"), date(2026, 4, 8), "url"),
    ("event-时间-deep-in-body", "http://www.x.gov.cn/zwgk/tzgg/202604/t20260402_9.html",
     _doc("", "<h1>关于举办2026年招聘会的通知</h1><div class='body'><p>" + "各有关单位：为促进高校毕业生就业，" * 20
              + "</p><p>一、时间：2026年4月20日</p></div>"), date(2026, 4, 2), "url"),
    ("views-beside-date", "http://www.x.gov.cn/zwdt/202603/t20260305_5.html",
     _doc("", "<h1 class='title'>春耕备耕工作有序推进</h1><div>浏览次数：2026-03-09</div>"), date(2026, 3, 5), "url"),
]


@pytest.mark.parametrize("case_id,url,html,expected,source", INLINE_CASES, ids=[c[0] for c in INLINE_CASES])
def test_inline_cases(case_id, url, html, expected, source):
    found = run(url, html)
    assert found is not None
    assert (found.date, found.source) == (expected, source)


def test_no_date_anywhere_is_none():
    html = _doc("<title>机构职能_某某县人民政府</title>", "<h1>机构职能</h1><p>负责全县……工作。</p>"
                "<div class='footer'>Copyright 2003-2026</div>")
    assert run("http://www.x.gov.cn/jgzn/index.html", html) is None


TITLE_CASES = [
    ("meta-wins", '<meta name="ArticleTitle" content="更新后的通知 &amp; 说明"><title>旧标题_某站</title>', "<h1>别的</h1>",
     "更新后的通知 & 说明"),
    ("trs-title-split", "<title>关于做好2026年汛期工作的通知_永州市人民政府</title>", "<div class='logo'>永州市人民政府</div>",
     "关于做好2026年汛期工作的通知"),
    ("hanweb-site-column-title", '<title>温州市人民政府 政务动态 市政府召开常务会议</title><meta name="SiteName" content="温州市人民政府">',
     "", "市政府召开常务会议"),
    ("title-is-site-name-h1-used", "<title>某某县人民政府</title>", "<h1>全县防汛工作会议召开</h1>", "全县防汛工作会议召开"),
    ("logo-h1-not-title", "<title>2026年1-6月财政收支情况 - 某某市财政局</title>",
     "<h1 class='logo'>某某市财政局</h1><div class='article-title'>2026年1-6月财政收支情况</div>",
     "2026年1-6月财政收支情况"),
    ("truncated-head-title", "<title>关于公布第一批省级…_某某省</title>",
     "<h1>关于公布第一批省级传统村落名录的通知</h1>", "关于公布第一批省级传统村落名录的通知"),
    ("nothing", "", "<p>正文</p>", None),
]


@pytest.mark.parametrize("case_id,head,body,expected", TITLE_CASES, ids=[c[0] for c in TITLE_CASES])
def test_article_title(case_id, head, body, expected):
    assert article_title(Page("http://www.x.gov.cn/a/t20260101_1.html", _doc(head, body))) == expected
