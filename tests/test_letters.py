"""Letter channels, lists and details on saved pages built from the real 领导信箱 shapes."""
from datetime import date
from pathlib import Path

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract.letters import (
    channel_kind, extract_letter_detail, extract_letter_list, find_channels, normalize_status,
)
from govcrawl.extract.page import Page
from govcrawl.scope import Scope

PAGES = Path(__file__).parent / "pages" / "letters"
AS_OF = date(2019, 6, 1)
D = date


@pytest.fixture(scope="module")
def dates():
    return DateParser(AS_OF)


def page(name, url="http://www.example.gov.cn/hdjl/index.html"):
    return Page(url, (PAGES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name,kind", [
    ("市长信箱", "consultation"), ("书记信箱", "consultation"), ("局长信箱", "consultation"), ("在线咨询", "consultation"),
    ("留言板", "consultation"), ("建言献策", "consultation"), ("网络问政", "consultation"), ("12345热线", "consultation"),
    ("政民互动", "consultation"), ("咨询投诉", "consultation"), ("网上信访", "petition"), ("信访信箱", "petition"),
    ("纪检举报", "report"), ("监督举报", "report"), ("纪委书记信箱", "report"), ("工作动态", None), ("征集调查", None),
])
def test_channel_kind(name, kind):
    assert channel_kind(name) == kind


def test_find_channels_on_homepage():
    p = page("channels_home.html", "http://www.yyswh.gov.cn/")
    found = {c.name: c for c in find_channels(p, Scope.for_site("http://www.yyswh.gov.cn/"))}
    assert found["市长信箱"].url == "http://www.yyswh.gov.cn/hdjl/szxx/" and found["市长信箱"].kind == "consultation"
    assert found["12345政务服务便民热线"].offsite and found["12345政务服务便民热线"].kind == "consultation"
    assert found["留言板"].url == "http://www.yyswh.gov.cn/hdjl/lyb/index.html"  # from onclick
    assert found["咨询投诉"].kind == "consultation" and found["网上信访"].kind == "petition"
    assert found["纪检举报"].kind == "report" and found["纪检举报"].offsite
    assert "征集调查" not in found and not any("通报" in n for n in found)  # an article title is no channel


def test_site_with_only_petition_and_report_channels():
    p = page("channels_none.html", "http://www.yywhyc.gov.cn/")
    kinds = sorted(c.kind for c in find_channels(p, Scope.for_site("http://www.yywhyc.gov.cn/")))
    assert kinds == ["petition", "report"]


@pytest.mark.parametrize("text,status", [
    ("已办结", "answered"), ("办理完毕", "answered"), ("已回复", "answered"), ("已处理", "answered"),
    ("办理中", "pending"), ("处理中", "pending"), ("待审查", "pending"), ("未回复", "pending"), ("待处理", "pending"),
    ("咨询", None), ("", None),
])
def test_normalize_status(text, status):
    assert normalize_status(text) == status


def test_list_a_tags_dalian(dates):
    rows = extract_letter_list(page("list_dalian.html", "http://xzfw.dl.gov.cn/fgw/gzjl/xjlb_1.jspx"), dates)
    assert [r.status_text for r in rows] == ["已办结"] * 4
    assert rows[0].title == "快递运输用的微型面包车是否需要办理营运证等"
    assert rows[0].url == "http://xzfw.dl.gov.cn/fgw/gzjl/detail.jspx?gdId=ff8080816809a16101680c6b20280100"
    assert all(r.asked_on is None for r in rows)  # G20190102-0011 is a letter id, not a date


def test_list_spans_unpadded_times_jiamusi(dates):
    rows = extract_letter_list(page("list_jiamusi.html", "http://www.jms.gov.cn/html/zmhd/page/jms_10030002_1.html"), dates)
    assert [(r.asked_on, r.status) for r in rows] == [(D(2019, 1, 1), "answered"), (D(2018, 12, 14), "answered")]
    assert rows[1].url == "http://www.jms.gov.cn/html/zmhd/content/40403.html"


def test_list_p_cells_with_truncated_title_chuzhou(dates):
    rows = extract_letter_list(page("list_chuzhou.html", "http://www.chuzhou.gov.cn/content/column/2983504"), dates)
    assert [r.asked_on for r in rows] == [D(2019, 3, 12), D(2018, 11, 5), D(2019, 2, 20)]
    assert rows[1].title == "小区噪音扰民问题长期得不到解决"  # @title, not the "..." text


def test_list_table_with_header_and_pager_changsha(dates):
    rows = extract_letter_list(page("list_changsha.html", "http://wlwz.changsha.gov.cn/webapp/cs/email/index.jsp"), dates)
    assert len(rows) == 3  # header and pager rows are not letters
    # 处理时间 is a reply date by its header, not the letter's date
    assert [(r.asked_on, r.answered_on, r.status) for r in rows] == [
        (None, D(2019, 5, 6), "answered"), (None, D(2019, 4, 28), "answered"), (None, None, None)]
    assert rows[0].title == "芙蓉路施工噪音问题"


def test_list_prefers_letters_over_dated_sidebar(dates):
    rows = extract_letter_list(page("list_with_sidebar.html", "http://www.jms.gov.cn/html/zmhd/"), dates)
    assert [r.status for r in rows] == ["pending", "pending", "answered"]
    assert rows[2].asked_on == D(2018, 12, 10)


def test_list_json_beijing(dates):
    rows = extract_letter_list(page("list_beijing.json", "http://rexian.beijing.gov.cn/moreNewComplain.biz.ext"), dates)
    assert [(r.title, r.asked_on) for r in rows] == [("咨询居住证办理流程", D(2019, 5, 20)), ("投诉小区物业乱收费", D(2019, 1, 8))]
    assert rows[0].url.endswith("#AH19052000123")


def test_list_json_jact_epoch_and_reply(dates):
    rows = extract_letter_list(page("list_jact.json", "http://sthjt.jiangsu.gov.cn/jact/front/mailpublist.do"), dates)
    assert (rows[0].asked_on, rows[0].answered_on, rows[0].status) == (D(2019, 2, 11), D(2019, 6, 20), "answered")
    assert (rows[1].asked_on, rows[1].answered_on, rows[1].status) == (D(2019, 1, 4), None, None)


@pytest.mark.parametrize("name,title,asked,answered,status,reply", [
    ("detail_dean.html", "反映长年供热不热就过年给你热乎几天", D(2019, 1, 1), D(2019, 1, 3), "answered", True),
    ("detail_luan.html", "为什么房屋温度老是上不去", D(2019, 1, 2), D(2019, 1, 3), "answered", True),
    # answered letter with an EMPTY 处理时间: answered at an unknown date
    ("detail_jiamusi.html", "反映长年供热不热就过年给你热乎几天", D(2019, 1, 1), None, "answered", True),
    ("detail_jiamusi_ids.html", "反映道路拥堵问题", D(2018, 12, 14), None, "pending", False),
    ("detail_changsha.html", "芙蓉路施工噪音问题", D(2019, 2, 3), D(2019, 5, 6), "answered", True),
    ("detail_beijing.html", "咨询居住证办理流程", D(2019, 5, 20), D(2019, 5, 23), "answered", True),
    ("detail_chuzhou.html", "小区噪音扰民问题长期得不到解决", D(2018, 11, 5), None, "pending", False),
    ("detail_dalian.html", "快递运输用的微型面包车是否需要办理营运证等", D(2019, 1, 2), D(2019, 1, 4), "answered", True),
    ("detail_jact.html", "河道排污问题反映", D(2019, 1, 4), None, "pending", False),
])
def test_letter_detail_shapes(dates, name, title, asked, answered, status, reply):
    detail = extract_letter_detail(page(name, "http://www.example.gov.cn/hdjl/detail.html"), dates)
    assert (detail.title, detail.asked_on, detail.answered_on, detail.status) == (title, asked, answered, status)
    assert detail.reply_text_present is reply


def test_empty_page_gives_nothing(dates):
    assert extract_letter_list(Page("http://a.gov.cn/", ""), dates) == []
    detail = extract_letter_detail(Page("http://a.gov.cn/", ""), dates)
    assert (detail.asked_on, detail.status, detail.reply_text_present) == (None, None, False)


def test_detail_values_without_labels_or_ids(dates):
    """A template that named its fields only in ids, renamed: the first bare date is the letter's, a whole status
    word its status; a short text that merely starts like one (待定, 未来) is none."""
    html = ("<html><body><div class='k1'><h1><span class='k2'>反映道路拥堵问题</span></h1>"
            "<div><span>市民</span> <span>待定</span> <span>2018-12-14 9:06:30</span> <span>办理中</span></div>"
            "<div><span>早晚高峰拥堵严重，希望增加交警疏导。</span></div></div></body></html>")
    detail = extract_letter_detail(Page("http://www.example.gov.cn/hdjl/1.html", html), dates)
    assert (detail.title, detail.asked_on, detail.status_text, detail.status) == (
        "反映道路拥堵问题", D(2018, 12, 14), "办理中", "pending")
