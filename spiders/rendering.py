"""The provincial spider's browser path: a page that needs it is fetched again through scrapy-playwright and parsed
by the same callback (govcrawl/render.py decides; govcrawl/browser.py launches and routes Chromium)."""
from __future__ import annotations

import asyncio

from scrapy.http import HtmlResponse

from govcrawl.render import render_reason


class RenderingMixin:
    def render_allowed(self, visit) -> bool:
        return self.render_enabled and not visit.rendered and not visit.render_failed

    def render_needed(self, page, listing, role, state, visit) -> str | None:
        if not self.render_allowed(visit):
            return None
        return render_reason(page, listing, role, state.site)

    def render_request(self, state, response, callback, role, reason, **context):
        """The same URL again through the browser (scrapy-playwright), parsed by the same callback; `context` is
        the rest of its Visit (the column, the homepage hop)."""
        from scrapy_playwright.page import PageMethod

        from govcrawl.browser import context_kwargs, settle

        self.crawler.stats.inc_value(f"govcrawl/render/{reason}")
        self.crawler.stats.inc_value("govcrawl/rendered_requests")
        meta = dict(
            playwright=True, playwright_include_page=False,
            playwright_context="proxy" if self.proxy else "direct",
            playwright_context_kwargs=context_kwargs(self.proxy, self.settings.get("USER_AGENT")),
            playwright_page_goto_kwargs={"wait_until": "load", "timeout": self.navigation_timeout_ms},
            playwright_page_methods=[PageMethod(settle, self.settle_ms)],
            dont_retry=True,  # a failed render falls back to the page as fetched; retrying only adds load
        )
        return self.request(state, response.url, callback, role, dedupe=False, meta=meta, rendered=True,
                            render_reason=reason, static=self.static_copy(response), **context)

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
