"""`scrapy crawl newmedia -a accounts=FILE -a as_of=YYYY-MM-DD [-a facts=FILE] [-a replay=DIR] [-a run=ID]`

Government new-media accounts (政务新媒体): Weibo through the m.weibo.cn getIndex API (posts, paged by since_id
until a non-pinned post shows; the profile for messages), WeChat through Sogou's search (newest article) and,
when the registry gives one, a unit-supplied profile_ext getmsg URL. Facts units export from their back ends
(`-a facts=`, or facts.csv inside a replay folder) are merged in. Once all of an account's requests are done
(spiders/tracking.py counts them) its facts go to pipelines.verdicts.AccountVerdictPipeline, which judges them
(rules.newmedia); the StoragePipeline stores the account, its posts and its findings.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

from scrapy.http import Request

from govcrawl.accounts import WECHAT, WEIBO, Account, BackendFacts, read_accounts, read_backend_facts
from govcrawl.extract import wechat, weibo
from govcrawl.extract.page import Page
from govcrawl.registry import RegistryError
from govcrawl.rules.newmedia import AccountFacts, apply_backend
from govcrawl.visit import VISIT, Role, Visit, visit_of
from spiders.base import ERROR_STATUSES, InspectionSpider
from spiders.tracking import Counted, tracked

logger = logging.getLogger(__name__)


@dataclass
class AccountState(Counted):
    account: Account
    facts: AccountFacts = field(default_factory=AccountFacts)
    comment_flags: list[tuple[bool, str, str]] = field(default_factory=list)   # (open, flag, post url)
    account_flags: weibo.AccountFlags | None = None     # account-level settings, from the profile or posts' user
    weibo_pages: int = 0


class NewMediaSpider(InspectionSpider):
    name = "newmedia"
    # accounts are judged from their facts before they are stored; the site verdict pipeline has nothing to do here
    custom_settings = {"ITEM_PIPELINES": {"pipelines.verdicts.AccountVerdictPipeline": 200,
                                          "pipelines.storage.StoragePipeline": 300}}

    def __init__(self, accounts=None, as_of=None, run=None, replay=None, proxy=None, facts=None, *args, **kwargs):
        super().__init__(as_of, run, replay, proxy, *args, **kwargs)
        accounts = accounts or self.registry_argument({"replay": replay})
        if facts is None and replay and (Path(replay) / "facts.csv").is_file():
            facts = str(Path(replay) / "facts.csv")
        if accounts is None:
            raise ValueError("no accounts: pass -a accounts=FILE.csv (or -a replay=FIXTURES)")
        self.registry_path = accounts
        self.latest = datetime.combine(self.as_of, time.max)   # posts after T do not count
        try:
            self.accounts, self.registry_problems = read_accounts(accounts)
            backend, backend_problems = read_backend_facts(facts, self.dates) if facts else ([], [])
        except RegistryError as exc:
            raise ValueError(str(exc)) from None
        self.registry_problems += backend_problems
        for problem in self.registry_problems:
            logger.error("accounts: %s (row skipped)", problem)
        self.backend: dict[str, list[BackendFacts]] = {}
        for row in backend:
            self.backend.setdefault(row.account_id, []).append(row)
        self.states: dict[str, AccountState] = {}

    @staticmethod
    def registry_argument(spargs: dict) -> str | None:
        return spargs.get("accounts") or (str(Path(spargs["replay"]) / "accounts.csv") if spargs.get("replay") else None)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_pages = crawler.settings.getint("GOVCRAWL_NEWMEDIA_MAX_PAGES", 3)
        return spider

    def inspected(self) -> int:
        return len(self.accounts)

    # -- requests ----------------------------------------------------------------------------------------
    def request(self, state: AccountState, url: str, callback, role: Role, **meta) -> Request:
        state.pending += 1
        state.requests += 1
        meta.update({VISIT: Visit(state.account.account_id, role), "handle_httpstatus_list": ERROR_STATUSES})
        if self.proxy:
            meta["proxy"] = self.proxy
        return Request(url, callback=callback, errback=self.on_error, meta=meta, dont_filter=True)

    async def start(self):
        self.start_replay()
        for account in self.accounts:
            state = self.states[account.account_id] = AccountState(account)
            requests = list(self.first_requests(state))
            if not requests:
                state.done = True
                for item in self.finish_site(state):
                    yield item
            for request in requests:
                yield request

    def first_requests(self, state: AccountState):
        account = state.account
        if account.platform == WEIBO:
            uid = account.weibo_uid
            state.facts.evidence_url = f"https://m.weibo.cn/u/{uid}"
            yield self.request(state, weibo.profile_url(uid), self.parse_weibo_profile, "weibo_profile")
            yield self.request(state, weibo.posts_url(uid), self.parse_weibo_posts, "weibo_posts")
        elif account.platform == WECHAT:
            search = wechat.search_url(account.name)
            state.facts.evidence_url = search
            yield self.request(state, search, self.parse_sogou, "wechat_search")
            if account.url and wechat.is_getmsg_url(account.url):
                yield self.request(state, account.url, self.parse_getmsg, "wechat_history")

    # -- Weibo -------------------------------------------------------------------------------------------
    @tracked
    def parse_weibo_posts(self, response):
        state = self.states[visit_of(response).site_code]
        page = weibo.parse_posts(self.page(response).text, self.dates, response.url, state.account.weibo_uid)
        if self.blocked(state, response, "微博", page.blocked):
            return
        state.weibo_pages += 1
        if page.others:
            self.crawler.stats.inc_value("govcrawl/newmedia_others_posts_skipped", page.others)
        if page.account and state.account_flags is None:
            state.account_flags = weibo.account_flags(page.account)
        yield from self.take_posts(state, page.posts, "weibo")
        state.comment_flags += [(p.comments_open, p.comments_flag, p.url) for p in page.posts
                                if p.comments_open is not None]
        if any(not p.pinned for p in page.posts) or not page.since_id:
            state.facts.posts_read = True     # the newest ordinary post is on this page, or the timeline ends here
        elif state.weibo_pages < self.max_pages:
            # only pinned posts (or others' posts) so far: the newest ordinary post is on a later page
            yield self.request(state, weibo.posts_url(state.account.weibo_uid, page.since_id), self.parse_weibo_posts,
                               "weibo_posts")
        else:
            state.facts.unread.append(f"微博：前{state.weibo_pages}页没有本账号的非置顶微博，其后各页未读"
                                      "（GOVCRAWL_NEWMEDIA_MAX_PAGES）")

    @tracked
    def parse_weibo_profile(self, response):
        state = self.states[visit_of(response).site_code]
        profile = weibo.parse_profile(self.page(response).text, response.url)
        if profile.gone:                  # evidence of its own: the account's status, not an unread fact
            state.facts.gone = f"{profile.gone}（{response.url}）"
            return
        if not self.blocked(state, response, "微博主页", profile.blocked):
            facts = state.facts
            if profile.messages_open is not None:
                facts.messages_open = profile.messages_open
                facts.sources["messages_open"] = f"{profile.messages_flag}（{response.url}）"
            if profile.comments_open is not None:   # the profile's own setting outranks any post's user object
                state.account_flags = weibo.AccountFlags(profile.comments_open, profile.comments_flag)
        return
        yield

    # -- WeChat ------------------------------------------------------------------------------------------
    @tracked
    def parse_sogou(self, response):
        state = self.states[visit_of(response).site_code]
        text = self.page(response).text
        urls = response.meta.get("redirect_urls", []) + [response.url]
        reason = next(filter(None, (wechat.antispider(text, u) for u in urls)), None)
        if self.blocked(state, response, "搜狗微信搜索", reason):
            return
        results = wechat.parse_search(Page(response.url, text), self.dates)
        newest = wechat.newest_for(results, state.account.name, self.latest)
        own = [r for r in results if r is newest or (r.account and r.account.strip() == state.account.name)]
        for result in own:
            yield self.post_item(state, result.url, result.url, result.title, result.published, result.raw_date,
                                 False, "sogou")
        if newest is None:
            state.facts.unread.append("搜狗微信搜索未找到该账号的文章")
            return
        self.newer(state, newest.published, "sogou", newest.url)

    @tracked
    def parse_getmsg(self, response):
        state = self.states[visit_of(response).site_code]
        page = wechat.parse_getmsg(self.page(response).text)
        if self.blocked(state, response, "微信历史消息接口", page.blocked):
            return
        state.facts.posts_read = True
        yield from self.take_posts(state, page.posts, "getmsg")

    # -- shared ------------------------------------------------------------------------------------------
    def blocked(self, state: AccountState, response, source: str, reason: str | None) -> bool:
        if reason is None and response.status >= 400:
            reason = f"HTTP {response.status}"
        if reason:
            state.facts.unread.append(f"{source}：{reason}")
            self.crawler.stats.inc_value("govcrawl/newmedia_blocked")
        return reason is not None

    def take_posts(self, state: AccountState, posts, source: str):
        for post in posts:
            yield self.post_item(state, post.post_id, post.url, post.title, post.published, post.raw_date,
                                 post.pinned, source)
            if post.published is None or post.published > self.latest:
                continue
            if post.pinned:
                if state.facts.pinned_newest is None or post.published > state.facts.pinned_newest:
                    state.facts.pinned_newest = post.published
            else:
                self.newer(state, post.published, source, post.url)

    @staticmethod
    def newer(state: AccountState, published: datetime, source: str, url: str) -> None:
        facts = state.facts
        if facts.newest_post is None or published > facts.newest_post:
            facts.newest_post, facts.newest_source, facts.newest_url = published, source, url

    @tracked
    def on_error(self, failure):
        request = failure.request
        state = self.states[visit_of(request).site_code]
        error = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        state.facts.unread.append(f"请求失败 {request.url}：{error}")
        state.errors.append(f"{request.url}: {error}")
        return
        yield

    def finish_site(self, state: AccountState):
        account, facts = state.account, state.facts
        if account.platform == WEIBO:
            self.weibo_interaction(state)
        for row in self.backend.get(account.account_id, []):
            apply_backend(facts, row)
        # judged by pipelines.verdicts.AccountVerdictPipeline: a spider reads, rules/ decide
        yield {"type": "account_facts", "account": account, "facts": facts, "requests": state.requests,
               "as_of": self.as_of.isoformat()}

    @staticmethod
    def weibo_interaction(state: AccountState) -> None:
        """Comments: the account-level setting when stated, else the posts' flags (any open post opens them)."""
        facts, settings = state.facts, state.account_flags
        if settings is not None and settings.comments_open is not None:
            facts.comments_open = settings.comments_open
            facts.sources["comments_open"] = weibo.INTERACTION_FLAGS[settings.comments_flag]
        elif state.comment_flags:
            opened = [f for f in state.comment_flags if f[0]]
            open_, flag, url = (opened or state.comment_flags)[0]
            facts.comments_open = open_
            count = "" if opened else f"，{len(state.comment_flags)}条微博均如此"
            facts.sources["comments_open"] = f"{weibo.INTERACTION_FLAGS[flag]}（{url}{count}）"
        if facts.messages_open is None and settings is not None and settings.messages_open is not None:
            facts.messages_open = settings.messages_open
            facts.sources["messages_open"] = weibo.INTERACTION_FLAGS[settings.messages_flag]

    def post_item(self, state, post_id, url, title, published, raw_date, pinned, source) -> dict:
        return {"type": "post", "account_id": state.account.account_id, "post_id": post_id, "url": url,
                "title": title, "published": published, "raw_date": raw_date, "pinned": pinned, "source": source}
