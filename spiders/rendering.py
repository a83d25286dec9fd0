"""The provincial spider's browser path: a page that needs it goes through scrapy-playwright and is parsed by the
same callback (govcrawl/render.py decides; govcrawl/browser.py launches and routes Chromium).

Most pages are fetched first and rendered only when the fetched page shows a list left for a script. Where that is
known before fetching, the page goes straight to the browser, once: the columns of a site whose homepage had to be
rendered for its script-filled lists while its script names no data URL to fetch instead (its CMS fills lists by
script), and of a site the registry marks render=yes.
A render that fails falls back to the page as fetched: with the fetched copy at hand, or else by fetching it then.
"""
from __future__ import annotations

import asyncio

from scrapy.http import HtmlResponse

from govcrawl.render import render_reason
from govcrawl.shapes import json_endpoint
from govcrawl.visit import visit_of

# render reasons that say a list was left for a script (govcrawl/render.py), on the homepage or a column
_SCRIPT_LIST_REASONS = ("ajax-", "empty-list", "homepage-ajax-", "homepage-empty-list")


def script_list_reason(reason: str | None) -> bool:
    return bool(reason) and reason.startswith(_SCRIPT_LIST_REASONS)


class RenderingMixin:
    def render_allowed(self, visit) -> bool:
        return self.render_enabled and not visit.rendered and not visit.render_failed

    def render_needed(self, page, listing, role, state, visit) -> str | None:
        if not self.render_allowed(visit):
            return None
        return render_reason(page, listing, role, state.site)

    def render_first(self, state) -> str | None:
        """Why a column of this site goes straight to the browser (stats govcrawl/render/first-<reason>), or None.
        Not on a site that met a WAF challenge: those are cleared on fetched pages (spiders/challenges.py)."""
        if not self.render_enabled or self.challenge_log.get(state.site.site_code):
            return None
        return "registry" if state.site.render else state.lists_by_script

    def fills_lists_by_script(self, visit, listing) -> bool:
        """The homepage was rendered for its script-filled lists and they came out dated, while its script names no
        data URL that could be fetched instead (govcrawl.shapes.json_endpoint): the site's columns will need the
        browser too."""
        if not (self.was_rendered(visit) and script_list_reason(visit.render_reason)
                and any(e.date for e in listing.entries)):
            return False
        static = visit.static
        return static is None or json_endpoint(self.page(self.static_response(static, None))) is None

    def render_request(self, state, response, callback, role, reason, **context):
        """The fetched page's URL again through the browser, parsed by the same callback; `context` is the rest of
        its Visit (the column, the homepage hop)."""
        return self.browser_request(state, response.url, callback, role, reason, dedupe=False,
                                    static=self.static_copy(response), **context)

    def browser_request(self, state, url, callback, role, reason, dedupe, static=None, **context):
        """A page through the browser (scrapy-playwright); `static`: the fetched copy, when there is one."""
        from scrapy_playwright.page import PageMethod

        from govcrawl.browser import context_kwargs, settle

        self.crawler.stats.inc_value(f"govcrawl/render/{reason}" if static else f"govcrawl/render/first-{reason}")
        self.crawler.stats.inc_value("govcrawl/rendered_requests")
        meta = dict(
            playwright=True, playwright_include_page=False,
            playwright_context="proxy" if self.proxy else "direct",
            playwright_context_kwargs=context_kwargs(self.proxy, self.settings.get("USER_AGENT")),
            playwright_page_goto_kwargs={"wait_until": "load", "timeout": self.navigation_timeout_ms},
            playwright_page_methods=[PageMethod(settle, self.settle_ms)],
            dont_retry=True,  # a failed render falls back to the page as fetched; retrying only adds load
        )
        return self.request(state, url, callback, role, dedupe=dedupe, meta=meta, rendered=True, render_reason=reason,
                            static=static, **context)

    def after_failed_render(self, state, request, read, parse):
        """The browser failed: the page as fetched, never worse. The fetched copy is read at once (`read`); a page that
        went straight to the browser is fetched now for `parse`, which then makes no second render decision."""
        self.crawler.stats.inc_value("govcrawl/render_failed")
        visit = visit_of(request)
        if visit.static is not None:
            static = self.static_response(visit.static, request)
            visit.render_failed = True
            yield from read(static)
            return
        fetch = self.request(state, request.url, parse, visit.role, dedupe=False, render_failed=True,
                             column=visit.column, column_url=visit.column_url, step=visit.step)
        if fetch is not None:
            yield fetch

    @staticmethod
    def static_copy(response) -> dict:
        return {"url": response.url, "status": response.status, "body": response.body,
                "content_type": response.headers.get("Content-Type", b"").decode("latin-1")}

    @staticmethod
    def static_response(static: dict, request):
        """The plain fetch's response again, for the request that replaced it."""
        headers = {"Content-Type": static["content_type"]} if static["content_type"] else None
        return HtmlResponse(static["url"], status=static["status"], body=static["body"], request=request, headers=headers)

    @staticmethod
    def close_page(request) -> None:
        page = request.meta.pop("playwright_page", None)
        if page is not None and not page.is_closed():
            asyncio.ensure_future(page.close())
