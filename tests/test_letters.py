"""Letter channels, lists and details on saved pages built from the real 领导信箱 shapes (tests/pages/letters/)."""
from datetime import date

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract.letters import (
    channel_kind, extract_letter_detail, extract_letter_list, find_channels, normalize_status,
)
from govcrawl.extract.page import Page
from govcrawl.scope import Scope
from tests.shape_cases import as_of, case_id, replay_saved, saved_cases

AS_OF = date(2019, 6, 1)
D = date


@pytest.fixture(scope="module")
def dates():
    return DateParser(AS_OF)


def read_letters_page(page: Page, spec: dict) -> dict:
    """What expected.json asks of the page: its channels (or their kinds), its letter rows, or the letter it shows."""
    dates = DateParser(as_of(spec))
    if "channels" in spec or "channel_kinds" in spec:
        channels = find_channels(page, Scope.for_site(page.url))
        return {"channels": channels, "channel_kinds": sorted(c.kind for c in channels)}
    if "rows" in spec:
        return {"rows": extract_letter_list(page, dates)}
    return {"detail": extract_letter_detail(page, dates)}


@pytest.mark.parametrize("case", saved_cases("letters"), ids=case_id)
def test_saved_letters_pages(case):
    got, expected = replay_saved(case, read_letters_page)
    assert got == expected


@pytest.mark.parametrize("name,kind", [
    ("市长信箱", "consultation"), ("书记信箱", "consultation"), ("局长信箱", "consultation"), ("在线咨询", "consultation"),
    ("留言板", "consultation"), ("建言献策", "consultation"), ("网络问政", "consultation"), ("12345热线", "consultation"),
    ("政民互动", "consultation"), ("咨询投诉", "consultation"), ("网上信访", "petition"), ("信访信箱", "petition"),
    ("纪检举报", "report"), ("监督举报", "report"), ("纪委书记信箱", "report"), ("工作动态", None), ("征集调查", None),
])
def test_channel_kind(name, kind):
    assert channel_kind(name) == kind


@pytest.mark.parametrize("text,status", [
    ("已办结", "answered"), ("办理完毕", "answered"), ("已回复", "answered"), ("已处理", "answered"),
    ("办理中", "pending"), ("处理中", "pending"), ("待审查", "pending"), ("未回复", "pending"), ("待处理", "pending"),
    ("咨询", None), ("", None),
])
def test_normalize_status(text, status):
    assert normalize_status(text) == status


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
