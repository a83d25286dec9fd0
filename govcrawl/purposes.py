"""What each request of a crawl is for: every request the crawl sends is counted once under
`govcrawl/requests/<purpose>` (issue 16), so the cost of a verdict can be read per purpose.

The spiders name a request's role when they make it (its Visit, govcrawl/visit.py); a request the browser loads is a
`render` whatever page it is. The browser's own subresource requests are counted by its route handler
(govcrawl/subresources.py), never here.
"""
from __future__ import annotations

from govcrawl.visit import VISIT, Visit

# purpose -> what it counts (the README's list is this one)
PURPOSES: dict[str, str] = {
    "homepage": "a registered homepage, its retries and redirect hops (static fetch)",
    "column": "list page 1 of a column (static fetch)",
    "list_page": "list pages after the first",
    "endpoint": "a column's JSON/XML list data named by its script",
    "article": "an article page read for the date its list did not show",
    "letters": "consultation channels: letter lists and letter details",
    "guide": "service-guide lists and guide pages",
    "link_check": "a homepage link checked for broken_links (HEAD, or GET up to the first bytes)",
    "frame": "a frame of a frameset homepage",
    "cloaking": "the homepage again as a search engine or its visitor sees it (cloaking_redirect)",
    "render": "a page loaded in the browser (homepage, column) — the navigation itself",
    "challenge": "a WAF challenge page opened in the browser to take its cookies",
    "evidence": "a failing site's page opened in the browser for its evidence screenshot",
    "subresource": "a script, style or data file a rendered page loaded from the network",
    "account": "a new-media account's profile, posts, search or history page",
    "other": "a request with no known role (none expected)",
}
# a spider's role name -> its purpose, where the two differ
ROLE_PURPOSE = {"list": "list_page", "check": "link_check", "letter": "letters",
                "weibo_profile": "account", "weibo_posts": "account", "wechat_search": "account",
                "wechat_history": "account"}
# what reading a column costs (issue 16's requests_per_column); letters, guides and link checks are reported beside it
COLUMN_PURPOSES = ("column", "list_page", "endpoint", "article", "render")
STAT_PREFIX = "govcrawl/requests/"


def purpose_of(meta: dict) -> str:
    """The purpose a request is counted under, from its meta."""
    visit = meta.get(VISIT)
    role = visit.role if isinstance(visit, Visit) else None
    if role in ("challenge", "evidence"):   # browser pages, but not a page read for its content
        return role
    if meta.get("playwright"):
        return "render"
    purpose = ROLE_PURPOSE.get(role, role)
    return purpose if purpose in PURPOSES else "other"


def requests_by_purpose(stats: dict) -> dict[str, int]:
    """The per-purpose counts out of a crawl's stats (purpose -> requests), in PURPOSES order."""
    found = {key[len(STAT_PREFIX):]: value for key, value in stats.items() if key.startswith(STAT_PREFIX)}
    return {p: found[p] for p in PURPOSES if found.get(p)}


def column_requests(by_purpose: dict[str, int]) -> int:
    return sum(by_purpose.get(p, 0) for p in COLUMN_PURPOSES)


def added(counts) -> dict[str, int]:
    """Several processes' (or sessions') requests per purpose, added up."""
    total: dict[str, int] = {}
    for one in counts:
        for key, value in one.items():
            total[key] = total.get(key, 0) + value
    return total
