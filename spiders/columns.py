"""The provincial spider's columns: each column's list page 1 read step by step (refused, broken, elsewhere, a WAF or
error page, a list left for a script, or read), its further list pages only when page 1 does not settle it
(govcrawl/listpaging.py), its JSON data URL, and article pages for the date an undated list does not show."""
from __future__ import annotations

from govcrawl.extract.article import publish_date
from govcrawl.extract.blocks import error_page, waf_block
from govcrawl.extract.emptystate import UNREAD, list_page_state
from govcrawl.extract.navigation import find_columns
from govcrawl.extract.singlepage import with_single_page
from govcrawl.listpaging import further_pages_reason
from govcrawl.scope import is_attachment, normalize_url
from govcrawl.shapes import json_endpoint, next_pages, read_listing
from govcrawl.visit import ArticleSample, Column, visit_of
from spiders.tracking import tracked

# refused to us after retries and back-off: the data is missing, the site incomplete
BLOCKED_STATUSES = {403, 429}


class ColumnsMixin:
    def follow_columns(self, state, page, parent):
        for column in find_columns(page, state.scope, is_homepage=parent is None):
            if len(state.columns) >= self.max_columns:
                self.crawler.stats.inc_value("govcrawl/column_cap")
                break
            key = normalize_url(column.url)
            if key in state.columns or key == normalize_url(state.final_url or ""):
                continue
            kind = self.is_channel(column.name, state)
            if kind is not None:  # a letter box is an interaction channel, not a column
                yield from self.follow_channel(state, column.name, column.url, kind, offsite=False)
                continue
            info = Column(key, column.name, column.first_level if parent is None else False, column.parent or parent,
                          column.source)
            if is_attachment(column.url):
                continue
            state.columns[key] = info
            request = self.column_request(state, key, info)
            if request is not None:
                yield request

    def column_request(self, state, url, info):
        """List page 1 of a column: straight in the browser when the site is known to fill its lists by script
        (spiders/rendering.py), else fetched."""
        reason = self.render_first(state)
        if reason:
            return self.browser_request(state, url, self.parse_column, "column", reason, dedupe=True, column=info,
                                        column_url=url)
        return self.request(state, url, self.parse_column, "column", column=info, column_url=url)

    @tracked
    def parse_column(self, response):
        yield from self.read_column(response)

    def read_column(self, response):
        """List page 1 of a column, step by step; each step that settles the column ends the reading."""
        state = self.states[visit_of(response).site_code]
        item = self.column_row(state, response)
        for step in (self.column_refused, self.column_broken, self.column_elsewhere):
            if (yield from step(state, response, item)):
                return
        page = self.page(response)
        if (yield from self.column_interstitial(state, page, item)):
            return
        listing, failed = self.read_listing(page)
        if not failed:
            listing = with_single_page(listing, page, self.dates)
        if (yield from self.column_by_script(state, response, page, listing, failed)):
            return
        yield from self.column_listed(state, response, page, listing, failed, item)

    def column_row(self, state, response) -> dict:
        visit = visit_of(response)
        info = visit.column
        return self.column_item(state, visit.column_url, info.name, role="column",
                                first_level=info.first_level, parent=info.parent, source=info.source,
                                http_status=response.status, pages=1, truncated="download_stopped" in response.flags)

    def column_refused(self, state, response, item):
        """A WAF challenge not cleared, or 403/429 after retries and back-off: the data is missing, the site
        incomplete."""
        challenge = visit_of(response).challenge
        if challenge:
            label = challenge["label"]
        elif response.status in BLOCKED_STATUSES:
            label = f"HTTP {response.status}"
        else:
            return False
        state.blocked.append(f"{item['name']}（{label}）")
        row = {**item, "pages": 0, "blocked": label}
        if not challenge:
            row.update(read_state=UNREAD, read_reason=f"被拦截（{label}）")
        yield row
        return True

    def column_broken(self, state, response, item):
        """An HTTP error: the column is broken, and so is the link to it."""
        if response.status < 400:
            return False
        yield {**item, "pages": 0, "read_state": "broken", "read_reason": f"HTTP {response.status}"}
        yield self.link_item(state, item["url"], "broken", text=item["name"], status=response.status)
        return True

    def column_elsewhere(self, state, response, item):
        """The column hands over to another system (it redirected out of the site's scope)."""
        if state.scope.contains(response.url):
            return False
        yield {**item, "links_elsewhere": True, "read_state": "elsewhere", "read_reason": f"转到{response.url}"}
        return True

    def column_interstitial(self, state, page, item):
        """A WAF page (the data is missing) or an error page served as 200 (the column is broken)."""
        blocked = waf_block(page)
        if blocked:
            state.blocked.append(f"{item['name']}（{blocked}）")
            yield {**item, "pages": 0, "blocked": blocked, "read_state": UNREAD, "read_reason": f"被拦截（{blocked}）"}
            return True
        error = error_page(page)
        if error:
            yield {**item, "pages": 0, "read_state": "broken", "read_reason": f"错误页（{error}）"}
            yield self.link_item(state, item["url"], "broken", text=item["name"], status=item["http_status"])
            return True
        return False

    def column_by_script(self, state, response, page, listing, failed):
        """A list left for a script: its data URL fetched when the page names it, else the page rendered."""
        visit = visit_of(response)
        reason = self.render_needed(page, listing, "column", state, visit) if not failed else None
        if not reason:
            return False
        column = {"column": visit.column, "column_url": visit.column_url}
        endpoint = None if reason == "registry" else json_endpoint(page)
        if endpoint is not None:
            # the script's data URL is in the page: fetch it without a browser; render only if it gives nothing
            self.crawler.stats.inc_value("govcrawl/json_endpoint")
            yield self.request(state, endpoint, self.parse_endpoint, "endpoint", dedupe=False,
                               static=self.static_copy(response), render_reason=reason, **column)
        else:
            yield self.render_request(state, response, self.parse_column, "column", reason, **column)
        return True

    def column_listed(self, state, response, page, listing, failed, item):
        """The column as read: its row and entries, its sub-columns and guides, further list pages only when page 1
        does not settle it, and article pages when no entry is dated."""
        column_url = item["url"]
        children_before = len(state.columns)
        sub_requests = list(self.follow_columns(state, page, parent=item["name"]))
        item["children"] = len(state.columns) - children_before
        item.update(self.list_state(page, listing, visit_of(response), item["truncated"]) if not failed else
                    {"read_state": UNREAD, "read_reason": failed})
        yield item
        yield from self.safety_items(state, page)
        yield from self.entry_items(state, column_url, listing.entries)
        yield from sub_requests
        yield from self.follow_guides(state, page, item["name"])
        state.list_pages[column_url] = 1
        yield from self.further_pages(state, page, column_url, listing.entries)
        yield from self.sample_articles(state, column_url, listing.entries)

    def further_pages(self, state, page, column_url, entries):
        """The list pages after those read, only while the pages read do not settle the column
        (govcrawl/listpaging.py): all of them (up to GOVCRAWL_MAX_PAGES_PER_COLUMN) for a list not sorted newest
        first, else the next one, and then the question again."""
        dates = state.list_dates.setdefault(column_url, [])
        dates.extend(e.date for e in entries)
        urls = next_pages(page, self.max_pages)
        if not urls:
            return
        reason = further_pages_reason(dates, self.as_of, state.list_pages[column_url], self.settling_entries)
        self.crawler.stats.inc_value(f"govcrawl/list_pages/{reason or 'settled'}")
        if reason is None:
            return
        for url in urls if reason == "unsorted" else urls[:1]:
            if state.list_pages[column_url] >= self.max_pages:
                self.crawler.stats.inc_value("govcrawl/page_cap")
                return
            request = self.request(state, url, self.parse_list_page, "list", column_url=column_url)
            if request is not None:
                state.list_pages[column_url] += 1
                yield request

    @tracked
    def parse_list_page(self, response):
        """A list page after the first: its entries, then the question whether the column is settled again."""
        if response.status >= 400:
            return
        visit = visit_of(response)
        state, page, column_url = self.states[visit.site_code], self.page(response), visit.column_url
        listing = read_listing(page, self.dates)
        yield from self.safety_items(state, page)
        yield from self.entry_items(state, column_url, listing.entries)
        if listing.entries:
            yield from self.further_pages(state, page, column_url, listing.entries)

    @tracked
    def parse_endpoint(self, response):
        """A column's list data from the URL its script names: the column page is then read as fetched, with these
        entries added (or rendered after all, when the endpoint gives none)."""
        visit = visit_of(response)
        state, column_url = self.states[visit.site_code], visit.column_url
        entries = read_listing(self.page(response), self.dates).entries if response.status < 400 else []
        static = self.static_response(visit.static, response.request)
        if not entries:
            self.crawler.stats.inc_value("govcrawl/json_endpoint_empty")
            yield self.render_request(state, static, self.parse_column, "column", visit.render_reason,
                                      column=visit.column, column_url=column_url)
            return
        visit.render_failed = True  # read the page as fetched, no second decision
        yield from self.read_column(static)
        yield from self.entry_items(state, column_url, entries)
        yield from self.title_safety_items(state, column_url, entries)
        yield from self.sample_articles(state, column_url, entries)

    def sample_articles(self, state, column_url, entries):
        """A list without dates: read article pages, newest first, until one gives a date."""
        if not entries or any(e.date for e in entries):
            return
        candidates = [e.url for e in entries if not is_attachment(e.url)][: self.article_sample]
        yield from self.next_article(state, column_url, candidates, 0, read=0, why=None)

    def next_article(self, state, column_url, candidates, index, read, why):
        """The next sampled article. When none is left and not one of them could be read, the column's entries are
        undated for want of reading, not shown undated: read_state undated (it is then never counted stale)."""
        for at in range(index, len(candidates)):
            request = self.request(state, candidates[at], self.parse_article, "article", column_url=column_url,
                                   step=ArticleSample(tuple(candidates), at, read))
            if request is not None:
                yield request
                return
            why = why or "未请求：已作为其他页面抓取或请求预算用尽"
        if not read:
            yield {"type": "column", "site_code": state.site.site_code, "url": column_url, "read_state": "undated",
                   "read_reason": f"条目均无日期，抽样文章页未能读取（{why or '无可读取的文章页'}）"}

    @tracked
    def parse_article(self, response):
        visit = visit_of(response)
        state = self.states[visit.site_code]
        found = None
        if response.status < 400:
            page = self.page(response)
            found = publish_date(page, self.dates)
            yield from self.safety_items(state, page)
        if found is not None:
            yield {"type": "entry", "site_code": state.site.site_code, "column_url": visit.column_url,
                   "url": response.request.url, "date": found.date, "raw_date": found.raw,
                   "date_source": f"article:{found.source}"}
            return
        sample, failed = visit.part(ArticleSample), response.status >= 400
        yield from self.next_article(state, visit.column_url, sample.candidates, sample.index + 1,
                                     sample.read + (not failed), f"HTTP {response.status}" if failed else None)

    def list_state(self, page, listing, visit, truncated: bool) -> dict:
        """How list page 1 of a column was read (govcrawl.extract.emptystate): entries, its empty state, or unread."""
        if truncated and not listing.entries:
            return {"read_state": UNREAD, "read_reason": "页面超过大小上限被截断", "blank_marker": None}
        found = list_page_state(page, listing, self.was_rendered(visit))
        return {"read_state": found.state, "read_reason": found.reason if found.state != "listed" else None,
                "blank_marker": found.marker}
