"""govcrawl.dates: the table in date_cases.tsv (every reference date string + own cases), URL dates, epochs,
the no-dateparser fast path and never-raise / never-future properties."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcrawl import dates
from govcrawl.dates import DateParser, date_from_url, from_epoch

DEFAULT_AS_OF = date(2019, 6, 10)
CASES_FILE = Path(__file__).parent / "date_cases.tsv"


def _unescape(text: str) -> str:
    text = text.replace("\\t", "\t")
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def _expected(cell: str) -> date | None:
    return None if cell == "-" else date.fromisoformat(cell)


def _load_cases() -> list[tuple[str, date, date | None, date | None]]:
    rows = []
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        text, as_of, parsed, found = line.split("\t")
        rows.append((_unescape(text), date.fromisoformat(as_of) if as_of else DEFAULT_AS_OF,
                     _expected(parsed), _expected(found)))
    return rows


CASES = _load_cases()
_PARSERS: dict[date, DateParser] = {}


def _parser(as_of: date) -> DateParser:
    return _PARSERS.setdefault(as_of, DateParser(as_of))


def test_table_is_large_enough():
    assert len(CASES) >= 100


@pytest.mark.parametrize("text,as_of,parsed,found", CASES, ids=[repr(c[0])[:40] for c in CASES])
def test_parse_and_find(text, as_of, parsed, found):
    parser = _parser(as_of)
    assert parser.parse(text) == parsed
    assert parser.find(text) == found


@pytest.mark.parametrize("text,expected", [
    ("2026-07-12-09:37:43", datetime(2026, 7, 12, 9, 37, 43)),
    ("发布时间：2026-01-22 11:40:11", datetime(2026, 1, 22, 11, 40, 11)),
    ("2018-12-10 6:19:15", datetime(2018, 12, 10, 6, 19, 15)),
    ("[2013年1月20日 14:26]", datetime(2013, 1, 20, 14, 26)),
    ("2021年06月17日16:00 ~ 16:10", datetime(2021, 6, 17, 16, 0)),
    ("2022-04-17", datetime(2022, 4, 17)),
    ("2019-05-20 25:61", datetime(2019, 5, 20)),
    ("6月12日10:30", datetime(2018, 6, 12, 10, 30)),
    ("Tue Jun 04 10:12:33 +0800 2019", datetime(2019, 6, 4, 10, 12, 33)),
    ("Tue Jun 04 20:12:33 +0000 2019", datetime(2019, 6, 5, 4, 12, 33)),
    ("1572244774000", datetime(2019, 10, 28, 14, 39, 34)),
    ("昨天 12:25", datetime(2019, 6, 9, 12, 25)),
    ("3天前", datetime(2019, 6, 7, 12, 0)),
    ("2小时前", datetime(2019, 6, 10, 10, 0)),
    ("二〇一九年五月二十日", datetime(2019, 5, 20)),
])
def test_parse_datetime_keeps_time(text, expected):
    assert _parser(DEFAULT_AS_OF).parse_datetime(text) == expected


@pytest.mark.parametrize("url,expected", [
    ("http://www.mee.gov.cn/ywdt/hjywnews/202204/t20220417_974894.shtml", date(2022, 4, 17)),
    ("./201901/t20190121_52601.shtml", date(2019, 1, 21)),
    ("http://www.jiangsu.gov.cn/art/2022/1/20/art_12377_1486865.html", date(2022, 1, 20)),
    ("/c/2026-09-02/12345.shtml", date(2026, 9, 2)),
    ("http://hrss.henan.gov.cn/2026/09-11/2345678.html", date(2026, 9, 11)),
    ("http://www.news.cn/politics/2019-01/21/c_1124020001.htm", date(2019, 1, 21)),
    ("http://a.gov.cn/xwzx/20190121/123.html", date(2019, 1, 21)),
    ("http://www.gov.cn/zhengce/202609/content_6999999.htm", None),
    ("http://a.gov.cn/art/2022/2/30/art_1_2.html", None),
    ("http://a.gov.cn/col/col123/index.html", None),
    ("http://a.gov.cn/list.html?date=2019-01-21", None),
    ("", None),
    ("http://[::1", None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize("value,expected", [
    (1641084600, datetime(2022, 1, 2, 8, 50)),
    ("1743501316", datetime(2025, 4, 1, 17, 55, 16)),
    (" 1572244774000 ", datetime(2019, 10, 28, 14, 39, 34)),
    (1572244774000, datetime(2019, 10, 28, 14, 39, 34)),
    (0, datetime(1970, 1, 1, 8)),
])
def test_from_epoch_by_magnitude(value, expected):
    assert from_epoch(value) == expected


@pytest.mark.parametrize("value", ["", "abc", "12a", "9" * 40])
def test_from_epoch_rejects_non_numbers(value):
    with pytest.raises(ValueError):
        from_epoch(value)


@pytest.mark.parametrize("value", ["", "   ", None, 20190520, b"2019-05-20"])
def test_empty_and_non_string_input(value):
    parser = _parser(DEFAULT_AS_OF)
    assert parser.parse(value) is None
    assert parser.find(value) is None
    assert date_from_url(value) is None


FAST_PATH_STRINGS = [text for text, _, parsed, _ in CASES
                     if parsed and not re.search(r"前|昨|刚|yesterday|June", text)]


def test_fast_path_never_builds_dateparser(monkeypatch):
    def refuse(as_of):
        raise AssertionError("dateparser used on a numeric form")

    monkeypatch.setattr(dates, "_make_date_data_parser", refuse)
    parser = DateParser(DEFAULT_AS_OF)
    assert len(FAST_PATH_STRINGS) > 60
    for text in FAST_PATH_STRINGS + ["2019年", "（4.10-4.16）", "G20190102-0011", "14:18"]:
        parser.parse(text)
        parser.find(text)


def test_dateparser_built_once_and_relative_to_as_of(monkeypatch):
    built = []
    real = dates._make_date_data_parser
    monkeypatch.setattr(dates, "_make_date_data_parser", lambda as_of: built.append(as_of) or real(as_of))
    parser = DateParser(date(2020, 3, 1))
    assert parser.parse("3天前") == date(2020, 2, 27)
    assert parser.parse("昨天 12:25") == date(2020, 2, 29)
    assert parser.find("发布于 5分钟前") == date(2020, 3, 1)
    assert built == [date(2020, 3, 1)]


def test_fast_path_is_cheap():
    parser = DateParser(DEFAULT_AS_OF)
    samples = ["2019-05-20", "发布时间：2026-01-22 11:40:11", "[05-20]", "2019年06月11日", "…[2014-05-14]"]
    samples *= 200
    start = datetime.now()
    for text in samples:
        parser.parse(text)
    per_call = (datetime.now() - start) / len(samples)
    assert per_call < timedelta(microseconds=50)  # dateparser costs ~450 µs a call


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_raises(text):
    parser = _parser(DEFAULT_AS_OF)
    parser.parse(text)
    parser.find(text)
    date_from_url(text)


_SHORT_FORMS = ["{m:02d}-{d:02d}", "[{m:02d}-{d:02d}]", "{m}月{d}日", "{m}月{d}日10:30", "{m}/{d}",
                "发布时间：{m:02d}/{d:02d}"]


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2060, 12, 31)),
       st.integers(1, 12), st.integers(1, 31), st.sampled_from(_SHORT_FORMS))
def test_short_form_never_after_as_of(as_of, month, day, form):
    parser = DateParser(as_of)
    text = form.format(m=month, d=day)
    for found in (parser.parse(text), parser.find(text)):
        if found is not None:
            assert found <= as_of
            assert (found.month, found.day) == (month, day)
            assert as_of - found < timedelta(days=366 * 4 + 1)
