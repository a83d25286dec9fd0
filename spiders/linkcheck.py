"""The provincial spider's link checks (review code broken_links): each of the homepage's other in-scope links is
asked for once, by HEAD. Some servers refuse HEAD (405, 501, 403, other error statuses) or drop it; such a link is
asked for again by GET, read only up to its response headers (StopAfterHeaders in spiders/middlewares.py), so a
large page or a file costs no more than a HEAD. A link is broken only when the GET fails too."""
from __future__ import annotations

from govcrawl.visit import LinkCheck, Visit, visit_of
from spiders.tracking import SiteState


def found_on(visit: Visit) -> str | None:
    """The page a checked link was found on (None for other requests: their links count from the homepage)."""
    return visit.step.from_url if isinstance(visit.step, LinkCheck) else None


class LinkCheckMixin:
    def link_check_request(self, state: SiteState, url: str, from_url: str, method: str):
        meta = {"dont_retry": True} if method == "HEAD" else {"headers_only": True}  # a refused HEAD is asked by GET
        return self.request(state, url, self.parse_link_check, "check", dedupe=False, method=method, meta=meta,
                            step=LinkCheck(from_url))

    def link_check_by_get(self, state: SiteState, head_request):
        """HEAD was refused or failed: the same link by GET, up to its headers."""
        self.crawler.stats.inc_value("govcrawl/link_check_get")
        request = self.link_check_request(state, head_request.url, found_on(visit_of(head_request)), "GET")
        if request is not None:
            yield request

    def link_item(self, state: SiteState, url: str, kind: str, from_url: str | None = None, text: str | None = None,
                  **extra) -> dict:
        """One `links` row; `from_url` defaults to the page the site's columns were found on."""
        return {"type": "link", "site_code": state.site.site_code, "from_url": from_url or state.final_url or state.site.url,
                "url": url, "text": text, "kind": kind, **extra}
