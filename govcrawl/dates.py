"""Every date form seen on Chinese government pages -> `date`, relative to an inspection day `as_of`.

Numeric forms go through one precompiled regex (microseconds); only relative forms such as `3天前` or
`昨天 12:25` and English month names reach dateparser, whose calls cost ~0.5 ms and which misreads
`05-20`, `5月20日`, Chinese numerals and labelled strings.
"""
from __future__ import annotations

import html
import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

# Asia/Shanghai has been a fixed UTC+8 without DST since 1991; a fixed offset needs no tz database.
_CST = timezone(timedelta(hours=8))
_EPOCH = datetime(1970, 1, 1)
# Relative forms are measured from noon of as_of: "2小时前" then stays on as_of whatever the crawl hour was.
RELATIVE_BASE_TIME = time(12, 0)

_YEAR = r"(?:19|20)\d{2}"
# A date must not continue an id, a path, a number or a version:
# 索引号 000014349/2017-00110, /c/2026-09-02/, v2019.1.2.
_NOT_BEFORE = r"(?<![0-9A-Za-z_/.\-=&?%#])(?<![0-9]:)"
_NOT_AFTER = r"(?![0-9]|[-/.:][0-9A-Za-z])"
_CN_DIGITS = "〇○零0一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

_SCAN = re.compile(
    # Full numeric: 2019-05-20, 2019/5/20, 2019.05.20, 2019年5月20日, optional time, 2026-07-12-09:37:43.
    _NOT_BEFORE + rf"(?P<fy>{_YEAR})(?:\s*年\s*(?P<fm1>\d{{1,2}})\s*月\s*(?P<fd1>\d{{1,2}})\s*日"
    r"|(?P<fsep>[-/.])(?P<fm2>\d{1,2})(?P=fsep)(?P<fd2>\d{1,2}))"
    r"(?:[\sT-]*(?P<fH>\d{1,2}):(?P<fM>\d{2})(?::(?P<fS>\d{2})(?:\.\d+)?)?)?" + _NOT_AFTER
    # Chinese numerals: 二○一七年二月十七日 (○ U+25CB, 〇 U+3007 or 零 as zero).
    + rf"|(?<![{_CN_DIGITS}十])(?P<cy>[{_CN_DIGITS}]{{4}})\s*年\s*(?P<cm>[{_CN_SMALL}]{{1,2}})\s*月"
    rf"\s*(?P<cd>[{_CN_SMALL}]{{1,3}})\s*日"
    # Weibo created_at: Tue Jun 04 10:12:33 +0800 2019.
    + r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(?P<wmon>" + "|".join(_MONTHS) + r")\s+(?P<wd>\d{1,2})\s+"
    r"(?P<wH>\d{2}):(?P<wM>\d{2}):(?P<wS>\d{2})\s+(?P<wz>[+-]\d{4})\s+(?P<wy>\d{4})\b"
    # Epoch inside a script call: timeConvert('1743501316'), formatDate(1572244774000).
    + r"|(?i:[a-z_]*(?:time|date)[a-z_]*)\s*\(\s*['\"]?(?P<ep>1\d{12}|1\d{9})['\"]?\s*\)"
    # Short Chinese month-day, year from as_of: 6月12日, 6月12日10:30.
    + r"|(?<![0-9年])(?P<sm>\d{1,2})\s*月\s*(?P<sd>\d{1,2})\s*日(?:\s*(?P<sH>\d{1,2}):(?P<sM>\d{2}))?"
    # Short padded MM-DD / MM/DD (never dotted: 4.10-4.16 is a range in a title).
    + r"|(?<![0-9A-Za-z_/.\-=&?%#第])(?<![0-9]:)(?P<nm>\d{2})(?P<nsep>[-/])(?P<nd>\d{2})"
    r"(?:\s+(?P<nH>\d{1,2}):(?P<nM>\d{2})(?::\d{2})?)?" + _NOT_AFTER
    # Relative forms with a number or a clock time, handed to dateparser: 3天前, 2小时前, 昨天 12:25.
    + r"|(?P<rel>\d+\s*(?:秒钟?|分钟|个?小时|天|周|星期|个月)\s*前"
    r"|(?:昨天|前天|今天)\s*\d{1,2}:\d{2})"
)
# Labels whose date is a modification, not a publication: used only when no other date exists.
_UPDATE_LABEL = re.compile(
    r"(?:更\s*新|修\s*改|最\s*后\s*修\s*改|modified)\s*(?:时\s*间|日\s*期|time|date)?\s*:?\s*[\[(【]?\s*$",
    re.I,
)
# Epochs start with 1 (2001-09-09 .. 2033-05-18), so YYYYMMDDhh runs are not misread as epochs.
# Whole-string forms only `parse` accepts: bare epoch, compact 20190121, unpadded short 5-20 / [5/20].
_WHOLE = re.compile(
    r"(?P<ep>1\d{12}|1\d{9})"
    rf"|(?P<ky>{_YEAR})(?P<km>\d{{2}})(?P<kd>\d{{2}})"
    r"|[\[(【]?(?P<sm>\d{1,2})[-/](?P<sd>\d{1,2})(?:\s+(?P<sH>\d{1,2}):(?P<sM>\d{2})(?::\d{2})?)?[\])】]?"
)
# What lets `parse` hand a string to dateparser; anything else (e.g. a year alone) is not a date.
_DATEPARSER_HINT = re.compile(
    r"刚刚|刚才|前|昨|今天|\b(?:ago|now|yesterday|today)\b|\b(?:" + "|".join(_MONTHS) + r")[a-z]*\b", re.I
)
_RELATIVE_WORD = re.compile(r"刚|前|昨|今|\b(?:ago|now|yesterday|today)\b", re.I)


def _make_date_data_parser(as_of: date) -> Any:
    """The one dateparser object of a DateParser: zh+en only (no language detection), past first, base as_of noon."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime.combine(as_of, RELATIVE_BASE_TIME),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(languages=["zh", "en"], settings=settings)


# Full-width ASCII forms (Ｕ+FF01–FF5E) and the ideographic space folded one character for one, so a regex run on the
# folded text finds its match at the same offsets in the text as typed.
_WIDTH_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xA0: 0x20}


def fold_width(text: str) -> str:
    """`text` with full-width digits and punctuation as ASCII and wide spaces as spaces; same length, same offsets."""
    return text.translate(_WIDTH_FOLD)


def _normalize(text: object) -> str:
    """Full-width digits/colons/brackets, U+3000 and &nbsp; become ASCII, so one regex covers them all."""
    if not isinstance(text, str) or not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "0": 0}


def _cn_number(chars: str) -> int:
    """一..三十一 -> int (-1 when malformed)."""
    tens, ten, units = chars.partition("十")
    if not ten:
        return _CN_VALUE[chars] if len(chars) == 1 else -1
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return -1
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[units] if units else 0)


def _cn_year(chars: str) -> int:
    return int("".join(str(_CN_VALUE[c]) for c in chars))


def _make(y: int, m: int, d: int, hh: str | None = None, mm: str | None = None, ss: str | None = None
          ) -> datetime | None:
    """A datetime when y-m-d is a real day; an impossible clock time falls back to midnight."""
    try:
        day = datetime(y, m, d)
    except ValueError:
        return None
    if hh is not None and mm is not None:
        h, mi, s = int(hh), int(mm), int(ss or 0)
        if h < 24 and mi < 60 and s < 60:
            return day.replace(hour=h, minute=mi, second=s)
    return day


def from_epoch(value: int | float | str) -> datetime:
    """Epoch seconds or milliseconds (>= 1e11 means ms) -> naive Asia/Shanghai time. ValueError on non-numbers."""
    text = str(value).strip()
    number = float(text) if isinstance(value, float) or "." in text else int(text)
    seconds = number / 1000 if abs(number) >= 10**11 else number
    try:
        return _EPOCH + timedelta(seconds=seconds, hours=8)
    except OverflowError as exc:
        raise ValueError(f"epoch out of range: {value!r}") from exc


_URL_DATES = [
    re.compile(rf"(?:^|/)t({_YEAR})(\d{{2}})(\d{{2}})_\d+"),  # TRS t20190121_52601.shtml
    re.compile(rf"/({_YEAR})/(\d{{1,2}})/(\d{{1,2}})/"),  # Hanweb /art/2022/1/20/
    re.compile(rf"/({_YEAR})-(\d{{1,2}})-(\d{{1,2}})/"),  # /c/2026-09-02/
    re.compile(rf"/({_YEAR})/(\d{{1,2}})-(\d{{1,2}})/"),  # /2026/09-11/
    re.compile(rf"/({_YEAR})-(\d{{2}})/(\d{{2}})/"),  # /2019-01/21/
    re.compile(rf"/({_YEAR})(\d{{2}})(\d{{2}})/"),  # /20190121/
    re.compile(rf"/({_YEAR})/(\d{{2}})(\d{{2}})/"),  # /2019/0121/
]


def date_from_url(url: str) -> date | None:
    """The date a CMS wrote into an article URL; can differ by days from the shown date, so last resort only.

    Year+month alone (www.gov.cn /202609/content_…) is no date."""
    if not isinstance(url, str):
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            found = _make(*(int(g) for g in match.groups()))
            if found:
                return found.date()
    return None


class DateParser:
    """Parses date strings for one inspection day `as_of`; short forms and relative forms are resolved against it."""

    def __init__(self, as_of: date):
        self.as_of = as_of
        self._date_data_parser: Any = None

    def parse(self, text: str) -> date | None:
        """A string meant to be a date: may carry a label (发布时间：), brackets, a time, a glued title."""
        found = self.parse_datetime(text)
        return found.date() if found else None

    def parse_datetime(self, text: str) -> datetime | None:
        """Like `parse`, keeping the time when the string has one (midnight otherwise)."""
        s = _normalize(text)
        if not s:
            return None
        whole = _WHOLE.fullmatch(s)
        if whole:
            return self._from_match(whole)
        found = self._scan(s)
        if found is None and _DATEPARSER_HINT.search(s):
            found = self._dateparser(s)
        return found

    def find(self, text: str) -> date | None:
        """The first real date inside free text. Skips ids, 索引号, URL dates and ranges like 4.10-4.16;
        a date labelled 更新时间/修改时间 is used only when the text has no other date."""
        found = self._scan(_normalize(text))
        return found.date() if found else None

    def _scan(self, s: str) -> datetime | None:
        fallback = None
        for match in _SCAN.finditer(s):
            found = self._from_match(match)
            if found is None:
                continue
            if not _UPDATE_LABEL.search(s, max(0, match.start() - 16), match.start()):
                return found
            fallback = fallback or found
        return fallback

    def _from_match(self, m: re.Match[str]) -> datetime | None:
        g = m.groupdict()
        if g.get("fy"):
            month, day = g["fm1"] or g["fm2"], g["fd1"] or g["fd2"]
            return _make(int(g["fy"]), int(month), int(day), g["fH"], g["fM"], g["fS"])
        if g.get("ky"):
            return _make(int(g["ky"]), int(g["km"]), int(g["kd"]))
        if g.get("cy"):
            return _make(_cn_year(g["cy"]), _cn_number(g["cm"]), _cn_number(g["cd"]))
        if g.get("ep"):
            try:
                return from_epoch(g["ep"])
            except ValueError:
                return None
        if g.get("wy"):
            return self._weibo(g)
        if g.get("sm"):
            return self._short(int(g["sm"]), int(g["sd"]), g["sH"], g["sM"])
        if g.get("nm"):
            return self._short(int(g["nm"]), int(g["nd"]), g["nH"], g["nM"])
        if g.get("rel"):
            return self._dateparser(g["rel"])
        return None

    def _short(self, month: int, day: int, hh: str | None, mm: str | None) -> datetime | None:
        """Month-day without a year: the latest such day not after as_of (Feb 29 looks back to a leap year)."""
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        for year in range(self.as_of.year, self.as_of.year - 8, -1):
            found = _make(year, month, day, hh, mm)
            if found and found.date() <= self.as_of:
                return found
        return None

    @staticmethod
    def _weibo(g: dict[str, str]) -> datetime | None:
        local = _make(int(g["wy"]), _MONTHS.index(g["wmon"]) + 1, int(g["wd"]), g["wH"], g["wM"], g["wS"])
        if local is None:
            return None
        sign = -1 if g["wz"][0] == "-" else 1
        offset = timedelta(hours=int(g["wz"][1:3]), minutes=int(g["wz"][3:5])) * sign
        return local - offset + timedelta(hours=8)

    def _dateparser(self, s: str) -> datetime | None:
        if self._date_data_parser is None:
            self._date_data_parser = _make_date_data_parser(self.as_of)
        try:
            data = self._date_data_parser.get_date_data(s.replace("个小时", "小时"))  # dateparser lacks 个小时
        except Exception:  # dateparser has raised on odd input before; a non-date must never break a crawl
            return None
        found = data.date_obj
        if found is None:
            return None
        # An absolute month or year alone ("June 2019") is not a day; relative periods ("3个月前") are.
        if data.period not in ("day", "time") and not _RELATIVE_WORD.search(s):
            return None
        return found.replace(tzinfo=None)
