"""`scrapy crawl provincial`: every column of every registered site, dated, stored.

site -> homepage (attempts, redirect chain) -> columns (nav, sub-menus, 更多, trees) -> list pages (pagination)
     -> article pages only when a list shows no dates.
The spider follows links and yields facts; extractors parse, pipelines store and judge.
"""
from __future__ import annotations

import itertools
import logging
from dataclasses import asdict
from pathlib import Path

from scrapy.http import Request

from govcrawl.extract.blocks import error_page, waf_block
from govcrawl.extract.emptystate import UNREAD
from govcrawl.extract.footer import extract_footer
from govcrawl.extract.listing import Listing
from govcrawl.extract.navigation import find_offsite_links
from govcrawl.extract.redirects import find_redirect
from govcrawl.registry import RegistryError, read_registry
from govcrawl.render import script_filled
from govcrawl.rules.service import SERVICE_NAME
from govcrawl.rules.settings import RuleSettings
from govcrawl.scope import Scope, is_attachment, is_fetchable, normalize_url
from govcrawl.netguard import refused_reason
from govcrawl.shapes import read_listing
from govcrawl.visit import (
    VISIT, ArticleSample, HomepageHop, LetterPage, LinkCheck, SearchVisit, Visit, visit_of,
)
from spiders.base import ERROR_STATUSES, InspectionSpider, describe_failure, parse_as_of
from spiders.challenges import ChallengeLog
from spiders.columns import ColumnsMixin
from spiders.interaction import InteractionMixin
from spiders.linkcheck import LinkCheckMixin, found_on
from spiders.liveness import LivenessMixin, not_fetched
from spiders.rendering import RenderingMixin
from spiders.resume import resume_job
from spiders.safety import SafetyMixin
from spiders.tracking import SiteState, SiteWindow, tracked

logger = logging.getLogger(__name__)


class ProvincialSpider(LivenessMixin, SafetyMixin, InteractionMixin, ColumnsMixin, RenderingMixin, LinkCheckMixin,
                       InspectionSpider):
    name = "provincial"

    def __init__(self, registry=None, as_of=None, run=None, replay=None, proxy=None, sites=None, *args, **kwargs):
        super().__init__(as_of, run, replay, proxy, *args, **kwargs)
        if registry is None and replay:
            registry = str(Path(replay) / "registry.csv")
        if registry is None:
            raise ValueError("no registry: pass -a registry=FILE.csv (or -a replay=FIXTURES to crawl recorded fixtures)")
        self.registry_path = registry
        try:
            good, self.registry_problems = read_registry(registry)
        except RegistryError as exc:
            raise ValueError(str(exc)) from None
        for problem in self.registry_problems:
            logger.error("registry: %s (row skipped)", problem)
        wanted = set(sites.split(",")) if sites else None
        self.sites = [s for s in good if wanted is None or s.site_code in wanted]
        self.states: dict[str, SiteState] = {}
        self.request_ids = itertools.count(1)

    @staticmethod
    def registry_argument(spargs: dict) -> str | None:
        return spargs.get("registry") or (str(Path(spargs["replay"]) / "registry.csv") if spargs.get("replay") else None)

    @classmethod
    def check_arguments(cls, spargs: dict, settings=None) -> str | None:
        """What is wrong with `-a` arguments before a crawl starts (None when nothing), for `scrapy crawl`."""
        problem = super().check_arguments(spargs, settings)
        if problem or (settings is not None and settings.get("REDIS_URL")):
            return problem  # a distributed worker takes its sites from Redis
        registry = cls.registry_argument(spargs)
        if registry is None:
            return "no registry: pass -a registry=FILE.csv (or -a replay=FIXTURES to crawl recorded fixtures)"
        try:
            good, problems = read_registry(registry)
        except RegistryError as exc:
            return str(exc)
        if not good:
            return f"{registry}: no valid site rows ({len(problems)} bad rows)"
        return None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        if crawler.settings.get("REDIS_URL"):  # a distributed worker: the run's registry and as_of come from Redis
            from govcrawl.distributed.worker import worker_spider_args

            kwargs = worker_spider_args(crawler.settings, kwargs)
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        resume_job(spider, s)
        spider.max_columns = s.getint("GOVCRAWL_MAX_COLUMNS_PER_SITE")
        spider.max_pages = s.getint("GOVCRAWL_MAX_PAGES_PER_COLUMN")
        spider.settling_entries = s.getint("GOVCRAWL_SETTLING_ENTRIES")
        if spider.settling_entries < 1:
            raise ValueError(f"GOVCRAWL_SETTLING_ENTRIES={spider.settling_entries}: it must be 1 or more")
        spider.max_requests = s.getint("GOVCRAWL_MAX_REQUESTS_PER_SITE")
        spider.article_sample = s.getint("GOVCRAWL_ARTICLE_SAMPLE")
        spider.homepage_attempts = s.getint("GOVCRAWL_HOMEPAGE_ATTEMPTS")
        spider.max_hops = s.getint("GOVCRAWL_MAX_REDIRECT_HOPS")
        spider.max_letter_pages = s.getint("GOVCRAWL_MAX_LETTER_PAGES")
        spider.max_letter_details = s.getint("GOVCRAWL_MAX_LETTER_DETAILS")
        spider.letters_window_months = s.getint("GOVCRAWL_LETTERS_WINDOW_MONTHS", 12)
        spider.guide_sample = s.getint("GOVCRAWL_GUIDE_SAMPLE")
        spider.check_links_max = s.getint("GOVCRAWL_CHECK_LINKS")
        spider.render_enabled = s.getbool("GOVCRAWL_RENDER", True)
        spider.navigation_timeout_ms = s.getfloat("GOVCRAWL_RENDER_NAVIGATION_TIMEOUT", 20.0) * 1000
        spider.settle_ms = s.getfloat("GOVCRAWL_RENDER_SETTLE", 5.0) * 1000
        spider.window = SiteWindow(s.getint("GOVCRAWL_SITES_IN_FLIGHT"))
        spider.challenge_log = ChallengeLog()
        spider.unreachable_timeout_s = RuleSettings.from_settings(s.get).unreachable_timeout_s
        spider.crawl_run.sites_total = len(spider.sites)
        spider.crawl_run.start_site = spider.start_site
        return spider

    def inspected(self) -> int:
        return len(self.sites)

    # -- requests ----------------------------------------------------------------------------------------
    def request(self, state: SiteState, url: str, callback, role: str, dedupe=True, method="GET",
                meta: dict | None = None, **context) -> Request | None:
        """The one way requests are made: per-site dedupe, budget and in-flight counting. `context` fills the
        request's Visit (govcrawl/visit.py); `meta` holds Scrapy's own keys."""
        if not is_fetchable(url):
            return None
        key = normalize_url(url)
        if dedupe and key in state.seen:
            return None
        if state.requests >= self.max_requests:
            self.crawler.stats.inc_value("govcrawl/site_budget_exhausted")
            return None
        if dedupe:
            state.seen.add(key)
        state.requests += 1
        request_id = next(self.request_ids)
        state.opened(request_id, role, key)
        # error statuses reach the callbacks (they are facts), 3xx still go through RedirectMiddleware
        meta = {**(meta or {}), VISIT: Visit(state.site.site_code, role, request_id=request_id, **context),
                "handle_httpstatus_list": ERROR_STATUSES}
        if self.proxy:
            meta["proxy"] = self.proxy
        # the normalised URL: servers ignore session ids (;jsessionid=, _t=) that would make one page many
        return Request(key, method=method, callback=callback, errback=self.on_error, meta=meta, dont_filter=True)

    async def start(self):
        self.start_replay()
        worker = self.crawl_run.worker
        if worker is not None:  # sites are leased group by group (govcrawl.distributed)
            async for request in worker.requests():
                yield request
            return
        for site in self.sites:
            await self.window.enter(site.site_code)
            self.crawler.stats.max_value("govcrawl/sites_in_flight_max", len(self.window.open))
            request = self.start_site(site)
            if request is not None:
                yield request
            else:  # not fetchable: the registry reader lets only http(s) through, so this is defensive
                for item in self.finish_site(self.states[site.site_code]):
                    yield item
        self.start_finished = True

    def start_site(self, site) -> Request | None:
        """A site's crawl begins: its state and its homepage request (None: no fetchable URL, the site is done)."""
        state = self.states[site.site_code] = SiteState(site=site)
        request = self.homepage_request(state, site.url, attempt=1)
        if request is None:
            state.done = True
        return request

    def homepage_request(self, state, url, attempt, hops=0):
        return self.request(state, url, self.parse_homepage, "homepage", dedupe=False, meta={"dont_retry": True},
                            step=HomepageHop(attempt, hops, url))

    # -- homepage ----------------------------------------------------------------------------------------
    @tracked
    def parse_homepage(self, response):
        yield from self.read_homepage(response)

    def read_homepage(self, response):
        visit = visit_of(response)
        state, hop, meta = self.states[visit.site_code], visit.part(HomepageHop), response.meta
        challenge = visit.challenge  # a WAF challenge the browser did not (or may not) clear
        yield {**self.fetch_item(state, response.request, hop.attempt, response.status,
                                 None, meta.get("download_latency")), "challenge": challenge and challenge["kind"]}
        self.record_http_redirects(state, response)
        if challenge:  # the site answered: never unreachable, but unread, so incomplete
            state.chain.append({"url": response.url, "status": response.status, "kind": "final"})
            state.reachable, state.final_url = True, response.url
            state.blocked.append(f"首页（{challenge['label']}）")
            return
        if not 200 <= response.status < 300:
            yield from self.retry_homepage(state, response.request, f"HTTP {response.status}")
            return
        latency = meta.get("download_latency")
        if latency and latency > self.unreachable_timeout_s and not visit.rendered:
            # a late answer is a failed attempt (site_unreachable's timeout): tried again like any failure, so the
            # finding rests on every attempt, never on one slow moment
            yield from self.retry_homepage(state, response.request, f"耗时{latency:.1f}秒")
            return
        page = self.page(response)
        if visit.rendered and normalize_url(response.url) != normalize_url(response.request.url):
            # the browser followed a script redirect the static parse could not resolve
            state.chain.append({"url": response.request.url, "status": response.status, "kind": "js-rendered"})
        redirect = find_redirect(page)
        listing, failed = self.read_listing(page)
        reason = self.render_needed(page, None, "homepage", state, visit) if redirect is None else None
        if redirect is None and reason is None and self.render_allowed(visit) and not any(e.date for e in listing.entries):
            filled = script_filled(page, True)  # blocks a script fills: read them as a visitor does
            reason = f"homepage-{filled}" if filled else None
        if reason:
            yield self.render_request(state, response, self.parse_homepage, "homepage", reason, step=hop)
            return
        if redirect and hop.hops < self.max_hops and normalize_url(redirect.url) != normalize_url(response.url):
            state.chain.append({"url": response.url, "status": response.status, "kind": redirect.kind})
            request = self.homepage_request(state, redirect.url, attempt=1, hops=hop.hops + 1)
            if request is not None:
                yield request
                return
        error = error_page(page)
        if error:  # a 200 that carries an error page is a failed visit
            yield self.fetch_item(state, response.request, hop.attempt, response.status,
                                  f"error page: {error}", meta.get("download_latency"))
            yield from self.retry_homepage(state, response.request, f"error page: {error}")
            return
        state.chain.append({"url": response.url, "status": response.status, "kind": "final"})
        state.reachable = True
        state.final_url = response.url
        if self.fills_lists_by_script(visit, listing):
            state.lists_by_script = visit.render_reason   # its columns go straight to the browser (column_request)
        state.scope = Scope.for_site(state.site.url, response.url)
        blocked = waf_block(page)
        if blocked:  # the site answers but will not let us read it: incomplete, never judged on missing data
            state.blocked.append(f"首页（{blocked}）")
            return
        # cloaking is judged against the page as fetched, like the search-engine visits that are compared with it
        static = self.page(self.static_response(visit.static, response.request)) if visit.static else page
        yield from self.check_cloaking(state, static)
        yield from self.homepage_facts(state, page, listing, visit, failed)

    def record_http_redirects(self, state, response):
        if "playwright" in response.flags:  # the static fetch of the same URL recorded them already
            return
        self.chain_http_redirects(state, response.meta)

    @staticmethod
    def chain_http_redirects(state, meta):
        urls = meta.get("redirect_urls") or []
        reasons = meta.get("redirect_reasons") or []
        for url, reason in zip(urls, reasons):
            state.chain.append({"url": url, "status": reason if isinstance(reason, int) else None, "kind": "http"})

    def retry_homepage(self, state, request, error):
        hop = visit_of(request).part(HomepageHop)
        attempt = hop.attempt
        if attempt < self.homepage_attempts:
            # again from the start of this hop, not from wherever its HTTP redirects had got to
            retry = self.homepage_request(state, hop.hop_url, attempt + 1, hop.hops)
            if retry is not None:
                retry.priority = request.priority - 1
                yield retry
                return
        state.errors.append(f"homepage {request.url}: {error} after {attempt} attempts")

    def read_listing(self, page):
        """(listing, None), or an empty listing and why when the extractor fails: an extraction error is a page not
        read, never an empty one."""
        try:
            return read_listing(page, self.dates), None
        except Exception as exc:  # noqa: BLE001 - any extractor bug; the page is then recorded unread
            logger.exception("list extraction failed on %s", page.url)
            self.crawler.stats.inc_value("govcrawl/extract_failed")
            return Listing([], None, False), f"解析出错（{type(exc).__name__}: {str(exc)[:80]}）"

    def homepage_facts(self, state, page, listing, visit, failed=None):
        state.footer = asdict(extract_footer(page))
        read = {"read_state": UNREAD, "read_reason": f"首页{failed}"} if failed else self.homepage_state(page, listing, visit)
        yield from self.safety_items(state, page)
        yield self.column_item(state, page.url, "首页", role="homepage", first_level=False, source="homepage",
                               blank_marker=listing.blank_marker, pages=1, http_status=200, **read)
        yield from self.entry_items(state, page.url, listing.entries)
        for text, url in find_offsite_links(page, state.scope):
            yield self.link_item(state, url, "offsite", from_url=page.url, text=text)
        yield from self.service_links(state, page)
        yield from self.follow_channels(state, page)
        yield from self.follow_columns(state, page, parent=None)
        yield from self.follow_service_links(state, page)  # after the columns: a service column is read as a column
        yield from self.follow_frames(state, page)
        yield from self.check_links(state, page)

    def homepage_state(self, page, listing, visit) -> dict:
        """listed: the homepage shows dated entries; navigation: read as a visitor sees it and shows none;
        unread: its blocks are left for a script that did not run, so "navigation only" cannot be said."""
        if any(e.date for e in listing.entries):
            return {"read_state": "listed", "read_reason": None}
        filled = None if self.was_rendered(visit) else script_filled(page, True)
        if filled:
            return {"read_state": UNREAD, "read_reason": f"首页区块由脚本填充（{filled}），未能渲染读取"}
        return {"read_state": "navigation", "read_reason": "首页无带日期的信息条目"}

    @staticmethod
    def was_rendered(visit) -> bool:
        return visit.rendered and not visit.render_failed

    def service_links(self, state, page):
        """The homepage's own service entries (办事服务, 在线办事 …), seen whether or not they are crawled as columns:
        no_service needs the absence of every one of them on a homepage that was read."""
        seen = set()
        for a in page.selector.xpath("//a[@href]"):
            text = " ".join(" ".join(a.xpath(".//text()").getall()).split())
            url = page.absolute(a.attrib.get("href"))
            if url and url not in seen and len(text) <= 12 and SERVICE_NAME.search(text) and state.scope.contains(url):
                seen.add(url)
                yield self.link_item(state, url, "service", from_url=page.url, text=text)

    def follow_frames(self, state, page):
        """A frameset homepage shows its content in frames: read them as part of the homepage."""
        for src in page.selector.xpath("//frame/@src | //frameset//iframe/@src").getall():
            url = page.absolute(src)
            if url and state.scope.contains(url) and not is_attachment(url):
                request = self.request(state, url, self.parse_frame, "frame")
                if request is not None:
                    yield request

    @tracked
    def parse_frame(self, response):
        state = self.states[visit_of(response).site_code]
        if response.status >= 400:
            return
        page = self.page(response)
        if not any(state.footer.values()):
            state.footer = asdict(extract_footer(page))
        yield from self.safety_items(state, page)
        yield from self.entry_items(state, state.final_url, read_listing(page, self.dates).entries)
        yield from self.follow_channels(state, page)
        yield from self.follow_columns(state, page, parent=None)
        yield from self.follow_frames(state, page)

    # -- errors and completion ---------------------------------------------------------------------------
    @tracked
    def on_error(self, failure):
        request = failure.request
        visit = visit_of(request)
        state, role = self.states[visit.site_code], visit.role
        error = describe_failure(failure)
        self.close_page(request)
        refused = refused_reason(failure)
        if refused:   # the address policy: recorded with its reason, never retried, never a crash
            yield from self.record_refused(state, request, refused)
            return
        if visit.rendered:
            logger.warning("rendering %s failed (%s); using the page as fetched", request.url, error)
            read, parse = ((self.read_homepage, self.parse_homepage) if role == "homepage"
                           else (self.read_column, self.parse_column))
            yield from self.after_failed_render(state, request, read, parse)
            return
        if not_fetched(failure):   # our choice, not the site's fault: lost with the reason, never "broken"
            yield from self.record_lost(state, request, error)
            return
        if role == "homepage":
            yield self.fetch_item(state, request, visit.part(HomepageHop).attempt, None, error, None)
            yield from self.retry_homepage(state, request, error)
        elif role == "letters" and visit.part(LetterPage).page_no == 1:
            # retried (RETRY_TIMES) and still no answer: seen not to work, like a homepage that never opens
            yield self.channel_check(state, visit.step.channel_url, False, f"无法访问（{error}）")
        elif role == "article":
            sample = visit.part(ArticleSample)
            yield from self.next_article(state, visit.column_url, sample.candidates, sample.index + 1, sample.read,
                                         error)
        elif role == "cloaking":
            yield self.search_visit_item(visit, {"normal": visit.part(SearchVisit).normal, "error": error})
        elif role == "check" and request.method == "HEAD":   # a server that drops HEAD: asked again by GET
            yield from self.link_check_by_get(state, request)
            return
        elif role == "check":
            yield self.link_item(state, request.url, "broken", from_url=visit.part(LinkCheck).from_url, status=None)
        elif role == "column":
            info = visit.column
            yield self.column_item(state, visit.column_url, info.name, role="column",
                                   first_level=info.first_level, parent=info.parent, source=info.source,
                                   pages=0, read_state=UNREAD, read_reason=f"未能读取（{error}）")
            yield self.link_item(state, request.url, "broken", text=info.name, status=None)
        state.errors.append(f"{request.url}: {error}")

    def record_refused(self, state, request, reason):
        """A request the address policy refused: on the homepage (or its redirects) the visit failed, with the chain
        that led there as evidence; elsewhere the link is recorded as refused."""
        visit = visit_of(request)
        if visit.role == "homepage":
            self.chain_http_redirects(state, request.meta)
            state.chain.append({"url": request.url, "status": None, "kind": "refused"})
            yield self.fetch_item(state, request, visit.part(HomepageHop).attempt, None, reason, None)
            state.errors.append(f"homepage {request.url}: {reason}")
            return
        yield self.link_item(state, request.url, "refused", from_url=found_on(visit), status=None, reason=reason)

    def finish_site(self, state):
        site = state.site
        self.window.leave(site.site_code)
        challenges = self.challenge_log.get(site.site_code)
        for text in challenges.uncleared if challenges else ():
            if not any(text in b for b in state.blocked):  # met on a page the callbacks did not mark
                state.blocked.append(text)
        if state.stalled:
            status, reason = "incomplete", state.stalled
        elif not state.reachable:
            status, reason = "unreachable", "; ".join(state.errors[-3:])
        elif state.blocked:
            status, reason = "incomplete", f"{len(state.blocked)}处被拦截：" + "、".join(state.blocked[:10])
        elif state.failed:  # a page the crawl failed to process: its facts are missing, never read as absent
            status, reason = "incomplete", f"{len(state.failed)}个页面处理出错：" + "、".join(state.failed[:5])
        elif state.requests >= self.max_requests:
            status, reason = "complete", f"request budget of {self.max_requests} reached"
        else:
            status, reason = "complete", None
        for column_url, pages in state.list_pages.items():
            yield {"type": "column", "site_code": site.site_code, "url": column_url, "pages": pages}
        yield {
            "type": "site", "site_code": site.site_code, "name": site.name, "unit": site.unit, "kind": site.kind,
            "services": site.services, "registered_url": site.url, "final_url": state.final_url,
            "reachable": state.reachable, "status": status, "status_reason": reason,
            "redirect_chain": state.chain, "footer": state.footer, "requests": state.requests,
            **(challenges.row() if challenges else {}),
        }
        # what the verdict pipeline needs of the site, carried by the item (never read from the spider)
        yield {"type": "site_done", "site_code": site.site_code, "name": site.name, "categories": site.categories}
        self.crawler.stats.inc_value("govcrawl/sites_done")

    # -- items -------------------------------------------------------------------------------------------
    def fetch_item(self, state, request, attempt, status, error, latency):
        hop = visit_of(request).step
        return {"type": "fetch", "site_code": state.site.site_code,
                "url": hop.hop_url if isinstance(hop, HomepageHop) else request.url,
                "attempt": attempt, "status": status, "error": error,
                "elapsed_ms": int(latency * 1000) if latency else None}

    def column_item(self, state, url, name, role, first_level, source, parent=None, **extra):
        item = {"type": "column", "site_code": state.site.site_code, "url": url, "name": name, "role": role,
                "first_level": first_level, "parent": parent, "source": source, "links_elsewhere": False,
                "children": 0, "blank_marker": None}
        item.update(extra)
        return item

    def entry_items(self, state, column_url, entries):
        for entry in entries:
            yield {"type": "entry", "site_code": state.site.site_code, "column_url": column_url,
                   "title": entry.title, "url": entry.url, "date": entry.date, "raw_date": entry.raw_date,
                   "date_source": entry.source if entry.date else "none"}
