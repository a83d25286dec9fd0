"""The provincial spider's interaction (互动交流) and service (办事指南) crawling.

Consultation channels are visited to see that they work, and their letters are read, list and detail pages;
service guides are sampled from the site's guide lists.
"""
from __future__ import annotations

import json
import re

from govcrawl.extract.guides import extract_guide, extract_guide_json, find_guide_links
from govcrawl.extract.letters import channel_kind, channel_status, extract_letter_detail, extract_letter_list, find_channels
from govcrawl.extract.pagers import next_pages
from govcrawl.render import script_filled
from govcrawl.rules.base import months_before
from spiders.tracking import tracked

GUIDE_LIST_NAME = re.compile(r"办事指南|服务指南|办事服务|事项清单|办事事项|网上办事")


class InteractionMixin:
    def follow_channels(self, state, page):
        """Record every interaction channel linked from the page; visit the consultation ones of the site itself."""
        for channel in find_channels(page, state.scope):
            yield from self.follow_channel(state, channel.name, channel.url, channel.kind, channel.offsite)

    def follow_channel(self, state, name, url, kind, offsite):
        """A consultation channel counts only once its page answered with content, so it is visited wherever it
        lives (a 12345 platform on another host too: there only its page is checked, its letters are not the site's)."""
        if url in state.channels:
            return
        state.channels.add(url)
        yield {"type": "channel", "site_code": state.site.site_code, "name": name, "url": url, "kind": kind,
               "offsite": offsite, "working": None, "note": None}
        if kind == "consultation":
            request = self.request(state, url, self.parse_letters, "letters", channel=name, kind=kind, page_no=1,
                                   channel_url=url, offsite=offsite)
            if request is not None:
                yield request
            else:
                yield self.channel_check(state, url, None, "未核验（未访问：地址不可抓取或请求预算用尽）")

    def channel_check(self, state, url, working, note) -> dict:
        """The result of visiting a channel: True works, False seen not to work, None could not be checked."""
        return {"type": "channel", "site_code": state.site.site_code, "url": url, "working": working, "note": note}

    def is_channel(self, name: str) -> str | None:
        return channel_kind(name)

    @tracked
    def parse_letters(self, response):
        state = self.states[response.meta["site_code"]]
        meta = response.meta
        page = self.page(response) if response.status < 400 else None
        rows = extract_letter_list(page, self.dates) if page is not None else []
        if meta["page_no"] == 1:
            working, note = channel_status(page, rows, response.status)
            if working is False and page is not None and not rows and script_filled(page, True):
                working, note = None, "未核验（信件列表由脚本填充，未能读取）"  # an unread page proves nothing
            yield self.channel_check(state, meta["channel_url"], working, note)
            if page is not None and not rows and not meta.get("offsite"):  # a 互动交流 hub lists the channels
                yield from self.follow_channels(state, page)
        if page is None or meta.get("offsite"):
            return
        window_start = months_before(self.as_of, self.letters_window_months)
        details = 0
        for row in rows:
            yield {"type": "letter", "site_code": state.site.site_code, "channel": meta["channel"],
                   "kind": meta["kind"], "title": row.title, "url": row.url, "asked_on": row.asked_on,
                   "answered_on": row.answered_on, "status": row.status, "status_text": row.status_text,
                   "list_url": response.url}
            in_window = row.asked_on is None or row.asked_on >= window_start
            if in_window and (row.status is None or (row.status == "answered" and row.answered_on is None)
                              or row.asked_on is None) and details < self.max_letter_details:
                request = self.request(state, row.url, self.parse_letter, "letter", channel=meta["channel"])
                if request is not None:
                    details += 1
                    yield request
        older = rows and all(r.asked_on is not None and r.asked_on < window_start for r in rows)
        if rows and not older and meta["page_no"] < self.max_letter_pages:
            for url in next_pages(page, self.max_letter_pages - meta["page_no"] + 1)[:1]:
                request = self.request(state, url, self.parse_letters, "letters", channel=meta["channel"],
                                       kind=meta["kind"], page_no=meta["page_no"] + 1, channel_url=meta["channel_url"])
                if request is not None:
                    yield request

    @tracked
    def parse_letter(self, response):
        """A letter's detail page fills in what its list row did not show; it never blanks what the list showed."""
        if response.status >= 400:
            return
        state = self.states[response.meta["site_code"]]
        detail = extract_letter_detail(self.page(response), self.dates)
        status = detail.status or ("answered" if detail.reply_text_present else None)
        known = {"asked_on": detail.asked_on, "answered_on": detail.answered_on, "status": status,
                 "status_text": detail.status_text}
        item = {"type": "letter", "site_code": state.site.site_code, "url": response.request.url}
        item.update({k: v for k, v in known.items() if v is not None})
        if len(item) > 3:
            yield item

    # -- service guides ----------------------------------------------------------------------------------
    def follow_guides(self, state, page, column_name):
        if not GUIDE_LIST_NAME.search(column_name or ""):
            return
        for url in find_guide_links(page, state.scope):
            if state.guides_requested >= self.guide_sample:
                return
            if not state.scope.contains(url):
                continue
            request = self.request(state, url, self.parse_guide, "guide")
            if request is not None:
                state.guides_requested += 1
                yield request

    @tracked
    def parse_guide(self, response):
        if response.status >= 400:
            return
        state = self.states[response.meta["site_code"]]
        page = self.page(response)
        try:
            guide = extract_guide_json(json.loads(page.text)) if page.text.lstrip()[:1] in "{[" else None
        except ValueError:
            guide = None
        guide = guide or extract_guide(page)
        yield {"type": "guide", "site_code": state.site.site_code, "url": response.url, "title": guide.title,
               **{category: guide.values.get(category) for category in ("materials", "location", "agency", "fee", "hours")},
               # labels without values count as not read only where a script would fill them in
               "missing": guide.missing, "labels_only": guide.labels_only and bool(script_filled(page, True))}
