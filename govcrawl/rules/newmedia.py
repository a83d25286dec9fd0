"""Government new media (政务新媒体) rules: account_not_updated and account_no_interaction (both single veto).

A fact that could not be read (anti-bot page, login wall, expired session, unsupported platform) is None and never
produces a finding: the account is then `unchecked` (or `unsupported`) with the reason, for an inspector to check
by hand. An account is `checked` once its verdict is decided: a finding, or every fact known and none fails.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from govcrawl.accounts import WECHAT, WEIBO, Account, BackendFacts
from govcrawl.rules.base import Finding, days_before, span

CHECKED, UNCHECKED, UNSUPPORTED = "checked", "unchecked", "unsupported"
ACCOUNT_CODES = ("account_not_updated", "account_no_interaction")  # docs/indicators.md, new media


@dataclass
class AccountFacts:
    """What the crawl (and any back-end import) established about one account."""
    newest_post: datetime | None = None        # newest non-pinned post on or before T
    posts_read: bool = False                   # the post list was read: newest None then means "no post at all"
    newest_source: str = ""                    # weibo | sogou | getmsg | import
    newest_url: str = ""
    pinned_newest: datetime | None = None      # newest pinned post, shown in the detail (never counts)
    comments_open: bool | None = None          # Weibo
    messages_open: bool | None = None          # Weibo private messages / WeChat 留言·消息
    menu: bool | None = None                   # WeChat custom menu
    auto_reply: bool | None = None             # WeChat
    evidence_url: str = ""
    unread: list[str] = field(default_factory=list)   # why facts could not be read

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat(sep=" ") if isinstance(v, datetime) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "AccountFacts":
        values = dict(data)
        for key in ("newest_post", "pinned_newest"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass
class AccountVerdict:
    status: str                 # checked | unchecked | unsupported
    reason: str | None
    passed: bool | None
    interaction: bool | None
    findings: list[Finding]


def interaction(platform: str, facts: AccountFacts) -> bool | None:
    """Whether the public can write to the account: True on any open channel, False when all are known closed."""
    channels = {WEIBO: (facts.comments_open, facts.messages_open),
                WECHAT: (facts.menu, facts.messages_open, facts.auto_reply)}.get(platform, ())
    if any(c is True for c in channels):
        return True
    if channels and all(c is False for c in channels):
        return False
    return None


def judge_account(account: Account, facts: AccountFacts, as_of: date, window_days: int = 14) -> AccountVerdict:
    if not account.supported:
        return AccountVerdict(UNSUPPORTED, f"平台“{account.platform}”不支持自动检查，需人工检查", None, None, [])
    findings: list[Finding] = []
    missing: list[str] = []
    stale = _not_updated(account, facts, as_of, window_days)
    if stale is None:
        missing.append("最新发布时间未能读取")
    elif stale:
        findings.append(stale)
    open_ = interaction(account.platform, facts)
    if open_ is None:
        missing.append("互动功能未能读取" + ("（需导入后台数据）" if account.platform == WECHAT else ""))
    elif not open_:
        findings.append(_no_interaction(account, facts))
    reasons = "；".join(missing + facts.unread) or None
    if findings:
        return AccountVerdict(CHECKED, reasons, False, open_, findings)
    if missing:
        return AccountVerdict(UNCHECKED, reasons, None, open_, [])
    return AccountVerdict(CHECKED, None, True, open_, [])


def _not_updated(account: Account, facts: AccountFacts, as_of: date, window_days: int) -> Finding | None | bool:
    """A Finding when stale, False when fresh, None when unknown."""
    since = days_before(as_of, window_days)
    newest = facts.newest_post.date() if facts.newest_post else None
    if newest is not None and newest >= since:
        return False
    if newest is None and not facts.posts_read:
        return None
    kind = "微信公众号" if account.platform == WECHAT else f"{account.platform}账号"
    shown = f"最新一条信息发布于{newest.isoformat()}" if newest else "未发现任何已发布信息"
    detail = f"{kind}“{account.name}”{shown}，监测时间点{as_of.isoformat()}前{span(window_days)}内无更新"
    pinned = facts.pinned_newest.date() if facts.pinned_newest else None
    if pinned and pinned >= since:
        detail += f"（置顶信息发布于{pinned.isoformat()}，置顶不计为更新）"
    evidence = {"newest_post": newest.isoformat() if newest else None, "source": facts.newest_source,
                "window_start": since.isoformat(), "pinned_newest": pinned.isoformat() if pinned else None}
    return Finding("account_not_updated", True, detail, facts.newest_url or facts.evidence_url or account.url,
                   evidence)


def _no_interaction(account: Account, facts: AccountFacts) -> Finding:
    if account.platform == WEIBO:
        detail = f"新浪微博账号“{account.name}”评论与私信均已关闭，未提供有效互动功能"
        evidence = {"comments_open": facts.comments_open, "messages_open": facts.messages_open}
    else:
        detail = f"微信公众号“{account.name}”无自定义菜单、无留言（消息）功能、无自动回复，未提供有效互动功能"
        evidence = {"menu": facts.menu, "messages_open": facts.messages_open, "auto_reply": facts.auto_reply}
    return Finding("account_no_interaction", True, detail, facts.evidence_url or account.url, evidence)


def apply_backend(facts: AccountFacts, row: BackendFacts) -> None:
    """Merge what a unit exported from its back end: a later newest post wins; stated channels fill or override."""
    if row.newest_post is not None and (facts.newest_post is None or row.newest_post > facts.newest_post):
        facts.newest_post, facts.newest_source, facts.newest_url = row.newest_post, "import", ""
    for name in ("menu", "messages_open", "auto_reply"):
        value = getattr(row, "messages" if name == "messages_open" else name)
        if value is not None:
            setattr(facts, name, value)
