"""The provincial spider's content-safety facts (table safety): hidden links, tampering, personal data and wording
errors of every page read, and the homepage fetched again as a search engine sees it (cloaking)."""
from __future__ import annotations

import json

from govcrawl.extract.blocks import error_page, waf_block
from govcrawl.extract.redirects import find_redirect
from govcrawl.extract.safety import (
    cloaking_script, hidden_link_facts, page_version, personal_facts, tamper_facts, wording_facts,
)
from spiders.tracking import tracked

# the homepage once more as a visitor arriving from Baidu, and once as Baidu's spider
SEARCH_VISITS = {
    "referer": {"Referer": "https://www.baidu.com/s?wd={name}"},
    "user-agent": {"User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"},
}


class SafetyMixin:
    def safety_items(self, state, page):
        """The content-safety facts of one page read; values are masked by the extractors."""
        site_code = state.site.site_code

        def item(code, key, evidence):
            return {"type": "safety", "site_code": site_code, "code": code, "url": page.url, "key": key,
                    "evidence": json.dumps(evidence, ensure_ascii=False)}

        for link in hidden_link_facts(page):
            yield item("hidden_links", link["url"], link)
        tampered = tamper_facts(page)
        if tampered:
            yield item("tampered_content", "page", tampered)
        for datum in personal_facts(page, self.as_of):
            yield item("personal_data", datum["masked"], datum)
        for error in wording_facts(page):
            yield item("wording_error", error["wrong"], error)

    def check_cloaking(self, state, page):
        """A redirecting script in the homepage is a fact at once; then the homepage is fetched as a search engine."""
        script = cloaking_script(page)
        if script:
            yield {"type": "safety", "site_code": state.site.site_code, "code": "cloaking_redirect", "url": page.url,
                   "key": "script", "evidence": json.dumps({"script": script}, ensure_ascii=False)}
        for visit, headers in SEARCH_VISITS.items():
            request = self.request(state, page.url, self.parse_search_visit, "cloaking", dedupe=False,
                                   visit=visit, normal=page_version(page), dont_retry=True)
            if request is not None:
                for name, value in headers.items():
                    request.headers[name] = value.format(name=state.site.name)
                yield request

    @tracked
    def parse_search_visit(self, response):
        meta = response.meta
        page = self.page(response)
        evidence = {"normal": meta["normal"], "status": response.status}
        if 200 <= response.status < 300 and not waf_block(page) and not error_page(page):
            evidence["variant"] = page_version(page)
            redirect = find_redirect(page)
            if redirect is not None:  # an in-page redirect counts as where the visitor is sent
                evidence["variant"]["url"] = redirect.url
        yield self.search_visit_item(response.request, meta, evidence)

    def search_visit_item(self, request, meta, evidence):
        return {"type": "safety", "site_code": meta["site_code"], "code": "cloaking_redirect",
                "url": meta["normal"]["url"], "key": meta["visit"], "evidence": json.dumps(evidence, ensure_ascii=False)}
