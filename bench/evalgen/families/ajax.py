"""Lists delivered as data (TrueCMS / JCMS JSON style, ajax_list_variants.txt): the column page has an empty list
container and a script that GETs a JSON file and writes the rows; key names differ per site."""
from __future__ import annotations

import json
from datetime import date

from ..model import Column
from .base import Entry, Family, Output, esc, iso

KEY_STYLES = (("title", "url", "pubDate"), ("docTitle", "docPubUrl", "docRelTime"), ("aT", "aU", "aPd"))


class Ajax(Family):
    name = "ajax"

    def __init__(self, site):
        super().__init__(site)
        self.keys = self.rng.choice(KEY_STYLES)

    def article_url(self, column: Column, i: int, d: date) -> str:
        return f"{self.site.base}/{column.slug}/content_{self.doc_id(column, i)}.html"

    def data_url(self, column: Column) -> str:
        return f"{self.site.base}/{column.slug}/data/list_{column.slug[1:]}.json"

    def script(self, column: Column) -> str:
        t, u, d = self.keys
        path = self.data_url(column).split("/", 3)[3]
        marker = column.blank_marker or "暂无信息"
        return ("<script>(function(){var x=new XMLHttpRequest();x.open('GET', '/" + path + "');"
                "x.onload=function(){var r=JSON.parse(x.responseText),ul=document.getElementById('infoList');"
                f"if(!r.data.length){{ul.innerHTML='<li>{marker}</li>';return;}}"
                "r.data.forEach(function(e){var li=document.createElement('li');"
                f"li.innerHTML='<a target=\"_blank\" href=\"'+e.{u}+'\">'+e.{t}+'</a>'+(e.{d}?'<span>'+e.{d}+'</span>':'');"
                "ul.appendChild(li);});};x.send();})();</script>")

    def render_column(self, out: Output, column: Column) -> None:
        if column.shape == "single":
            super().render_column(out, column)
            return
        t, u, d = self.keys
        entries = self.entries.get(column.url, [])
        items = []
        for e in entries:
            item = {t: e.title, u: e.url}
            if column.shape != "undated":
                item[d] = f"{iso(e.date)} 10:30:00" if self.keys[0] == "docTitle" else iso(e.date)
            items.append(item)
        out.page(self.data_url(column), json.dumps({"total": len(items), "data": items}, ensure_ascii=False))
        body = (f'<div class="main"><div class="list-title"><h2>{esc(column.name)}</h2></div>'
                f'<ul class="list" id="infoList"></ul></div>\n{self.script(column)}\n')
        out.page(column.url, self.page(column.name, self.crumb(column.name) + body))
        for entry in entries:
            out.page(entry.url, self.article(column, entry))
