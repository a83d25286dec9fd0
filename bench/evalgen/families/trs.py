"""TRS WCM (拓尔思): static folders, index.html / index_1.html, createPageHTML pagers, ./YYYYMM/tYYYYMMDD_id.html
articles with PubDate metas (trs_list_page.html, trs_pager_variants.js)."""
from __future__ import annotations

from .base import Entry, Family, esc, iso


class Trs(Family):
    name = "trs"
    per_page = 20

    def row(self, entry: Entry, dated: bool) -> str:
        href = "./" + entry.url.rsplit("/", 2)[-2] + "/" + entry.url.rsplit("/", 1)[-1]   # ./YYYYMM/t…html
        date_html = f'<span>{iso(entry.date)}</span>' if dated else ""
        return f'<li>{date_html}<a href="{esc(href)}" target="_blank" title="{esc(entry.title)}">{esc(entry.title)}</a></li>'

    def list_container(self, rows: str) -> str:
        return f'<div class="zx-xxxqy-nr"><ul class="list_con">{rows}</ul></div>'

    def pager(self, column, n, pages):
        return (f'<div class="page"><script>var currentPage = {n - 1};//所在页从0开始\nvar countPage = {pages}//共多少页\n'
                f'createPageHTML({pages}, {n - 1}, "index", "html");</script></div>')
