"""The SQLite schema: every table, its columns and primary key. Every row carries its run_id.

The README's "Schema" section is generated from this module (`govcrawl schema`).
"""
from __future__ import annotations

import sqlite_utils

TABLES: dict[str, dict] = {
    "runs": {
        "pk": ("run_id",),
        "doc": "one row per crawl",
        "columns": {
            "run_id": (str, "run identifier (-a run=…, else generated)"),
            "spider": (str, "provincial or newmedia"),
            "as_of": (str, "monitoring point T, YYYY-MM-DD"),
            "started_at": (str, "UTC ISO time"),
            "finished_at": (str, "UTC ISO time, empty while running"),
            "status": (str, "running | finished | interrupted"),
            "registry": (str, "registry file crawled"),
            "sites": (int, "sites in the registry (good rows)"),
            "registry_problems": (str, "JSON list of bad registry rows"),
            "settings": (str, "JSON of the GOVCRAWL_* settings in force"),
            "requests_by_purpose": (str, "JSON {purpose: requests sent} (govcrawl/requests/<purpose>; README "
                                         "\"Requests by purpose\"), summed over the processes that wrote the run"),
            "host": (str, "host name of the process writing the run"),
            "pid": (int, "process id writing the run (a running run whose process is gone is interrupted)"),
            "pid_started": (float, "start time of that process (epoch seconds), so a reused pid is told apart"),
        },
    },
    "sites": {
        "pk": ("run_id", "site_code"),
        "doc": "one row per registered site",
        "columns": {
            "run_id": (str, ""),
            "site_code": (str, "网站标识码"),
            "name": (str, "网站名称"),
            "unit": (str, "省直 or the city"),
            "kind": (str, "portal | department | ''"),
            "services": (int, "1 when the registry says the site must offer services"),
            "registered_url": (str, "homepage URL in the registry"),
            "final_url": (str, "homepage URL after every redirect"),
            "reachable": (int, "1 when the homepage answered 2xx on some attempt"),
            "passed": (int, "1 合格, 0 不合格, NULL not judged"),
            "status": (str, "complete | incomplete | unreachable"),
            "status_reason": (str, "why a site is incomplete or unreachable"),
            "undecided": (str, "JSON list of {indicator, reason}: veto codes left undecided because a column, channel "
                               "or the homepage could not be read and could change the outcome"),
            "redirect_chain": (str, "JSON list of {url, status, kind}"),
            "footer": (str, "JSON of the footer facts (标识码, ICP, 公安备案, 主办, jiucuo)"),
            "tls_problem": (str, "why the https certificate does not verify (expired, self-signed, wrong host)"),
            "requests": (int, "requests made for the site"),
            "challenge": (str, "WAF challenges met (jsl-521, script-412, yunsuo, safedog, script-cookie, captcha, slider, sms)"),
            "challenge_cleared": (int, "1 when every challenge met was cleared by the site's own script, 0 when not"),
            "challenge_solves": (int, "times the browser ran a challenge script for the site (1 + one per expiry)"),
            "judged_at": (str, "UTC time the verdict was stored; NULL while the site is not complete"),
            "judged_passed": (int, "passed as the crawler judged it, before any review decision (govcrawl review)"),
        },
    },
    "fetches": {
        "pk": ("run_id", "site_code", "url", "attempt"),
        "doc": "every attempt at a registered homepage",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "url": (str, ""),
            "attempt": (int, "1-based"), "status": (int, "HTTP status, NULL when no response"),
            "error": (str, "network error, if any"), "elapsed_ms": (int, "time to the response"),
            "challenge": (str, "the WAF challenge that answered instead of the homepage, when not cleared"),
        },
    },
    "columns": {
        "pk": ("run_id", "site_code", "url"),
        "doc": "one row per column (栏目) found on a site; role homepage holds the homepage's own entries",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""),
            "url": (str, "list page 1"), "name": (str, "栏目名称"),
            "category": (str, "news | notice | periodic | reference"),
            "first_level": (int, "1 for a top navigation item"),
            "parent": (str, "parent column name"),
            "source": (str, "nav | submenu | more | block | tree | js"),
            "role": (str, "column | homepage"),
            "newest_date": (str, "newest entry dated on or before T"),
            "entries": (int, "entries listed"), "dated_entries": (int, "entries with a date"),
            "future_entries": (int, "entries dated after T"),
            "blank_marker": (str, "暂无信息 … when the list says so"),
            "read_state": (str, "how list page 1 was read: listed (entries seen) | empty (its empty state seen: a marker, "
                                "a CMS count of 0, an empty list container) | content (a content page, no list) | unread "
                                "(not read: script-filled and not rendered, list not recognised, network error, blocked) | undated "
                                "(entries, none dated, and no sampled article page could be read) "
                                "| broken (HTTP error or error page) | elsewhere (hands over to another system); homepage "
                                "rows: listed | navigation (read, no dated entry) | unread. Only listed and empty columns "
                                "are judged; unread ones can leave an indicator undecided"),
            "read_reason": (str, "the evidence of the empty state, or why the page was not read"),
            "pages": (int, "list pages read"),
            "children": (int, "sub-columns linked from the column page"),
            "links_elsewhere": (int, "1 when the column links on to another column or system"),
            "http_status": (int, "status of list page 1"),
            "blocked": (str, "why the list could not be read (HTTP 403/429, a WAF page); the site is then incomplete"),
            "truncated": (int, "1 when list page 1 was cut at GOVCRAWL_MAX_PAGE_BYTES"),
            "stale": (int, "1 when older than its category's window at T"),
            "cadence_days": (float, "median days between dated entries"),
            "periods_overdue": (int, "cadences elapsed since the newest entry at T"),
        },
    },
    "entries": {
        "pk": ("run_id", "site_code", "column_url", "url"),
        "doc": "one row per list entry",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "column_url": (str, ""),
            "title": (str, ""), "url": (str, ""), "date": (str, "publish date YYYY-MM-DD"),
            "raw_date": (str, "the string the date was read from"),
            "date_source": (str, "list | article:<how> | none"),
        },
    },
    "links": {
        "pk": ("run_id", "site_code", "from_url", "url"),
        "doc": "links recorded but not crawled as columns: offsite, attachments, broken, refused, lost, the homepage's service entries",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "from_url": (str, ""), "url": (str, ""),
            "text": (str, ""), "kind": (str, "offsite | attachment | broken | refused | lost | service (a 办事 entry on the homepage)"),
            "status": (int, ""),
            "reason": (str, "why a request for it was refused (address policy) or lost"),
        },
    },
    "channels": {
        "pk": ("run_id", "site_code", "url"),
        "doc": "interaction channels (互动交流) linked from a site",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "name": (str, "link text"), "url": (str, ""),
            "kind": (str, "consultation | petition | report"), "offsite": (int, "1 on another host (a 12345 platform)"),
            "working": (int, "1 answered with content (on whatever host), 0 seen not to work (HTTP error or no answer "
                             "after retries, 维护中, no letters and no way to write), NULL not checked (not visited, "
                             "letters filled by a script that did not run)"),
            "note": (str, "why it does not work, or why it could not be checked"),
        },
    },
    "letters": {
        "pk": ("run_id", "site_code", "url"),
        "doc": "published letters of the consultation channels",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "channel": (str, "channel name"),
            "kind": (str, "kind of its channel"), "title": (str, ""), "url": (str, "detail page"),
            "asked_on": (str, "来信时间"), "answered_on": (str, "回复时间"),
            "status": (str, "answered | pending | NULL unknown"), "status_text": (str, "status as shown"),
            "list_url": (str, "the list page it was read from"),
        },
    },
    "guides": {
        "pk": ("run_id", "site_code", "url"),
        "doc": "sampled service guides (办事指南) and their five key elements",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "url": (str, ""), "title": (str, ""),
            "materials": (str, "办理材料 value"), "location": (str, "办理地点 value"), "agency": (str, "办理机构 value"),
            "fee": (str, "收费标准 value"), "hours": (str, "办理时间 value"),
            "missing": (str, "JSON list of the key categories missing"), "labels_only": (int, "1 when values are script-filled"),
        },
    },
    "probes": {
        "pk": ("run_id", "site_code", "at"),
        "doc": "monitor mode (govcrawl probe): timed visits of each registered homepage; judged over the 7 days before T",
        "columns": {
            "run_id": (str, "probe session"), "site_code": (str, ""), "url": (str, "registered homepage"),
            "at": (str, "time of the visit, Asia/Shanghai ISO"), "ok": (int, "1 when a 2xx came within the timeout"),
            "status": (int, "HTTP status"), "elapsed_ms": (int, ""), "error": (str, ""),
        },
    },
    "findings": {
        "pk": ("run_id", "site_code", "indicator"),
        "doc": "one row per indicator that fired",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""),
            "indicator": (str, "code from docs/indicators.md"),
            "veto": (int, "1 single-veto, 0 review only"),
            "detail": (str, "Chinese sentence in the notice's style"),
            "evidence_url": (str, "the page that shows it"),
            "evidence": (str, "JSON of the facts that decided it"),
            "finding_key": (str, "content-safety codes: what identifies the finding across runs (targets, masked values)"),
            "review": (str, "content-safety codes: open | confirmed | dismissed (table reviews)"),
            "review_note": (str, "the decision as shown in the report: who, when, note"),
        },
    },
    "safety": {
        "pk": ("run_id", "site_code", "code", "url", "key"),
        "doc": "content-safety facts of the pages read (hidden links, tampering, personal data masked, wording, cloaking)",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""),
            "code": (str, "hidden_links | tampered_content | personal_data | wording_error | cloaking_redirect"),
            "url": (str, "the page"), "key": (str, "the link target, masked value, wrong form or version compared"),
            "evidence": (str, "JSON: anchor text and why hidden, masked context, both versions of a cloaked page"),
        },
    },
    "reviews": {
        "pk": ("site_code", "indicator", "finding_key", "decided_at"),
        "doc": "an inspector's decisions on content-safety findings (govcrawl review); they carry over to later runs",
        "columns": {
            "site_code": (str, ""), "indicator": (str, "the review code"),
            "finding_key": (str, "findings.finding_key of the finding decided"),
            "decision": (str, "confirmed | dismissed"), "note": (str, "why"), "by": (str, "who decided"),
            "decided_at": (str, "UTC ISO time"), "decided_in_run": (str, "the run the inspector looked at"),
        },
    },
    "accounts": {
        "pk": ("run_id", "account_id"),
        "doc": "one row per government new-media account (政务新媒体) of the account registry",
        "columns": {
            "run_id": (str, ""), "account_id": (str, "账号标识 (findings.site_code)"),
            "name": (str, "新媒体账号名称"), "unit": (str, "省直 or the city"),
            "platform": (str, "账号平台: 新浪微博 | 微信 | as written for others"),
            "url": (str, "profile or API URL in the registry"),
            "status": (str, "checked | unchecked | unsupported | gone (deleted, closed or banned)"),
            "reason": (str, "why unchecked / unsupported / gone (the platform's answer and URL), or which facts could not be read"),
            "newest_post": (str, "newest non-pinned post on or before T (ISO time)"),
            "interaction": (int, "1 a way to write to it is open, 0 all closed, NULL unknown"),
            "passed": (int, "1 合格, 0 不合格, NULL not judged"),
            "facts": (str, "JSON of the facts judged (rules/newmedia.py AccountFacts)"),
            "requests": (int, "requests made for the account"),
        },
    },
    "posts": {
        "pk": ("run_id", "account_id", "post_id"),
        "doc": "posts read from the accounts (Weibo getIndex, WeChat getmsg, Sogou search results)",
        "columns": {
            "run_id": (str, ""), "account_id": (str, ""), "post_id": (str, "platform id, or the URL"),
            "url": (str, ""), "title": (str, "text, first 80 characters"),
            "published": (str, "ISO time"), "raw_date": (str, "as the source gave it"),
            "pinned": (int, "1 for a pinned (置顶) post"), "source": (str, "weibo | getmsg | sogou"),
        },
    },
}

# the "type" of a spider item -> its table
TABLE_OF_ITEM = {"site": "sites", "fetch": "fetches", "column": "columns", "entry": "entries", "link": "links",
                 "finding": "findings", "letter": "letters", "guide": "guides",
                 "channel": "channels", "account": "accounts", "post": "posts", "safety": "safety"}


def pk(table: str) -> tuple[str, ...]:
    return TABLES[table]["pk"]


def columns(table: str) -> dict[str, type]:
    return {name: spec[0] for name, spec in TABLES[table]["columns"].items()}


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating) the database with every table above, in WAL mode."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db.execute("PRAGMA synchronous=NORMAL")
    for table in TABLES:
        if not db[table].exists():
            db[table].create(columns(table), pk=pk(table))
        else:
            missing = {c: t for c, t in columns(table).items() if c not in db[table].columns_dict}
            for name, kind in missing.items():
                db[table].add_column(name, kind)
    return db
