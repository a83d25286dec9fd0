"""Read one site of one run from the database as the facts the rules judge (govcrawl.rules.SiteFacts).

The verdict pipeline, `govcrawl explain` and the report all judge through this one reader, so a verdict is the
same whichever of them asks.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import sqlite_utils

from govcrawl.rules import (
    ChannelFact, ColumnFacts, EntryFact, FetchAttempt, FooterFacts, GuideFact, LetterFact, LinkFact, ProbeDay, SafetyFact,
    SiteFacts, links_elsewhere,
)


def _date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _rows(db: sqlite_utils.Database, table: str, run_id: str, site_code: str) -> list[dict]:
    if not db[table].exists():
        return []
    return list(db.query(f"select * from [{table}] where run_id = ? and site_code = ?", [run_id, site_code]))


def _bool(value) -> bool | None:
    return None if value is None else bool(value)


def _footer(raw: str | None) -> FooterFacts | None:
    if not raw:
        return None
    data = json.loads(raw)
    if not data:
        return None
    known = FooterFacts.__dataclass_fields__
    return FooterFacts(**{k: v for k, v in data.items() if k in known})


def probe_days(db: sqlite_utils.Database, site_code: str, as_of: str, days: int = 7) -> list[ProbeDay]:
    """Monitor-mode visits of a site per day (Asia/Shanghai), over the `days` days ending at T, from every probe session."""
    if not db["probes"].exists():
        return []
    first = (date.fromisoformat(as_of) - timedelta(days=days - 1)).isoformat()
    rows = db.execute(
        "select substr(at, 1, 10) as day, count(*), sum(1 - ok) from probes where site_code = ? "
        "and substr(at, 1, 10) between ? and ? group by day order by day", [site_code, first, as_of]).fetchall()
    return [ProbeDay(day=date.fromisoformat(day), probes=n, failures=failed or 0) for day, n, failed in rows]


def crawl_status(site: dict) -> str | None:
    """The site's status as the crawl left it: the verdict may turn `status` to incomplete for an undecided code, and
    a site judged again must see what the crawl saw (rows stored before crawl_status existed: status)."""
    return site.get("crawl_status") or site.get("status")


def load_site_facts(db: sqlite_utils.Database, run_id: str, site_code: str) -> SiteFacts:
    rows = _rows(db, "sites", run_id, site_code)
    if not rows:
        raise KeyError(f"site {site_code} is not in run {run_id}")
    site = rows[0]
    as_of = db["runs"].get(run_id)["as_of"]
    columns, homepage_entries, future = [], [], []
    homepage_urls = set()
    for c in _rows(db, "columns", run_id, site_code):
        columns.append(ColumnFacts(
            url=c["url"], name=c["name"] or "", category=c["category"] or "periodic",
            first_level=bool(c["first_level"]), role=c["role"] or "column", newest_date=_date(c["newest_date"]),
            entries=c["entries"], dated_entries=c["dated_entries"], blank_marker=c["blank_marker"],
            links_elsewhere=links_elsewhere(c["links_elsewhere"], c["children"], c["entries"]),
            pages=c["pages"], http_status=c["http_status"], parent=c["parent"],
            cadence_days=c["cadence_days"], periods_overdue=c["periods_overdue"],
            read_state=c.get("read_state"), read_reason=c.get("read_reason")))
        if c["role"] == "homepage":
            homepage_urls.add(c["url"])
    for e in _rows(db, "entries", run_id, site_code):
        fact = EntryFact(title=e["title"] or "", url=e["url"], date=_date(e["date"]), column_url=e["column_url"])
        if e["column_url"] in homepage_urls:
            homepage_entries.append(fact)
        if fact.date and fact.date.isoformat() > as_of:
            future.append(fact)
    portal_url = None
    if site["kind"] == "department" and site_code[:1].isdigit():
        # the portal of the same region: 标识码 begin with the organising unit's 6-digit region code
        portal = db.execute(
            "select coalesce(final_url, registered_url) from sites where run_id = ? and kind = 'portal' "
            "and substr(site_code, 1, 6) = ?", [run_id, site_code[:6]]).fetchone()
        portal_url = portal[0] if portal else None
    return SiteFacts(
        site_code=site_code, name=site["name"] or "", unit=site["unit"] or "", kind=site["kind"] or "",
        services=_bool(site["services"]), registered_url=site["registered_url"], final_url=site["final_url"],
        reachable=_bool(site["reachable"]), crawl_incomplete=crawl_status(site) == "incomplete",
        redirect_chain=json.loads(site["redirect_chain"] or "[]"),
        probes=probe_days(db, site_code, as_of),
        fetches=[FetchAttempt(url=f["url"], attempt=f["attempt"], status=f["status"], error=f["error"],
                              elapsed_ms=f["elapsed_ms"], challenge=f.get("challenge"))
                 for f in sorted(_rows(db, "fetches", run_id, site_code), key=lambda f: (f["url"], f["attempt"]))],
        columns=columns, homepage_entries=homepage_entries, future_entries=future,
        channels=[ChannelFact(name=c["name"] or "", url=c["url"], kind=c["kind"], offsite=bool(c["offsite"]),
                              working=_bool(c["working"]), note=c["note"])
                  for c in _rows(db, "channels", run_id, site_code)],
        letters=[LetterFact(title=x["title"] or "", url=x["url"], asked_on=_date(x["asked_on"]),
                            answered_on=_date(x["answered_on"]), status=x["status"], channel=x["channel"] or "",
                            kind=x["kind"] or "consultation")
                 for x in _rows(db, "letters", run_id, site_code)],
        guides=[GuideFact.from_row(g) for g in _rows(db, "guides", run_id, site_code)],
        links=[LinkFact(from_url=k["from_url"], url=k["url"], text=k["text"] or "", kind=k["kind"], status=k["status"])
               for k in _rows(db, "links", run_id, site_code)],
        footer=_footer(site["footer"]),
        portal_url=portal_url,
        tls_problem=site.get("tls_problem"),
        safety=[SafetyFact(code=x["code"], url=x["url"], key=x["key"], evidence=json.loads(x["evidence"] or "{}"))
                for x in _rows(db, "safety", run_id, site_code)],
    )
