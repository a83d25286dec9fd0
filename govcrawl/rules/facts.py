"""The facts the rules read: plain dataclasses the pipeline fills from the SQLite tables of one run and one site.

Nothing here parses HTML; every field is a stored value. Dates are `datetime.date` (the pipeline converts ISO text).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

GUIDE_CATEGORIES = ("materials", "location", "agency", "fee", "hours")
GUIDE_CATEGORY_NAMES = {"materials": "办理材料", "location": "办理地点", "agency": "办理机构", "fee": "收费标准", "hours": "办理时间"}


@dataclass
class FetchAttempt:
    """One attempt at the registered homepage (table fetches). `status` is the final HTTP status after redirects."""
    url: str
    attempt: int = 1
    status: int | None = None
    error: str | None = None
    elapsed_ms: int | None = None
    challenge: str | None = None   # a WAF challenge answered instead of the homepage (the site did answer)


@dataclass
class ProbeDay:
    """Monitor mode: the homepage probes of one day (Asia/Shanghai)."""
    day: date
    probes: int
    failures: int


@dataclass
class ColumnFacts:
    """A row of table columns. `entries` counts list entries ever seen; `pages` = list pages read (0 = never read)."""
    url: str
    name: str
    category: str = "periodic"
    first_level: bool = False
    role: str = "column"             # column | homepage | letters | guides
    newest_date: date | None = None  # newest entry dated on or before T
    entries: int | None = 0
    dated_entries: int | None = 0
    blank_marker: str | None = None
    links_elsewhere: bool = False    # the column only leads on to another column or system
    pages: int | None = None         # None = not recorded (assume read)
    http_status: int | None = None   # status of list page 1; None = not recorded
    parent: str | None = None
    cadence_days: float | None = None
    periods_overdue: int | None = None
    read_state: str | None = None    # listed | empty | content | unread | broken | elsewhere; homepage: listed |
    read_reason: str | None = None   # navigation | unread. None = not recorded (derived, govcrawl.rules.columns)


@dataclass
class EntryFact:
    title: str
    url: str
    date: date | None
    column_url: str = ""


@dataclass
class ChannelFact:
    """An interaction channel the crawler found. kind: consultation | petition | report.
    `working`: True when its page answered with content, False when dead/empty/维护中, None when not checked."""
    name: str
    url: str
    kind: str = "consultation"
    offsite: bool = False
    working: bool | None = None
    note: str | None = None


@dataclass
class LetterFact:
    """A published letter (table letters). status: answered | pending | None (not shown anywhere)."""
    title: str
    url: str
    asked_on: date | None
    answered_on: date | None = None
    status: str | None = None
    channel: str = ""
    kind: str = "consultation"


@dataclass
class GuideFact:
    """A sampled service guide (table guides): the value text of each key category, None when absent."""
    url: str
    title: str = ""
    values: dict[str, str | None] = field(default_factory=dict)
    labels_only: bool = False  # the labels are on the page, the values filled by a script: not read

    @property
    def missing(self) -> list[str]:
        from govcrawl.extract.guides import is_present_value  # one definition of "present" for extractor and rule

        return [c for c in GUIDE_CATEGORIES if not is_present_value(c, self.values.get(c))]

    @classmethod
    def from_row(cls, row: dict) -> "GuideFact":
        return cls(url=row.get("url") or "", title=row.get("title") or "",
                   values={c: row.get(c) for c in GUIDE_CATEGORIES}, labels_only=bool(row.get("labels_only")))


@dataclass
class LinkFact:
    """A row of table links. kind: offsite | attachment | broken."""
    from_url: str
    url: str
    text: str = ""
    kind: str = "offsite"
    status: int | None = None


@dataclass
class FooterFacts:
    """What the homepage footer shows (govcrawl.extract.footer.Footer has the same fields)."""
    site_code_text: str | None = None
    jiucuo_sitecode: str | None = None
    meta_sitecode: str | None = None
    icp: str | None = None
    police_record: str | None = None
    conac: bool = False
    sponsor: str | None = None
    contact: str | None = None
    jiucuo_script: bool = False


@dataclass
class SafetyFact:
    """A row of table safety: one content-safety fact of one page (values already masked)."""
    code: str
    url: str
    key: str
    evidence: dict = field(default_factory=dict)


@dataclass
class SiteFacts:
    """Everything the rules know about one site in one run."""
    site_code: str
    name: str = ""
    unit: str = ""
    kind: str = ""                         # portal | department | ""
    services: bool | None = None           # registry: must offer services; None = not stated
    registered_url: str = ""
    final_url: str | None = None           # after HTTP, meta-refresh, JS and 已迁移 redirects
    reachable: bool | None = None          # the crawl got the homepage
    crawl_incomplete: bool = False         # the crawl was refused part of the site (blocked, stalled, pages failed)
    redirect_chain: list[dict] = field(default_factory=list)  # [{url, status, kind}]
    fetches: list[FetchAttempt] = field(default_factory=list)
    probes: list[ProbeDay] = field(default_factory=list)
    columns: list[ColumnFacts] = field(default_factory=list)
    homepage_entries: list[EntryFact] = field(default_factory=list)
    future_entries: list[EntryFact] = field(default_factory=list)  # entries dated after T (others are ignored)
    channels: list[ChannelFact] = field(default_factory=list)
    letters: list[LetterFact] = field(default_factory=list)
    guides: list[GuideFact] = field(default_factory=list)
    links: list[LinkFact] = field(default_factory=list)
    footer: FooterFacts | None = None
    portal_url: str | None = None          # the portal of the site's unit, for department domain checks
    tls_problem: str | None = None         # the https certificate does not verify (the site is still inspected)
    safety: list[SafetyFact] = field(default_factory=list)

    @property
    def homepage_url(self) -> str:
        return self.final_url or self.registered_url

    @property
    def homepage_unread(self) -> str | None:
        """Why the homepage was not read as a visitor sees it (script-filled blocks not rendered), else None."""
        home = next((c for c in self.columns if c.role == "homepage"), None)
        return (home.read_reason or "首页未能完整读取") if home is not None and home.read_state == "unread" else None
