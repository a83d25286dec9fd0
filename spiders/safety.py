"""The provincial spider's content-safety facts (table safety): hidden links, tampering, personal data and wording
errors of every page read, and the homepage fetched again as a search engine sees it (cloaking)."""
from __future__ import annotations

import json
from urllib.parse import urljoin

from govcrawl.extract.blocks import error_page, waf_block
from govcrawl.extract.redirects import find_redirect
from govcrawl.extract.safety import (
    cloaking_script, hidden_link_facts, page_version, personal_facts, tamper_facts, wording_facts,
)
from govcrawl.scope import host_of, strip_www
from govcrawl.visit import SearchVisit, visit_of
from spiders.base import ERROR_STATUSES
from spiders.tracking import tracked

REDIRECTS = [301, 302, 303, 307, 308]
MAX_HOPS = 3

# the homepage once more as a visitor arriving from Baidu, and once as Baidu's spider
SEARCH_VISITS = {
    "referer": {"Referer": "https://www.baidu.com/s?wd={name}"},
    "user-agent": {"User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"},
}


def safety_item(site_code: str, code: str, url: str, key: str, evidence: dict) -> dict:
    return {"type": "safety", "site_code": site_code, "code": code, "url": url, "key": key,
            "evidence": json.dumps(evidence, ensure_ascii=False)}


class SafetyMixin:
    def safety_items(self, state, page):
        """The content-safety facts of one page read; values are masked by the extractors."""
        def item(code, key, evidence):
            return safety_item(state.site.site_code, code, page.url, key, evidence)

        for link in hidden_link_facts(page):
            yield item("hidden_links", link["url"], link)
        tampered = tamper_facts(page)
        if tampered:
            yield item("tampered_content", "page", tampered)
        for datum in personal_facts(page.visible_text, self.as_of):
            yield item("personal_data", datum["masked"], datum)
        for error in wording_facts(page):
            yield item("wording_error", error["wrong"], error)

    def title_safety_items(self, state, list_url, entries):
        """Personal data in list titles that came as data (a JSON or XML list endpoint), not as a page's text."""
        for datum in personal_facts("\n".join(e.title for e in entries if e.title), self.as_of):
            yield safety_item(state.site.site_code, "personal_data", list_url, datum["masked"], datum)

    def check_cloaking(self, state, page):
        """A redirecting script in the homepage is a fact at once; then the homepage is fetched as a search engine."""
        script = cloaking_script(page)
        if script:
            yield safety_item(state.site.site_code, "cloaking_redirect", page.url, "script", {"script": script})
        for visit in SEARCH_VISITS:
            request = self.search_visit(state, page.url, visit, page_version(page), hops=0)
            if request is not None:
                yield request

    def search_visit(self, state, url, visit, normal, hops):
        """The homepage as a search engine's visitor: redirects come back to us, an offsite one is never followed."""
        request = self.request(state, url, self.parse_search_visit, "cloaking", dedupe=False,
                               meta={"dont_retry": True, "dont_redirect": True}, step=SearchVisit(visit, normal, hops))
        if request is not None:
            request.meta["handle_httpstatus_list"] = list(ERROR_STATUSES) + REDIRECTS
            for name, value in SEARCH_VISITS[visit].items():
                request.headers[name] = value.format(name=state.site.name)
        return request

    @tracked
    def parse_search_visit(self, response):
        visit = visit_of(response)
        search = visit.part(SearchVisit)
        evidence = {"normal": search.normal, "status": response.status}
        if response.status in REDIRECTS:
            target = urljoin(response.url, response.headers.get("Location", b"").decode("latin-1"))
            if strip_www(host_of(target)) == strip_www(host_of(response.url)) and search.hops < MAX_HOPS:
                request = self.search_visit(self.states[visit.site_code], target, search.visit, search.normal,
                                            search.hops + 1)
                if request is not None:
                    yield request
                    return
            evidence["variant"] = {"url": target, "title": "", "text": ""}
            yield self.search_visit_item(visit, evidence)
            return
        page = self.page(response)
        if 200 <= response.status < 300 and not waf_block(page) and not error_page(page):
            evidence["variant"] = page_version(page)
            redirect = find_redirect(page)
            if redirect is not None:  # an in-page redirect counts as where the visitor is sent
                evidence["variant"]["url"] = redirect.url
        yield self.search_visit_item(visit, evidence)

    def search_visit_item(self, visit, evidence):
        search = visit.part(SearchVisit)
        return safety_item(visit.site_code, "cloaking_redirect", search.normal["url"], search.visit, evidence)
