"""What the generator intends a site to be: the facts its pages show. Truth is derived from these, never from a crawl."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Column:
    slug: str
    name: str
    category: str                 # news | notice | periodic | reference (docs/indicators.md)
    group: str | None = None      # nav group (sub-menu) it sits in; None: a top navigation item
    shape: str = "list"           # list | single (one dated article at the column URL) | blank | undated (dates on articles)
    dates: list[date] = field(default_factory=list)   # entry dates, newest first (may include dates after T)
    blank_marker: str | None = None                    # 暂无信息 … on a blank column; None: an empty list
    home_block: bool = False      # shown as a homepage block with a 更多 link
    url: str = ""                 # list page 1, set by the family's layout

    @property
    def first_level(self) -> bool:
        return self.group is None or self.home_block


@dataclass
class Letter:
    asked: date
    answered: date | None


@dataclass
class Channel:
    name: str
    kind: str                     # consultation | petition | report
    offsite: bool = False
    state: str = "working"        # working | dead (404) | drop (no answer) | maintenance (维护中 page)
    letters: list[Letter] = field(default_factory=list)
    url: str = ""


@dataclass
class Guide:
    subject: str
    missing: list[str] = field(default_factory=list)     # element keys (pools.GUIDE_ELEMENTS) left out
    empty: list[str] = field(default_factory=list)       # of those, shown as a label with an empty value
    idiom: str = "table"          # table | dl | strong | json
    url: str = ""


@dataclass
class Site:
    code: str
    name: str
    unit: str
    host: str                     # the host the site's pages live on (after any redirect)
    family: str                   # CMS family (families/)
    kind: str = "department"      # portal | department
    services: bool = False        # registry: must offer services
    registered_url: str = ""
    redirect: tuple[str, str] | None = None      # (http | meta | js | moved, target URL) from the registered URL
    unreachable: str | None = None               # 503 | drop: the homepage never answers 2xx
    homepage: str = "blocks"      # blocks | script (blocks filled by script) | nav_only
    columns: list[Column] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    service: str = "none"         # own (a guide list of its own) | zwfw (a link to the 政务服务网) | none
    service_name: str = "办事指南"
    service_group: str | None = None
    service_url: str = ""         # the guide list (service == own), set by the layout
    guides: list[Guide] = field(default_factory=list)
    perturbations: list[str] = field(default_factory=list)
    scenario: str = "clean"       # <code>:fire | <code>:miss | clean, what the site was built to show
    home_path: str = "/"          # path of the homepage after every redirect

    @property
    def base(self) -> str:
        return f"http://{self.host}"
