"""What every rule returns, window arithmetic and small helpers shared by the rule modules."""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

FAIL, PASS, NOT_APPLICABLE, UNKNOWN = "fail", "pass", "not-applicable", "unknown"
# A veto code whose outcome hangs on a column, channel or homepage that could not be read: neither a finding nor a
# pass; the site is incomplete with the reason (never a finding from the absence of facts that were not read).
UNDECIDED = "undecided"
# A code of an incomplete site that needs the part the crawl was refused: not issued and not passed (rules.judge).
WITHHELD = "withheld"


@dataclass
class Outcome:
    """One rule's decision. `sentence` is the Chinese detail for a fail, else the reason for the verdict."""
    verdict: str
    sentence: str
    evidence_url: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Finding:
    indicator: str
    veto: bool
    detail: str
    evidence_url: str
    evidence: dict[str, Any]


def days_before(as_of: date, days: int) -> date:
    return as_of - timedelta(days=days)


def months_before(as_of: date, months: int) -> date:
    """Calendar months: 2019-08-31 minus 6 months is 2019-02-28."""
    return as_of - relativedelta(months=months)


def months_after(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def shown(day: date | None) -> str:
    """A date as the detail sentence prints it."""
    return day.isoformat() if day else "无日期"


def span(days: int) -> str:
    """A window in the notice's words: 14 -> 2周, 10 -> 10天."""
    return f"{days // 7}周" if days and days % 7 == 0 else f"{days}天"


def listed(items: list[str], limit: int = 20) -> str:
    """Join names with 、, cut long lists with 等."""
    head = "、".join(items[:limit])
    return head + ("等" if len(items) > limit else "")


def cadence(dates: list[date | None], as_of: date) -> tuple[float | None, int | None]:
    """A column's rhythm: the median interval in days between its distinct entry dates on or before T, and how
    many such intervals have passed since the newest one, (as_of − newest) // cadence. (None, None) below 2 dates."""
    days = sorted({d for d in dates if d is not None and d <= as_of})
    if len(days) < 2:
        return None, None
    median = float(statistics.median((b - a).days for a, b in zip(days, days[1:])))
    return median, int((as_of - days[-1]).days // median)
