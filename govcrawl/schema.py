"""The SQLite schema: every table, its columns and primary key. Every row carries its run_id.

The README's "Schema" section is generated from this module (`govcrawl schema`).
"""
from __future__ import annotations

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
            "redirect_chain": (str, "JSON list of {url, status, kind}"),
            "footer": (str, "JSON of the footer facts (标识码, ICP, 公安备案, 主办, jiucuo)"),
            "tls_problem": (str, "why the https certificate does not verify (expired, self-signed, wrong host)"),
            "requests": (int, "requests made for the site"),
            "judged_at": (str, "UTC time the verdict was stored; NULL while the site is not complete"),
        },
    },
    "fetches": {
        "pk": ("run_id", "site_code", "url", "attempt"),
        "doc": "every attempt at a registered homepage",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "url": (str, ""),
            "attempt": (int, "1-based"), "status": (int, "HTTP status, NULL when no response"),
            "error": (str, "network error, if any"), "elapsed_ms": (int, "time to the response"),
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
        "doc": "links recorded but not crawled as columns: offsite, attachments, broken, refused, lost",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "from_url": (str, ""), "url": (str, ""),
            "text": (str, ""), "kind": (str, "offsite | attachment | broken | refused | lost"), "status": (int, ""),
            "reason": (str, "why a request for it was refused (address policy) or lost"),
        },
    },
    "channels": {
        "pk": ("run_id", "site_code", "url"),
        "doc": "interaction channels (互动交流) linked from a site",
        "columns": {
            "run_id": (str, ""), "site_code": (str, ""), "name": (str, "link text"), "url": (str, ""),
            "kind": (str, "consultation | petition | report"), "offsite": (int, "1 on another host (a 12345 platform)"),
            "working": (int, "1 answered with content, 0 dead / empty / 维护中, NULL not checked"),
            "note": (str, "why it does not work"),
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
            "indicator": (str, "code from INDICATORS.md"),
            "veto": (int, "1 single-veto, 0 review only"),
            "detail": (str, "Chinese sentence in the notice's style"),
            "evidence_url": (str, "the page that shows it"),
            "evidence": (str, "JSON of the facts that decided it"),
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
            "status": (str, "checked | unchecked | unsupported"),
            "reason": (str, "why unchecked / unsupported, or which facts could not be read"),
            "newest_post": (str, "newest non-pinned post on or before T (ISO time)"),
            "interaction": (int, "1 a way to write to it is open, 0 all closed, NULL unknown"),
            "passed": (int, "1 合格, 0 不合格, NULL not judged"),
            "facts": (str, "JSON of the facts judged (rules/newmedia.py AccountFacts)"),
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
                 "channel": "channels", "account": "accounts", "post": "posts"}


def pk(table: str) -> tuple[str, ...]:
    return TABLES[table]["pk"]


def columns(table: str) -> dict[str, type]:
    return {name: spec[0] for name, spec in TABLES[table]["columns"].items()}
