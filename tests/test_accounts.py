"""Account registry and back-end facts CSV (govcrawl/accounts.py)."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from govcrawl.accounts import read_accounts, read_backend_facts, weibo_uid
from govcrawl.dates import DateParser
from govcrawl.registry import RegistryError

GOOD = """account_id,name,unit,platform,url
nm1,湖南民政,省直,新浪微博,https://m.weibo.cn/u/2163524931
nm2,益阳人防,益阳市,微信公众号,
nm3,长沙市场监管,长沙市,抖音,https://www.douyin.com/user/x
"""


def write(tmp_path, text, encoding="utf-8", name="a.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_good_rows_platforms_canonical_and_unsupported(tmp_path):
    accounts, problems = read_accounts(write(tmp_path, GOOD))
    assert problems == []
    assert [(a.account_id, a.platform, a.supported) for a in accounts] == [
        ("nm1", "新浪微博", True), ("nm2", "微信", True), ("nm3", "抖音", False)]
    assert accounts[0].weibo_uid == "2163524931" and accounts[1].weibo_uid is None


def test_gbk_tab_separated_with_chinese_header(tmp_path):
    text = "账号标识\t账号名称\t单位\t平台\t网址\r\nnm1\t湖南刑警\t省直\t微博\tweibo.com/u/1234567890\r\n"
    accounts, problems = read_accounts(write(tmp_path, text, "gbk"))
    assert problems == [] and accounts[0].url == "http://weibo.com/u/1234567890"
    assert accounts[0].platform == "新浪微博"


@pytest.mark.parametrize("row, reason", [
    ("nm9,,省直,新浪微博,https://m.weibo.cn/u/1234567", "name is empty"),
    ("nm9,x,,微信,", "unit is empty"),
    ("nm9,x,省直,,", "platform is empty"),
    (",x,省直,微信,", "account_id is empty"),
    ("n m/9,x,省直,微信,", "is not letters"),
    ("nm9,x,省直,新浪微博,https://weibo.com/hunanmz", "carries no Weibo uid"),
    ("nm9,x,省直,新浪微博,", "a Weibo account needs"),
    ("nm9,x,省直,微信,ftp://x.cn/", "not http or https"),
    ("nm9,x,省直", "too few fields"),
    ("nm1,x,省直,微信,", "duplicate account_id nm1 (first on line 2)"),
])
def test_one_clear_problem_per_bad_row_and_the_rest_goes_on(tmp_path, row, reason):
    accounts, problems = read_accounts(write(tmp_path, GOOD + row + "\n"))
    assert len(accounts) == 3 and len(problems) == 1
    assert problems[0].line == 5 and reason in problems[0].reason


@pytest.mark.parametrize("text", ["", "name,unit\nx,y\n", "account_id,name,unit,platform,url\n"])
def test_unusable_files(tmp_path, text):
    with pytest.raises(RegistryError):
        read_accounts(write(tmp_path, text))


@pytest.mark.parametrize("url, uid", [
    ("https://m.weibo.cn/u/2163524931", "2163524931"), ("https://weibo.com/2163524931", "2163524931"),
    ("https://m.weibo.cn/profile/2163524931", "2163524931"), ("https://weibo.com/u/2163524931?is_all=1", "2163524931"),
    ("https://m.weibo.cn/api/container/getIndex?type=uid&value=2163524931&containerid=1076032163524931", "2163524931"),
    ("https://m.weibo.cn/p/index?containerid=1005052163524931", "2163524931"),
    ("https://weibo.com/hunanmz", None), ("https://example.com/u/2163524931", None),
])
def test_weibo_uid(url, uid):
    assert weibo_uid(url) == uid


def test_backend_facts(tmp_path):
    text = ("account_id,newest_post,menu,messages,auto_reply\n"
            "nm2,2019-05-02 10:00,否,no,\n"
            "nm3,昨天 12:25,是,,\n"
            "nm4,not a date,maybe,,\n")
    facts, problems = read_backend_facts(write(tmp_path, text), DateParser(date(2019, 6, 10)))
    assert [(f.account_id, f.newest_post, f.menu, f.messages, f.auto_reply) for f in facts] == [
        ("nm2", datetime(2019, 5, 2, 10, 0), False, False, None),
        ("nm3", datetime(2019, 6, 9, 12, 25), True, None, None)]
    assert len(problems) == 1 and "not a date" in problems[0].reason and "menu 'maybe'" in problems[0].reason
