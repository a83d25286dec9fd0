"""The typed context of one govcrawl request: which site it belongs to, why it is made (its role), the column it
reads, and what its role needs. It travels under the one meta key `VISIT` (Scrapy's own keys, such as proxy,
handle_httpstatus_list, dont_retry, playwright*, download_latency and redirect_urls, stay where Scrapy puts them).

Every part is a plain dataclass of module-level classes, so the distributed scheduler's serializer (pickle through
scrapy-redis) carries it between workers unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

VISIT = "govcrawl"   # the request.meta key of a Visit

Role = Literal["homepage", "column", "list", "endpoint", "article", "frame", "check", "letters", "letter", "guide",
               "cloaking", "challenge", "subresource", "evidence",
               "weibo_profile", "weibo_posts", "wechat_search", "wechat_history"]
ROLES = frozenset(get_args(Role))


@dataclass
class Column:
    """The column a request reads, as the navigation found it."""
    url: str
    name: str
    first_level: bool
    parent: str | None
    source: str


@dataclass
class HomepageHop:
    """One attempt at one hop of the homepage's redirect chain."""
    attempt: int
    hops: int
    hop_url: str


@dataclass
class ArticleSample:
    """Article pages read for a date, newest first: the candidates, which one this is, how many were read."""
    candidates: tuple[str, ...]
    index: int
    read: int


@dataclass
class LetterPage:
    """A consultation channel's letters: a list page (page_no from 1) or, with page_no None, one letter."""
    channel: str
    kind: str | None = None
    page_no: int | None = None
    channel_url: str | None = None
    offsite: bool = False


@dataclass
class GuideStep:
    """A page on the way to a service guide: the entry it came from and how deep below it."""
    column_name: str | None
    depth: int


@dataclass
class LinkCheck:
    """A homepage link fetched once to see that it works."""
    from_url: str


@dataclass
class SearchVisit:
    """The homepage fetched again as a search engine's visitor (cloaking): which visit, the page as normally seen."""
    visit: str
    normal: dict
    hops: int


Step = HomepageHop | ArticleSample | LetterPage | GuideStep | LinkCheck | SearchVisit


@dataclass
class Visit:
    site_code: str | None
    role: Role
    request_id: int | None = None          # counted until handled (spiders/tracking.py); None: not counted
    column: Column | None = None           # the column being read (its page, or its JSON endpoint)
    column_url: str | None = None          # the column a list page or sampled article belongs to
    step: Step | None = None               # what this role carries from one request to the next
    static: dict | None = field(default=None, repr=False)   # the plain fetch, kept while a browser is tried
    render_reason: str | None = None       # why the browser is (or would be) used
    rendered: bool = False                 # fetched through the browser
    render_failed: bool = False            # the browser failed: the page is judged as fetched
    challenge: dict | None = None          # a WAF challenge met and not cleared: {kind, label} (spiders/challenges.py)

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"Visit for site {self.site_code}: unknown role {self.role!r} (roles: {sorted(ROLES)})")

    def part(self, kind: type):
        """The role-specific step, checked to be a `kind`."""
        if not isinstance(self.step, kind):
            raise TypeError(f"{self.role} request of site {self.site_code}: expected step {kind.__name__}, "
                            f"has {type(self.step).__name__}")
        return self.step


def visit_of(request_or_response) -> Visit:
    """The Visit of a request (or of a response's request); a clear error when a request without one reaches here."""
    visit = request_or_response.meta.get(VISIT)
    if not isinstance(visit, Visit):
        raise KeyError(f"{request_or_response.url}: no govcrawl Visit in request.meta[{VISIT!r}]")
    return visit


def visit_or_none(request) -> Visit | None:
    """The Visit of a request that may not be govcrawl's own (robots.txt, a screenshot, another component's)."""
    meta = getattr(request, "meta", None)
    visit = meta.get(VISIT) if meta is not None else None
    return visit if isinstance(visit, Visit) else None
