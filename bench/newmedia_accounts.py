"""Account sets for the new-media evaluation (bench/eval_newmedia.py): a replay fixture folder per seed.

    .venv/bin/python bench/newmedia_accounts.py --seed 1 --out /tmp/nm-eval-1

Every account is one KIND; the kind, not the crawler, states the truth (status and findings), so the evaluation
measures the crawler against what an inspector would conclude from the same responses. Per seed the number of
accounts of each kind, their names, uids, dates, date forms, decoy cards and blocking variants are drawn at random.

Weibo shapes follow real captured m.weibo.cn `container/getIndex` responses kept as test fixtures by the public
repository MountainDash/nonebot-bison (tests/platforms/static/weibo_ak_list_1.json: cardlistInfo.since_id,
card_type 9 cards with mblog.user, isTop and title 置顶, created_at forms; weibo_ak_profile.json: userInfo with
toolbar_menus 聊天 and the follow button's userInfo.allow_msg; weibo_err_profile.json: the `ok: 0` 这里还没有内容
answer for a missing account). Group cards (card_type 11 with a card_group) carrying other users' posts, reposts
with retweeted_status, comment_manage_info and enable_comment_guide follow the field names of the same responses
and of Weibo client models in public repositories; the account-level allow_all_comment / allow_all_act_msg flags
are the names of Weibo's user object. Sogou pages reuse the demo builder's result markup (fixtures/newmedia_builder).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.newmedia_builder import (ANTISPIDER_PAGE, LOGIN_PAGE, LOGIN_URL, TEXT_ONLY_BLOCK,  # noqa: E402
                                       VISITOR_PAGE, sogou_results_page, write_fixture)
from govcrawl.extract import wechat, weibo  # noqa: E402
from govcrawl.replay.store import relative_file  # noqa: E402

AS_OF = date(2019, 6, 10)
WINDOW = 14
NOT_UPDATED, NO_INTERACTION = "account_not_updated", "account_no_interaction"
CITIES = ["长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "益阳市", "郴州市", "永州市", "怀化市"]
SUBJECTS = ["发布", "公安", "交警", "民政", "教育", "人社", "卫健", "应急", "市场监管", "税务", "气象", "文旅", "司法",
            "城管", "生态环境", "住建", "水利", "农业农村", "商务", "统计", "档案", "消防", "团委", "妇联"]
OTHER_USERS = [(1642634100, "新浪新闻"), (2656274875, "央视新闻"), (1618051664, "头条新闻"), (2803301701, "人民日报")]
JSON_TYPE = {"content_type": "application/json; charset=utf-8"}
HTML_TYPE = {"content_type": "text/html; charset=utf-8"}

# kind -> (platform, expected status, expected findings)
KINDS: dict[str, tuple[str, str, list[str]]] = {
    "weibo_fresh": ("新浪微博", "checked", []),
    "weibo_stale": ("新浪微博", "checked", [NOT_UPDATED]),
    "weibo_pinned_only_fresh": ("新浪微博", "checked", [NOT_UPDATED]),
    "weibo_repost_only_fresh": ("新浪微博", "checked", []),
    "weibo_near_13": ("新浪微博", "checked", []),
    "weibo_edge_14": ("新浪微博", "checked", []),
    "weibo_near_15": ("新浪微博", "checked", [NOT_UPDATED]),
    "weibo_closed_comments": ("新浪微博", "checked", []),          # messages still open
    "weibo_closed_messages": ("新浪微博", "checked", []),          # comments still open
    "weibo_closed_both_account": ("新浪微博", "checked", [NO_INTERACTION]),   # profile allow_all_comment false
    "weibo_closed_both_posts": ("新浪微博", "checked", [NO_INTERACTION]),     # every post closed
    "weibo_closed_both_user": ("新浪微博", "checked", [NO_INTERACTION]),      # the posts' user object says it
    "weibo_stale_and_closed": ("新浪微博", "checked", [NOT_UPDATED, NO_INTERACTION]),
    "weibo_closed_comments_profile_silent": ("新浪微博", "unchecked", []),  # messages unknown: undecided
    "weibo_login_wall": ("新浪微博", "unchecked", []),
    "weibo_api_error": ("新浪微博", "unchecked", []),               # timeline ok=0 (rate limit), profile fine
    "weibo_deleted": ("新浪微博", "gone", []),
    "weibo_group_others_fresh": ("新浪微博", "checked", [NOT_UPDATED]),   # others' fresh posts in a group card
    "weibo_paging_fresh": ("新浪微博", "checked", []),             # page 1 only pinned; since_id page fresh
    "weibo_paging_stale": ("新浪微博", "checked", [NOT_UPDATED]),
    "weibo_paging_error": ("新浪微博", "unchecked", []),           # page 1 only pinned; the since_id page errs
    "wechat_fresh": ("微信", "checked", []),                        # with the unit's back-end export
    "wechat_fresh_no_export": ("微信", "unchecked", []),            # interaction unknown without it
    "wechat_stale_lookalikes": ("微信", "checked", [NOT_UPDATED]),  # look-alike accounts' fresh articles
    "wechat_closed": ("微信", "checked", [NO_INTERACTION]),
    "wechat_only_lookalikes": ("微信", "unchecked", []),            # the account itself not found
    "wechat_antibot": ("微信", "unchecked", []),
    "unsupported": ("", "unsupported", []),
}


class AccountSet:
    """The fixture of one seed: responses by URL, manifest entries, accounts, back-end export rows, truth."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.files: dict[str, bytes] = {}
        self.manifest: dict[str, dict] = {}
        self.accounts: list[dict] = []
        self.facts_rows: list[list[str]] = []
        self.names: set[str] = set()

    # -- plumbing -----------------------------------------------------------------------------------------
    def put(self, url: str, body: str | dict, entry: dict | None = None) -> None:
        text = json.dumps(body, ensure_ascii=False) if isinstance(body, dict) else body
        self.files[relative_file(url)] = text.encode("utf-8")
        if entry:
            self.manifest[url] = entry

    def name(self, unit: str) -> str:
        while True:
            candidate = unit.removesuffix("市") + self.rng.choice(SUBJECTS)
            if self.rng.random() < 0.3:
                candidate += self.rng.choice(["", "微博", "在线", "之窗"])
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate

    def build(self) -> dict:
        kinds = [k for k, _ in KINDS.items() for _ in range(self.rng.randint(2, 3))]
        self.rng.shuffle(kinds)
        for n, kind in enumerate(kinds, start=1):
            platform, status, codes = KINDS[kind]
            unit = self.rng.choice(CITIES)
            account = {"account_id": f"ev{self.seed:02d}{n:03d}", "name": self.name(unit), "unit": unit,
                       "kind": kind, "uid": str(5200000000 + self.seed * 10000 + n), "url": "",
                       "platform": platform or self.rng.choice(["抖音", "今日头条", "快手"]),
                       "status": status, "findings": codes}
            if kind.startswith("weibo_"):
                WeiboAccount(self, account).build()
            elif kind.startswith("wechat_"):
                self.wechat(account)
            else:
                account["url"] = f"https://www.douyin.com/user/{account['uid']}" if account["platform"] == "抖音" else ""
            self.accounts.append(account)
        return {"as_of": AS_OF.isoformat(), "seed": self.seed,
                "accounts": {a["account_id"]: {k: a[k] for k in ("name", "unit", "platform", "kind", "status",
                                                                   "findings")} for a in self.accounts}}

    def write(self, out: Path) -> dict:
        truth = self.build()
        write_fixture(out, self.accounts, self.files, self.manifest, self.facts_rows, truth)
        return truth

    # -- WeChat through Sogou -------------------------------------------------------------------------------
    def wechat(self, a: dict) -> None:
        kind, rng, search = a["kind"], self.rng, wechat.search_url(a["name"])
        if kind == "wechat_antibot":
            variant = rng.choice(["redirect", "seccode", "text"])
            if variant == "redirect":
                self.manifest[search] = {"status": 302,
                                         "headers": {"Location": "https://weixin.sogou.com/antispider/?from=weixin"}}
                self.put("https://weixin.sogou.com/antispider/?from=weixin", ANTISPIDER_PAGE)
            else:
                self.put(search, ANTISPIDER_PAGE if variant == "seccode" else TEXT_ONLY_BLOCK, HTML_TYPE)
            return
        fresh = kind in ("wechat_fresh", "wechat_fresh_no_export", "wechat_closed")
        own = [fresh_day(rng) if fresh else stale_day(rng)] + [stale_day(rng) for _ in range(rng.randint(0, 2))]
        rows = [(look_alike(rng, a["name"]), fresh_day(rng)) for _ in range(rng.randint(1, 3))]
        rows += [(rng.choice(OTHER_USERS)[1], fresh_day(rng))]
        if kind != "wechat_only_lookalikes":
            rows += [(a["name"], day) for day in own]
        rng.shuffle(rows)
        self.put(search, sogou_results_page(a["name"], a["account_id"], rows), HTML_TYPE)
        if kind in ("wechat_fresh", "wechat_closed", "wechat_stale_lookalikes"):
            flag = "否" if kind == "wechat_closed" else "是"
            channels = [flag] * 3 if flag == "否" else rng.choice([["是", "否", "否"], ["否", "是", "是"], ["是"] * 3])
            self.facts_rows.append([a["account_id"], "", *channels])


class WeiboAccount:
    """One Weibo account's profile and timeline pages, shaped by its kind."""

    def __init__(self, owner: AccountSet, account: dict):
        self.owner, self.a, self.rng = owner, account, owner.rng
        self.uid = account["uid"]
        self.user = {"id": int(self.uid), "screen_name": account["name"], "verified": True, "verified_type": 1}
        account["url"] = self.rng.choice([f"https://m.weibo.cn/u/{self.uid}", f"https://weibo.com/u/{self.uid}",
                                          f"https://m.weibo.cn/profile/{self.uid}"])

    def build(self) -> None:
        kind, put = self.a["kind"], self.owner.put
        profile_url, posts_url = weibo.profile_url(self.uid), weibo.posts_url(self.uid)
        if kind == "weibo_login_wall":
            self.login_wall(profile_url, posts_url)
            return
        if kind == "weibo_deleted":     # the real answer for a uid without an account, on both containers
            for url in (profile_url, posts_url):
                put(url, {"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}}, JSON_TYPE)
            return
        comments = "closed" if "closed_comments" in kind or "closed_both_posts" in kind or "stale_and_closed" in kind \
            else "open"
        if kind in ("weibo_closed_both_account", "weibo_closed_both_user"):
            comments = self.rng.choice(["open", "closed"])   # old posts may still show comments; the setting rules
        messages = "closed" if "closed_messages" in kind or "closed_both" in kind or "stale_and_closed" in kind \
            else "open"
        if kind == "weibo_closed_comments_profile_silent":
            messages = "silent"
        if kind == "weibo_closed_both_user":
            self.user["allow_all_comment"] = False
        put(profile_url, self.profile(messages, kind == "weibo_closed_both_account"), JSON_TYPE)
        if kind == "weibo_api_error":
            put(posts_url, {"ok": 0, "msg": self.rng.choice(["请求过于频繁，歇歇吧", "服务器开小差了"])}, JSON_TYPE)
            return
        pages = self.timeline(kind, comments)
        since = str(int(self.uid) * 1000 + 7)
        put(posts_url, self.page(pages[0], since if len(pages) > 1 else None), JSON_TYPE)
        if kind == "weibo_paging_error":
            put(weibo.posts_url(self.uid, since), {"ok": 0, "msg": "请求过于频繁，歇歇吧"}, JSON_TYPE)
        elif len(pages) > 1:
            put(weibo.posts_url(self.uid, since), self.page(pages[1], None), JSON_TYPE)

    def login_wall(self, profile_url: str, posts_url: str) -> None:
        variant = self.rng.choice(["redirect", "visitor", "ok-100"])
        for url in (profile_url, posts_url):
            if variant == "redirect":
                self.owner.manifest[url] = {"status": 302, "headers": {"Location": LOGIN_URL}}
                self.owner.put(LOGIN_URL, LOGIN_PAGE)
            elif variant == "visitor":
                self.owner.put(url, VISITOR_PAGE, HTML_TYPE)
            else:
                self.owner.put(url, {"ok": -100, "url": "https://passport.weibo.cn/signin/welcome?entry=mweibo"},
                               JSON_TYPE)

    def profile(self, messages: str, comments_closed: bool) -> dict:
        uid = int(self.uid)
        info = {**{k: v for k, v in self.user.items() if k != "allow_all_comment"},   # the posts' user may carry it
                "statuses_count": self.rng.randint(10, 9000), "followers_count": f"{self.rng.randint(1, 900)}万"}
        if messages != "silent":
            follow = {"type": "profile_follow", "name": "关注", "params": {"uid": uid},
                      "userInfo": {"id": uid, "idstr": self.uid, "allow_msg": 1 if messages == "open" else 0}}
            chat = {"type": "link", "name": "聊天", "params": {"scheme": f"sinaweibo://messagelist?uid={uid}"}}
            info["toolbar_menus"] = ([chat] if messages == "open" else []) + [follow]
        if comments_closed:
            info["allow_all_comment"] = False
        return {"ok": 1, "data": {"isVideoCoverStyle": 1, "userInfo": info, "profile_ext": f"touid:{uid}"}}

    def timeline(self, kind: str, comments: str) -> list[list[dict]]:
        """The posts of page 1 (and page 2 when paged), newest first after any pinned post."""
        rng = self.rng
        stale = [stale_day(rng) for _ in range(rng.randint(1, 4))]
        near = {"weibo_near_13": 13, "weibo_edge_14": 14, "weibo_near_15": 15}.get(kind)
        if near is not None:
            newest = [AS_OF - timedelta(days=near)]
        elif any(w in kind for w in ("stale", "pinned_only", "group_others")) and kind != "weibo_paging_fresh":
            newest = []
        else:
            newest = [fresh_day(rng)]
        ordinary = [self.post(d, comments, repost=kind == "weibo_repost_only_fresh" and i == 0)
                    for i, d in enumerate(sorted(newest + stale, reverse=True))]
        pinned = []
        if kind.startswith(("weibo_pinned_only", "weibo_paging")) or rng.random() < 0.3:
            pinned_day = fresh_day(rng) if kind != "weibo_paging_fresh" or rng.random() < 0.5 else stale_day(rng)
            pinned = [self.post(pinned_day, comments, pinned=True)]
        decoys = []
        if kind == "weibo_group_others_fresh" or rng.random() < 0.3:
            decoys = [self.others_group()]
        if kind.startswith("weibo_paging"):
            return [decoys + pinned, ordinary]
        return [decoys + pinned + ordinary]

    def post(self, day: date, comments: str, pinned: bool = False, repost: bool = False) -> dict:
        rng = self.rng
        mid = str(4300000000000000 + rng.randrange(10**14))
        blog = {"visible": {"type": 0, "list_id": 0}, "created_at": created_at(rng, day), "id": mid, "mid": mid,
                "bid": f"H{mid[-8:]}", "text": f"{self.a['name']}：工作动态<br />详见 <a href=\"/status/{mid}\">全文</a>",
                "source": "微博 weibo.com", "user": self.user, "reposts_count": rng.randint(0, 9),
                "attitudes_count": rng.randint(0, 50), "isLongText": False, "mblogtype": 0}
        if comments == "open":
            blog.update(rng.choice([{"comments_count": rng.randint(1, 30)},
                                    {"comments_count": 0, "comment_manage_info": {"comment_permission_type": -1,
                                                                                   "approval_comment_type": 0}},
                                    {"comments_count": 0, "enable_comment_guide": True}]))
        else:
            blog.update(comments_count=0, enable_comment_guide=False,
                        comment_manage_info={"comment_permission_type": rng.choice([0, 1, 2]),
                                             "approval_comment_type": 0})
        if pinned:
            blog.update(isTop=1, title={"text": "置顶", "base_color": 1})
        if repost:
            other_id, other_name = rng.choice(OTHER_USERS)
            blog["text"] = "转发微博"
            blog["retweeted_status"] = {"id": str(int(mid) - 99), "created_at": created_at(rng, stale_day(rng)),
                                        "text": "原微博", "user": {"id": other_id, "screen_name": other_name},
                                        "comments_count": 500}
        return {"card_type": 9, "itemid": f"107603{self.uid}_-_{mid}", "scheme": f"https://m.weibo.cn/status/{blog['bid']}",
                "mblog": blog}

    def others_group(self) -> dict:
        """A card_type 11 group of other users' fresh, much-commented posts (recommendations)."""
        cards: list[dict] = [{"card_type": 58, "desc": self.rng.choice(["他们也在看", "热门微博", "为你推荐"])}]
        for _ in range(self.rng.randint(1, 3)):
            other_id, other_name = self.rng.choice(OTHER_USERS)
            mid = str(4300000000000000 + self.rng.randrange(10**14))
            cards.append({"card_type": 9, "itemid": f"hot_-_{mid}", "scheme": f"https://m.weibo.cn/status/O{mid[-8:]}",
                          "mblog": {"created_at": created_at(self.rng, fresh_day(self.rng)), "id": mid, "mid": mid,
                                    "text": "热点", "user": {"id": other_id, "screen_name": other_name},
                                    "comments_count": self.rng.randint(100, 9000)}})
        return {"card_type": 11, "card_group": cards}

    def page(self, cards: list[dict], since_id: str | None) -> dict:
        info = {"containerid": f"107603{self.uid}", "v_p": 42, "show_style": 1, "total": len(cards)}
        if since_id:
            info["since_id"] = int(since_id)
        return {"ok": 1, "data": {"cardlistInfo": info, "cards": cards}}


def fresh_day(rng: random.Random) -> date:
    return AS_OF - timedelta(days=rng.randint(0, WINDOW - 2))


def stale_day(rng: random.Random) -> date:
    return AS_OF - timedelta(days=rng.randint(WINDOW + 2, 400))


def created_at(rng: random.Random, day: date) -> str:
    """A created_at in one of the forms m.weibo.cn prints for that age (now = T at noon)."""
    moment = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(8, 11), minutes=rng.randint(0, 59))
    forms = [moment.strftime("%a %b %d %H:%M:%S +0800 %Y")]
    if day == AS_OF:
        forms += [f"{12 - moment.hour}小时前"]
    elif day == AS_OF - timedelta(days=1):
        forms += [f"昨天 {moment:%H:%M}"]
    elif day.year == AS_OF.year:
        forms += [f"{moment:%m-%d}"]
    else:
        forms += [f"{moment:%Y-%m-%d}"]
    return rng.choice(forms)


def look_alike(rng: random.Random, name: str) -> str:
    """Another account whose name is close to `name`: a suffix, a prefix, or one character dropped."""
    return rng.choice([name + rng.choice(["服务", "服务号", "订阅号", "资讯"]), rng.choice(["掌上", "微", "智慧"]) + name,
                       name[:-1] if len(name) > 3 else name + "网"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    truth = AccountSet(args.seed).write(Path(args.out))
    print(f"{len(truth['accounts'])} accounts written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
