"""The provincial spider's link checks (review code broken_links): each of the homepage's other in-scope links is
asked for once, by HEAD. Some servers refuse HEAD (405, 501, 403, other error statuses) or drop it; such a link is
asked for again by GET, read only up to its first bytes (FirstBytesOnly in spiders/middlewares.py: enough to tell a
WAF challenge page), so a large page or a file costs little more than a HEAD. A link is broken only when the GET
fails too."""
from __future__ import annotations

from govcrawl.scope import is_attachment, normalize_url
from govcrawl.visit import LinkCheck, Visit, visit_of
from spiders.tracking import SiteState, tracked


def found_on(visit: Visit) -> str | None:
    """The page a checked link was found on (None for other requests: their links count from the homepage)."""
    return visit.step.from_url if isinstance(visit.step, LinkCheck) else None


class LinkCheckMixin:
    def check_links(self, state, page):
        """Ask once for each of the homepage's other in-scope links, to find broken ones (review code broken_links):
        HEAD first; GET, up to its first bytes only, when HEAD is refused or fails."""
        checked = 0
        for href in page.selector.xpath("//a/@href").getall():
            url = page.absolute(href)
            if url is None or not state.scope.contains(url):
                continue
            key = normalize_url(url)
            # checks keep their own set, so a checked article can still be read later for its date
            if key in state.seen or key in state.checked or key == normalize_url(state.final_url):
                continue
            if is_attachment(url):  # recorded, never fetched as a page
                state.checked.add(key)
                yield self.link_item(state, url, "attachment", from_url=page.url)
                continue
            if checked >= self.check_links_max:
                self.crawler.stats.inc_value("govcrawl/link_check_cap")
                return
            request = self.link_check_request(state, url, page.url, "HEAD")
            if request is not None:
                state.checked.add(key)
                checked += 1
                yield request

    @tracked
    def parse_link_check(self, response):
        visit = visit_of(response)
        state = self.states[visit.site_code]
        if visit.challenge:  # a challenge says nothing of the link
            return
        if response.status >= 400 and response.request.method == "HEAD":
            yield from self.link_check_by_get(state, response.request)
        elif response.status >= 400:
            yield self.link_item(state, response.request.url, "broken", from_url=visit.part(LinkCheck).from_url,
                                 status=response.status)

    def link_check_request(self, state: SiteState, url: str, from_url: str, method: str):
        meta = {"dont_retry": True} if method == "HEAD" else {"first_bytes_only": True}  # a refused HEAD: asked by GET
        return self.request(state, url, self.parse_link_check, "check", dedupe=False, method=method, meta=meta,
                            step=LinkCheck(from_url))

    def link_check_by_get(self, state: SiteState, head_request):
        """HEAD was refused or failed: the same link by GET, up to its first bytes."""
        self.crawler.stats.inc_value("govcrawl/link_check_get")
        request = self.link_check_request(state, head_request.url, found_on(visit_of(head_request)), "GET")
        if request is not None:
            yield request

    def link_item(self, state: SiteState, url: str, kind: str, from_url: str | None = None, text: str | None = None,
                  **extra) -> dict:
        """One `links` row; `from_url` defaults to the page the site's columns were found on."""
        return {"type": "link", "site_code": state.site.site_code, "from_url": from_url or state.final_url or state.site.url,
                "url": url, "text": text, "kind": kind, **extra}
