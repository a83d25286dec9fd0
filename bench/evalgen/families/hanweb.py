"""Hanweb 大汉 jcms: /col/colN/index.html with the list inline as <script type="text/xml"><datastore> CDATA records and a
jpage({...}) call; /art/Y/M/D/art_N_id.html articles (hanweb_jpage_list_jiangsu.html, hanweb_jpage_datastore_dingxi.xml)."""
from __future__ import annotations

from datetime import date

from ..model import Column
from .base import Entry, Family, esc, iso


class Hanweb(Family):
    name = "hanweb"
    per_page = 45

    def col_id(self, column: Column) -> int:
        return 4000 + 17 * int(column.slug[1:])

    def column_url(self, column: Column, index: int) -> str:
        return f"{self.site.base}/col/col{self.col_id(column)}/index.html"

    def article_url(self, column: Column, i: int, d: date) -> str:
        return f"{self.site.base}/art/{d.year}/{d.month}/{d.day}/art_{self.col_id(column)}_{self.doc_id(column, i)}.html"

    def row(self, entry: Entry, dated: bool) -> str:
        date_html = f"<b>{iso(entry.date)}</b>" if dated else ""
        return (f'<li class="clearfix"><a target="_blank" href="{esc(entry.url)}" title="{esc(entry.title)}">'
                f"{esc(entry.title[:18])}{'...' if len(entry.title) > 18 else ''}</a> {date_html}</li>")

    def datastore(self, column: Column, records: list[str]) -> str:
        unit = 9000 + int(column.slug[1:])
        recs = "".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in records)
        return (f'<div id="{unit}"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
                f"<recordset>{recs}</recordset></datastore></script></div>"
                f"<script>$('#{unit}').jpage({{totalRecord:{len(records)}, perPage:{self.per_page}, groupSize:3, "
                f"proxyUrl:'/module/web/jpage/dataproxy.jsp', ajaxParam:{{col:1,appid:1,webid:{self.site.code[-3:]},"
                f"path:'/',columnid:{self.col_id(column)},sourceContentType:1,unitid:'{unit}',permissiontype:0}}}});</script>")

    def list_main(self, column: Column, records: list[str], pager: str) -> str:
        return (f'<div class="main"><div class="bt-title"><h2>{esc(column.name)}</h2></div>'
                f"{self.datastore(column, records)}</div>\n")

    def blank_list(self, column: Column) -> str:
        if column.blank_marker:
            return f'<div class="default_pgContainer"><p>{esc(column.blank_marker)}</p></div>'
        return self.datastore(column, [])
