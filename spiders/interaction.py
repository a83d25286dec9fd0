"""The provincial spider's interaction (互动交流) and service (办事指南) crawling.

Consultation channels are visited to see that they work, and their letters are read, list and detail pages;
service guides are sampled from the site's guide lists.
"""
from __future__ import annotations

import json
from dataclasses import replace

from govcrawl.extract.guides import extract_guide, extract_guide_json, find_guide_links, mentions_guide_labels
from govcrawl.extract.letters import channel_kind, channel_status, extract_letter_detail, extract_letter_list, find_channels
from govcrawl.render import script_filled
from govcrawl.rules.base import months_before
from govcrawl.scope import is_attachment, normalize_url
from govcrawl.shapes import next_pages
from govcrawl.visit import GuideStep, LetterPage, visit_of
from govcrawl.vocabulary import Vocabulary
from spiders.tracking import tracked

GUIDE_DEPTH = 3  # service entry -> department or theme list -> item list -> guide
GUIDE_REQUESTS = 4  # requests allowed per sampled guide (lists on the way, pages that turn out to be no guide)


class InteractionMixin:
    def follow_channels(self, state, page):
        """Record every interaction channel linked from the page; visit the consultation ones of the site itself."""
        for channel in find_channels(page, state.scope, self.vocabulary(state)):
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
            request = self.request(state, url, self.parse_letters, "letters",
                                   step=LetterPage(name, kind, page_no=1, channel_url=url, offsite=offsite))
            if request is not None:
                yield request
            else:
                yield self.channel_check(state, url, None, "未核验（未访问：地址不可抓取或请求预算用尽）")

    def channel_check(self, state, url, working, note) -> dict:
        """The result of visiting a channel: True works, False seen not to work, None could not be checked."""
        return {"type": "channel", "site_code": state.site.site_code, "url": url, "working": working, "note": note}

    def is_channel(self, name: str, state=None) -> str | None:
        return channel_kind(name, self.vocabulary(state)) if state is not None else channel_kind(name)

    @tracked
    def parse_letters(self, response):
        visit = visit_of(response)
        state, letters = self.states[visit.site_code], visit.part(LetterPage)
        page = self.page(response) if response.status < 400 else None
        rows = extract_letter_list(page, self.dates) if page is not None else []
        if letters.page_no == 1:
            working, note = channel_status(page, rows, response.status)
            if working is False and page is not None and not rows and script_filled(page, True):
                working, note = None, "未核验（信件列表由脚本填充，未能读取）"  # an unread page proves nothing
            yield self.channel_check(state, letters.channel_url, working, note)
            if page is not None and not rows and not letters.offsite:  # a 互动交流 hub lists the channels
                yield from self.follow_channels(state, page)
        if page is None or letters.offsite:
            return
        window_start = months_before(self.as_of, self.letters_window_months)
        details = 0
        for row in rows:
            yield {"type": "letter", "site_code": state.site.site_code, "channel": letters.channel,
                   "kind": letters.kind, "title": row.title, "url": row.url, "asked_on": row.asked_on,
                   "answered_on": row.answered_on, "status": row.status, "status_text": row.status_text,
                   "list_url": response.url}
            in_window = row.asked_on is None or row.asked_on >= window_start
            if in_window and (row.status is None or (row.status == "answered" and row.answered_on is None)
                              or row.asked_on is None) and details < self.max_letter_details:
                request = self.request(state, row.url, self.parse_letter, "letter", step=LetterPage(letters.channel))
                if request is not None:
                    details += 1
                    yield request
        older = rows and all(r.asked_on is not None and r.asked_on < window_start for r in rows)
        if rows and not older and letters.page_no < self.max_letter_pages:
            for url in next_pages(page, self.max_letter_pages - letters.page_no + 1)[:1]:
                request = self.request(state, url, self.parse_letters, "letters",
                                       step=replace(letters, page_no=letters.page_no + 1, offsite=False))
                if request is not None:
                    yield request

    @tracked
    def parse_letter(self, response):
        """A letter's detail page fills in what its list row did not show; it never blanks what the list showed."""
        if response.status >= 400:
            return
        state = self.states[visit_of(response).site_code]
        detail = extract_letter_detail(self.page(response), self.dates)
        status = detail.status or ("answered" if detail.reply_text_present else None)
        known = {"asked_on": detail.asked_on, "answered_on": detail.answered_on, "status": status,
                 "status_text": detail.status_text}
        item = {"type": "letter", "site_code": state.site.site_code, "url": response.request.url}
        item.update({k: v for k, v in known.items() if v is not None})
        if len(item) > 3:
            yield item

    # -- service guides ----------------------------------------------------------------------------------
    def vocabulary(self, state) -> Vocabulary:
        return Vocabulary.load(state.site.vocabulary)

    def follow_guides(self, state, page, column_name, depth=0):
        """Guides are sampled from any page that leads to them: a column or homepage link named like a service
        entry (vocabulary [service_columns]) gives its item links; any other page only its links that look like
        guide items. A page that is itself a guide (by its labels) is read as one."""
        if depth == 0 and page.text and mentions_guide_labels(page):
            guide = extract_guide(page)
            if guide.is_guide:  # a one-page service column: the column page is the guide
                yield from self.guide_item(state, page, guide)
                return
        named = bool(self.vocabulary(state).pattern("service_columns.words").search(column_name or ""))
        for url in find_guide_links(page, state.scope, items_only=not named):
            if state.guides_read >= self.guide_sample or state.guides_requested >= GUIDE_REQUESTS * self.guide_sample:
                return
            request = self.guide_request(state, url, GuideStep(column_name, depth + 1))
            if request is not None:
                state.guides_requested += 1
                yield request

    def guide_request(self, state, url, step: GuideStep):
        """A guide page is asked for once, and never takes a URL from a column or channel: those are requested
        without regard to guides, so a page that is both is read as both."""
        key = normalize_url(url)
        if not state.scope.contains(url) or key in state.seen or key in state.guide_urls:
            return None
        state.guide_urls.add(key)
        return self.request(state, url, self.parse_guide, "guide", dedupe=False, step=step)

    def follow_service_links(self, state, page):
        """The homepage's links named like a service entry (办事服务, 政务服务…, also image links by title/alt)."""
        words = self.vocabulary(state).pattern("service_columns.words")
        for a in page.selector.xpath("//a[@href]"):
            name = " ".join(a.xpath(".//text() | @title | .//img/@alt").getall()).strip()
            url = page.absolute(a.attrib.get("href"))
            if url and len(name) <= 12 and words.search(name) and not is_attachment(url):
                request = self.guide_request(state, url, GuideStep(name, 0))
                if request is not None:
                    yield request

    @tracked
    def parse_guide(self, response):
        """A guide page is recorded; a page that is no guide (a department's item list, a service hub) is followed
        one level further for its guide links."""
        if response.status >= 400:
            return
        visit = visit_of(response)
        state, step = self.states[visit.site_code], visit.part(GuideStep)
        page = self.page(response)
        try:
            guide = extract_guide_json(json.loads(page.text)) if page.text.lstrip()[:1] in "{[" else None
        except ValueError:
            guide = None
        guide = guide or extract_guide(page)
        if guide.is_guide or guide.labels_only:
            yield from self.guide_item(state, page, guide)
        elif step.depth < GUIDE_DEPTH:
            yield from self.follow_guides(state, page, step.column_name, step.depth)

    def guide_item(self, state, page, guide):
        if state.guides_read >= self.guide_sample:
            return
        state.guides_read += 1
        yield {"type": "guide", "site_code": state.site.site_code, "url": page.url, "title": guide.title,
               **{category: guide.values.get(category) for category in ("materials", "location", "agency", "fee", "hours")},
               # labels without values count as not read only where a script would fill them in
               "missing": guide.missing, "labels_only": guide.labels_only and bool(script_filled(page, True))}
