"""Account registry (政务新媒体) and the back-end facts units export, both CSV, read like the site registry.

Account registry: header ``account_id,name,unit,platform,url`` (Chinese: 账号标识, 账号名称, 单位/主办单位,
平台/账号平台, 网址/地址). platform 新浪微博 (微博, weibo) and 微信 (微信公众号, wechat) are checked; any other
platform (抖音, 今日头条, 快手 …) is kept and marked unsupported. Weibo rows need a URL carrying the numeric uid
(m.weibo.cn/u/<uid>, weibo.com/u/<uid>, weibo.com/<uid>, m.weibo.cn/profile/<uid>, or a containerid=107603<uid>
API URL); WeChat and unsupported rows may leave url empty (a WeChat url may be a profile_ext getmsg URL with a
unit's credentials, which the crawler then reads).

Back-end facts (``govcrawl newmedia import``, ``-a facts=``): header ``account_id,newest_post,menu,messages,
auto_reply`` (Chinese: 最新发布时间, 菜单, 留言/消息, 自动回复); newest_post in any date form, the others yes/no,
empty = not stated.

Encodings, delimiters, blank rows and yes/no values as in govcrawl/registry.py. One problem per bad row (all its
reasons joined); the good rows are still returned. RegistryError when the whole file is unusable.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from govcrawl.dates import DateParser
from govcrawl.registry import (
    RegistryError, RegistryProblem, collapse_spaces, csv_rows, nfkc, registry_url, unique_rows, yes_no,
)

WEIBO, WECHAT = "新浪微博", "微信"
# spellings seen in inspection sheets -> the platform name 附件4 prints
_PLATFORMS = {"新浪微博": WEIBO, "微博": WEIBO, "weibo": WEIBO, "sina weibo": WEIBO,
              "微信": WECHAT, "微信公众号": WECHAT, "微信公众平台": WECHAT, "公众号": WECHAT, "wechat": WECHAT}
ACCOUNT_COLUMNS = ("account_id", "name", "unit", "platform", "url")
FACT_COLUMNS = ("account_id", "newest_post", "menu", "messages", "auto_reply")
_ALIASES = {
    "账号标识": "account_id", "账号编号": "account_id", "编号": "account_id", "账号名称": "name",
    "新媒体账号名称": "name", "单位": "unit", "主办单位": "unit", "市州/部门": "unit", "平台": "platform",
    "账号平台": "platform", "网址": "url", "地址": "url", "最新发布时间": "newest_post", "最近更新": "newest_post",
    "菜单": "menu", "自定义菜单": "menu", "留言": "messages", "消息": "messages", "私信": "messages",
    "自动回复": "auto_reply",
}
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_UID_PATTERNS = (
    re.compile(r"^/(?:u|profile)/(\d{5,})/?$"),     # m.weibo.cn/u/123, m.weibo.cn/profile/123, weibo.com/u/123
    re.compile(r"^/(\d{5,})/?$"),                   # weibo.com/123
)


@dataclass(frozen=True)
class Account:
    account_id: str
    name: str
    unit: str
    platform: str        # 新浪微博 | 微信 | the platform as written (unsupported)
    url: str
    line: int = 0

    @property
    def supported(self) -> bool:
        return self.platform in (WEIBO, WECHAT)

    @property
    def weibo_uid(self) -> str | None:
        return weibo_uid(self.url) if self.platform == WEIBO else None


@dataclass(frozen=True)
class BackendFacts:
    account_id: str
    newest_post: datetime | None
    menu: bool | None
    messages: bool | None
    auto_reply: bool | None
    line: int = 0


def platform_name(raw: str) -> str:
    """The canonical platform name of a registry cell; unknown platforms are returned as written."""
    value = collapse_spaces(unicodedata.normalize("NFKC", raw))
    return _PLATFORMS.get(value.lower(), value)


def weibo_uid(url: str) -> str | None:
    """The numeric uid in a Weibo profile or getIndex URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not (host == "weibo.com" or host.endswith(".weibo.com") or host.endswith("weibo.cn")):
        return None
    query = parse_qs(parts.query)
    for key in ("containerid", "uid", "value"):
        value = (query.get(key) or [""])[0]
        if key == "containerid" and re.fullmatch(r"10(?:7603|0505)\d{5,}", value):
            return value[6:]
        if key != "containerid" and value.isdigit() and len(value) >= 5:
            return value
    for pattern in _UID_PATTERNS:
        match = pattern.match(parts.path)
        if match:
            return match.group(1)
    return None


def read_accounts(path: str | os.PathLike[str]) -> tuple[list[Account], list[RegistryProblem]]:
    """The good accounts in file order, and one problem per bad row."""
    rows = _rows(str(path), required=ACCOUNT_COLUMNS)
    return unique_rows(str(path), ((line, None if cells is None else _account(line, cells, reasons), reasons)
                                   for line, cells, reasons in rows), "account_id", "account")


def read_backend_facts(path: str | os.PathLike[str], dates: DateParser
                       ) -> tuple[list[BackendFacts], list[RegistryProblem]]:
    """Facts units exported from their back ends; one problem per bad row."""
    facts: list[BackendFacts] = []
    problems: list[RegistryProblem] = []
    for line, cells, reasons in _rows(str(path), required=("account_id",), optional=FACT_COLUMNS[1:]):
        if cells is not None:
            account_id = _account_id(cells["account_id"], reasons)
            raw_time = nfkc(cells.get("newest_post", ""))
            newest = dates.parse_datetime(raw_time) if raw_time else None
            if raw_time and newest is None:
                reasons.append(f"newest_post {raw_time!r} is not a date")
            flags = [yes_no(cells.get(key, ""), key, reasons) for key in ("menu", "messages", "auto_reply")]
            if not reasons:
                facts.append(BackendFacts(account_id, newest, *flags, line=line))
                continue
        problems.append(RegistryProblem(str(path), line, "; ".join(reasons)))
    return facts, problems


def _account(line: int, cells: dict[str, str], reasons: list[str]) -> Account:
    account_id = _account_id(cells["account_id"], reasons)
    name, unit = collapse_spaces(cells["name"]), collapse_spaces(cells["unit"])
    if not name:
        reasons.append("name is empty")
    if not unit:
        reasons.append("unit is empty")
    platform = platform_name(cells["platform"])
    if not platform:
        reasons.append("platform is empty")
    url = nfkc(cells["url"])
    if url:
        url, url_reason = registry_url(url)
        if url_reason:
            reasons.append(url_reason)
        elif platform == WEIBO and weibo_uid(url) is None:
            reasons.append(f"url {url!r} carries no Weibo uid (use https://m.weibo.cn/u/<uid>)")
    elif platform == WEIBO:
        reasons.append("url is empty (a Weibo account needs https://m.weibo.cn/u/<uid>)")
    return Account(account_id, name, unit, platform, url, line)


def _account_id(raw: str, reasons: list[str]) -> str:
    value = re.sub(r"\s+", "", nfkc(raw))
    if not value:
        reasons.append("account_id is empty")
    elif not _ID_RE.match(value):
        reasons.append(f"account_id {value!r} is not letters, digits, '_', '-' or '.'")
    return value


def _header_key(cell: str) -> str:
    key = re.sub(r"[\s-]+", "_", unicodedata.normalize("NFKC", cell).strip().lower())
    return _ALIASES.get(key, key)


def _rows(name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
          ) -> Iterator[tuple[int, dict[str, str] | None, list[str]]]:
    """(line, cells by column or None, reasons) per non-blank data row; RegistryError for an unusable file."""
    for line, row, columns, _ in csv_rows(name, required, optional, _header_key):
        width = max(columns.values()) + 1
        if len(row) < width:
            yield line, None, [f"too few fields: {len(row)} where the header needs {width}"]
            continue
        yield line, {key: row[index] for key, index in columns.items()}, []
