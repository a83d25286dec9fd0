"""Update rules: homepage_not_updated, columns_not_updated, columns_long_stale, blank_columns (docs/indicators.md,
"Website single-veto codes" and "Column categories and their windows"); a column's category and cadence.

Which columns count (decided here, documented in the README):
- only role "column" rows; the homepage, letters and guides rows have their own rules;
- a column that links on to another column or system (links_elsewhere) is never counted;
- only columns whose list page was read count (read_state listed or empty; a content page without a list is read but
  cannot be dated): a column is blank only when its empty state was seen (govcrawl.extract.emptystate), never because
  no entry was extracted. An unread column (script-filled and not rendered, list not recognised, network error,
  blocked) counts nowhere; when the unread columns could change an indicator's outcome (stale + unread reach the
  threshold while stale alone does not) the indicator is UNDECIDED, never a finding. A broken column (HTTP error,
  error page) and one that hands over to another system are simply not counted;
- reference columns (机构职能, 概况 …) have no window and are never stale;
- a blank column (never had an entry) counts in blank_columns only, not as stale as well. A reference column is a
  content page rather than a list, so it is blank only when it says so (暂无信息, 栏目建设中 …), an empty list
  container is not enough;
- a column with entries but no dated entry is stale: undated entries count as not updated (2015 rule);
- dates after T are not updates.
"""
from __future__ import annotations

from datetime import date

from govcrawl.categories import Categories
from govcrawl.rules.base import (
    FAIL, PASS, UNDECIDED, UNKNOWN, Outcome, cadence, days_before, iso, listed, months_before, shown, span,
)
from govcrawl.rules.facts import ColumnFacts, SiteFacts
from govcrawl.rules.settings import RuleSettings

CATEGORY_NAMES = {"news": "动态要闻类", "notice": "通知公告政策文件类", "periodic": "其他应更新类", "reference": "参考类"}


def window_start(category: str, as_of: date, s: RuleSettings) -> date | None:
    """The oldest date that still counts as up to date for the category; None = no window."""
    if category == "news":
        return days_before(as_of, s.news_window_days)
    if category == "notice":
        return months_before(as_of, s.notice_window_months)
    if category == "reference":
        return None
    return months_before(as_of, s.periodic_window_months)


def column_class(name: str, dates: list[date | None], as_of: date,
                 categories: Categories) -> tuple[str, float | None, int | None]:
    """A column's (category, cadence_days, periods_overdue): its category from its name (the keyword table, with
    the site's override), its rhythm from its entries' dates on or before T (base.cadence)."""
    return (categories.classify(name or ""), *cadence(dates, as_of))


def links_elsewhere(flagged: bool | None, children: int | None, entries: int | None) -> bool:
    """A column hands over elsewhere when the crawl saw it do so, or when it has sub-columns and no entry of its own:
    a parent menu item, whose sub-columns are judged in its place."""
    return bool(flagged or (children and not entries))


def counted(column: ColumnFacts) -> bool:
    return column.role == "column" and not column.links_elsewhere


def fetched(column: ColumnFacts) -> bool:
    if column.pages == 0:
        return False
    return column.http_status is None or 200 <= column.http_status < 300


def read_state(column: ColumnFacts) -> str:
    """listed | empty | content | undated | unread | broken | elsewhere; derived for rows stored before read_state
    existed."""
    if column.links_elsewhere:
        return "elsewhere"
    if column.read_state:
        return column.read_state
    if not fetched(column):
        return "broken" if column.http_status and column.http_status >= 400 else "unread"
    if column.entries:
        return "listed"
    return "empty" if column.blank_marker and column.entries == 0 else "unread"


def was_read(column: ColumnFacts) -> bool:
    return read_state(column) in ("listed", "empty", "content", "undated")


def is_unread(column: ColumnFacts) -> bool:
    return column.role == "column" and read_state(column) == "unread"


def is_blank(column: ColumnFacts) -> bool:
    if not counted(column) or read_state(column) != "empty":
        return False
    return column.category != "reference" or bool(column.blank_marker)


def newest(column: ColumnFacts, as_of: date) -> date | None:
    return column.newest_date if column.newest_date and column.newest_date <= as_of else None


def is_stale(column: ColumnFacts, as_of: date, s: RuleSettings) -> bool:
    start = window_start(column.category, as_of, s)
    if start is None or not counted(column) or read_state(column) != "listed":
        return False
    latest = newest(column, as_of)
    return latest is None or latest < start


def undatable(column: ColumnFacts) -> bool:
    """Its dates were not seen: not read, a content page without a date, or entries whose article pages could not be
    read (undated). Such a column may be stale or fresh."""
    return counted(column) and (is_unread(column) or read_state(column) in ("content", "undated"))


def maybe_stale(column: ColumnFacts, as_of: date, s: RuleSettings) -> bool:
    """Not read as a dated list yet its category has a window."""
    return undatable(column) and window_start(column.category, as_of, s) is not None


def _row(column: ColumnFacts, as_of: date) -> dict:
    return {"name": column.name, "url": column.url, "category": column.category, "first_level": column.first_level,
            "newest_date": iso(newest(column, as_of)), "entries": column.entries,
            "dated_entries": column.dated_entries, "blank_marker": column.blank_marker,
            "cadence_days": column.cadence_days, "periods_overdue": column.periods_overdue}


def _oldest_first(columns: list[ColumnFacts], as_of: date) -> list[ColumnFacts]:
    return sorted(columns, key=lambda c: (newest(c, as_of) or date.min, c.name))


def _names_with_dates(columns: list[ColumnFacts], as_of: date) -> str:
    return listed([f"{c.name}（最新{shown(newest(c, as_of))}）" for c in columns])


def _context(facts: SiteFacts) -> tuple[list[ColumnFacts], dict]:
    """Columns to judge, and the evidence of those left out."""
    columns = [c for c in facts.columns if c.role == "column"]
    left_out = {"links_elsewhere": [c.name for c in columns if c.links_elsewhere],
                "not_read": [c.name for c in columns if not c.links_elsewhere and not was_read(c)],
                "unread": [{"name": c.name, "url": c.url, "reason": c.read_reason} for c in columns if is_unread(c)]}
    return [c for c in columns if counted(c) and was_read(c)], left_out


def _unread_text(columns: list[ColumnFacts]) -> str:
    return listed([f"{c.name}（{c.read_reason or '未能读取'}）" for c in columns], 10)


def _count_rule(stale: list[ColumnFacts], maybe: list[ColumnFacts], judged: list[ColumnFacts], left_out: dict,
                minimum: int, phrase: str, what: str, facts: SiteFacts, as_of: date) -> Outcome:
    """FAIL on what was seen alone; UNDECIDED when the columns not read could still reach the threshold."""
    stale = _oldest_first(stale, as_of)
    evidence = {"count": len(stale), "threshold": minimum, "columns": [_row(c, as_of) for c in stale],
                "judged": len(judged), "could_change": len(maybe), **left_out}
    if len(stale) >= minimum:
        return Outcome(FAIL, f"{phrase}（共{len(stale)}个：{_names_with_dates(stale, as_of)}）",
                       stale[0].url, evidence)
    if maybe and len(stale) + len(maybe) >= minimum:
        return Outcome(UNDECIDED, f"{what}{len(stale)}个，另有{len(maybe)}个栏目未能读取或无法判断日期，"
                                  f"可能达到{minimum}个：{_unread_text(maybe)}", maybe[0].url, evidence)
    if not judged:
        return Outcome(UNKNOWN, "未读取到可判断的栏目", facts.homepage_url, evidence)
    names = f"：{_names_with_dates(stale, as_of)}" if stale else ""
    return Outcome(PASS, f"{what}{len(stale)}个{names}，少于{minimum}个", stale[0].url if stale else facts.homepage_url,
                   evidence)


def columns_not_updated(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    judged, left_out = _context(facts)
    in_scope = lambda c: c.category == "news" or (c.category == "notice" and c.first_level)  # noqa: E731
    stale = [c for c in judged if in_scope(c) and is_stale(c, as_of, s)]
    maybe = [c for c in facts.columns if in_scope(c) and maybe_stale(c, as_of, s)]
    return _count_rule(stale, maybe, judged, left_out, s.columns_not_updated_min,
                       f"栏目不更新，动态、要闻类栏目及通知公告、政策文件类栏目累计超过(含){s.columns_not_updated_min}个未更新",
                       "动态、要闻类栏目及通知公告、政策文件类一级栏目未更新", facts, as_of)


def columns_long_stale(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    judged, left_out = _context(facts)
    stale = [c for c in judged if is_stale(c, as_of, s)]
    maybe = [c for c in facts.columns if maybe_stale(c, as_of, s)]
    return _count_rule(stale, maybe, judged, left_out, s.columns_long_stale_min,
                       f"应更新但长期未更新的栏目数量超过(含){s.columns_long_stale_min}个",
                       "应更新但长期未更新的栏目", facts, as_of)


def blank_columns(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    judged, left_out = _context(facts)
    blank = [c for c in judged if is_blank(c)]
    evidence = {"count": len(blank), "threshold": s.blank_columns_min, "judged": len(judged), **left_out,
                "columns": [{"name": c.name, "url": c.url, "blank_marker": c.blank_marker, "evidence": c.read_reason}
                            for c in blank]}
    names = listed([f"{c.name}（{c.blank_marker or c.read_reason or '空列表'}）" for c in blank])
    maybe = [c for c in facts.columns if counted(c) and is_unread(c)]
    if len(blank) >= s.blank_columns_min:
        return Outcome(FAIL, f"空白栏目数量超过(含){s.blank_columns_min}个（共{len(blank)}个：{names}）", blank[0].url, evidence)
    if maybe and len(blank) + len(maybe) >= s.blank_columns_min:
        return Outcome(UNDECIDED, f"空白栏目{len(blank)}个，另有{len(maybe)}个栏目未能读取，可能达到{s.blank_columns_min}个："
                                  f"{_unread_text(maybe)}", maybe[0].url, evidence)
    if not judged:
        return Outcome(UNKNOWN, "未读取到可判断的栏目", facts.homepage_url, evidence)
    return Outcome(PASS, f"空白栏目{len(blank)}个{'：' + names if blank else ''}，少于{s.blank_columns_min}个",
                   blank[0].url if blank else facts.homepage_url, evidence)


def homepage_not_updated(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    start = days_before(as_of, s.homepage_window_days)
    window = span(s.homepage_window_days)
    entries = facts.homepage_entries
    dated = [e for e in entries if e.date is not None]
    valid = sorted((e for e in dated if e.date <= as_of), key=lambda e: e.date, reverse=True)
    evidence = {"window_start": iso(start), "homepage_entries": len(entries), "dated": len(dated),
                "future": len(dated) - len(valid), "newest": None}
    where = facts.homepage_url
    unread = facts.homepage_unread
    evidence["homepage_unread"] = unread
    if dated:
        evidence["mode"] = "homepage"
        if valid:
            evidence["newest"] = {"title": valid[0].title, "url": valid[0].url, "date": iso(valid[0].date)}
        if valid and valid[0].date >= start:
            return Outcome(PASS, f"首页最新信息日期{shown(valid[0].date)}（{valid[0].title}），在{window}内", where, evidence)
        latest = f"首页最新信息日期{shown(valid[0].date)}（{valid[0].title}）" if valid else "首页信息均无有效日期"
        if unread:  # the blocks a script fills may hold newer entries
            return Outcome(UNDECIDED, f"{latest}，但{unread}", where, evidence)
        return Outcome(FAIL, f"首页不更新，监测时间点前{window}内首页无信息更新（{latest}）", where, evidence)
    if unread:  # "navigation only" needs a homepage read as a visitor sees it
        evidence["mode"] = "homepage-unread"
        return Outcome(UNDECIDED, f"首页无带日期的信息，但{unread}，无法判断是否仅为导航入口", where, evidence)
    # Navigation-only homepage: the rule applies to all second-level pages together.
    judged, left_out = _context(facts)
    maybe = [c for c in facts.columns if undatable(c)]
    evidence.update(mode="second-level", unread=left_out["unread"])
    latest_col = max(judged, key=lambda c: newest(c, as_of) or date.min, default=None)
    latest = newest(latest_col, as_of) if latest_col else None
    evidence["newest"] = {"column": latest_col.name, "url": latest_col.url, "date": iso(latest)} if latest_col else None
    if not judged and not entries:
        return Outcome(UNKNOWN, "首页无信息条目，也未读取到二级栏目", where, evidence)
    if latest and latest >= start:
        return Outcome(PASS, f"首页仅为导航入口，二级栏目最新信息日期{shown(latest)}（{latest_col.name}），在{window}内",
                       latest_col.url, evidence)
    shown_latest = f"（二级栏目最新信息日期{shown(latest)}，{latest_col.name}）" if latest else "（二级栏目均无有效日期）"
    if maybe:  # a second-level page that was not read may carry the update
        return Outcome(UNDECIDED, f"首页仅为导航入口，已读二级栏目无{window}内更新{shown_latest}，另有{len(maybe)}个栏目"
                                  f"未能读取或无法判断日期：{_unread_text(maybe)}", where, evidence)
    return Outcome(FAIL, f"首页不更新，首页仅为导航入口，监测时间点前{window}内所有二级页面无信息更新{shown_latest}", where, evidence)
