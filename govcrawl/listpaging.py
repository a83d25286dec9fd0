"""Whether a column's list pages after the first must be read (issue 16): only when page 1 does not settle it.

What the rules take from a column's list is its newest entry dated on or before T (stale, not updated), whether the
list is empty (blank), its entries dated after T (future_dated: at the top of a list sorted newest first) and, as
evidence only, its cadence. None of them needs older entries: in a list sorted newest first the newest date is on
page 1. So page 1 settles a column when it shows at least a handful of entries dated on or before T, in order
newest first. It does not when
- the dated entries are not in order newest first (a list sorted otherwise may hold its newest entry anywhere);
- it starts with pinned (置顶) entries older than the rest: page 2 is read, then the pinned entries are set aside;
- fewer than a handful of its entries are dated on or before T (an undated list, a page of mostly future-dated or
  pinned entries, a short page: the next page may hold the dates).
Cadence is then computed from the entries of the pages read (page 1 alone for a settled column): the median interval
between their distinct dates, which page 1's handful of newest dates already gives.
"""
from __future__ import annotations

from datetime import date

# dated entries on or before T that let page 1 alone settle a column (list pages show 10 to 20 entries);
# GOVCRAWL_SETTLING_ENTRIES
HANDFUL = 5
# leading entries older than the one after them: at most this many are taken for pinned ones
MAX_PINNED = 5


def newest_first(dates: list[date]) -> bool:
    return all(a >= b for a, b in zip(dates, dates[1:]))


def pinned_prefix(dates: list[date]) -> int:
    """How many leading dates are older than what follows them while the rest is newest first (0: none)."""
    for count in range(1, min(MAX_PINNED, len(dates) - 2) + 1):
        rest = dates[count:]   # at least two, so that "newest first" says something
        if max(dates[:count]) < rest[0] and newest_first(rest):
            return count
    return 0


def further_pages_reason(dates: list[date | None], as_of: date, pages_read: int = 1,
                         handful: int = HANDFUL) -> str | None:
    """Why the list pages after the `pages_read` read must be read too ("pinned", "unsorted", "few-dated"), or None
    when the pages read settle the column. `dates`: the dates of the entries read so far, in list order (None:
    undated). Pinned entries send the reader to page 2 once; after that they are set aside."""
    dated = [d for d in dates if d is not None and d <= as_of]
    pinned = pinned_prefix(dated)
    if pinned and pages_read == 1:
        return "pinned"
    rest = dated[pinned:]
    if not newest_first(rest):
        return "unsorted"
    if len(rest) < handful:
        return "few-dated"
    return None
