"""Epoint 新点 portals: numbered category folders (/zwgk/002001/002001003/), list.html then 2.html …, articles under
a date folder with a GUID name, ewb- class names for nav, lists and pager."""
from __future__ import annotations

import uuid
from datetime import date

from ..model import Column
from .base import Entry, Family, esc, iso


class Epoint(Family):
    name = "epoint"
    per_page = 15

    def cat(self, column: Column) -> str:
        n = int(column.slug[1:])
        return f"002{1 + n % 4:03d}/002{1 + n % 4:03d}{n:03d}"

    def column_url(self, column: Column, index: int) -> str:
        return f"{self.site.base}/zwgk/{self.cat(column)}/list.html"

    def page_url(self, column: Column, n: int) -> str:
        return column.url.replace("list.html", f"{n}.html")

    def article_url(self, column: Column, i: int, d: date) -> str:
        guid = uuid.UUID(int=self.rng.getrandbits(128))
        return f"{self.site.base}/zwgk/{self.cat(column)}/{d:%Y%m%d}/{guid}.html"

    def row(self, entry: Entry, dated: bool) -> str:
        date_html = f'<span class="ewb-list-date r">{iso(entry.date)}</span>' if dated else ""
        return (f'<li class="ewb-list-node clearfix"><a href="{esc(entry.url)}" title="{esc(entry.title)}" target="_blank" '
                f'class="ewb-list-name l">{esc(entry.title)}</a>{date_html}</li>')

    def list_container(self, rows: str) -> str:
        return f'<div class="ewb-infolist"><ul class="ewb-list">{rows}</ul></div>'

    def pager(self, column, n, pages):
        if pages == 1:
            return ""
        links = "".join(f'<li class="{"active" if k == n else ""}"><a href="{esc(column.url if k == 1 else self.page_url(column, k))}">{k}</a></li>'
                        for k in range(1, pages + 1))
        nxt = f'<li><a href="{esc(self.page_url(column, n + 1))}">下一页</a></li>' if n < pages else ""
        return f'<div class="ewb-page"><ul class="ewb-page-items">{links}{nxt}</ul></div>'

    def nav_link(self, name: str, url: str) -> str:
        return f'<li class="ewb-nav-item"><a href="{esc(url)}" class="ewb-nav-link">{esc(name)}</a></li>'

    def nav_group(self, name: str, children: list[tuple[str, str]]) -> str:
        sub = "".join(f'<a href="{esc(u)}" class="ewb-nav-sublink">{esc(n)}</a>' for n, u in children)
        return (f'<li class="ewb-nav-item"><a href="javascript:;" class="ewb-nav-link">{esc(name)}</a>'
                f'<div class="ewb-nav-sub">{sub}</div></li>')

    def nav_wrap(self, items: str) -> str:
        return f'<div class="ewb-nav"><ul class="ewb-nav-items clearfix">{items}</ul></div>\n'
