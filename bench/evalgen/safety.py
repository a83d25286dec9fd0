"""Content-safety cases of a generated province (issue 17): for each review code, sites built to raise it and sites
built as its near miss, injected into the rendered (already perturbed) pages so the markup is what a hacked or
careless site serves. The truth is the generator's intent: which code each case must raise, never a crawl.

hidden_links       fire: a gambling/lottery/pornography link to a non-government host, hidden one of nine ways
                   miss: a lottery authority's government site linked (hidden menu or visible), a neutral hidden link
tampered_content   fire: title replaced, or a block of gambling/pornography text shown
                   miss: a lawful notice about gambling (打击/严禁 …), a title on a lottery authority's work
personal_data      fire: a resident ID (valid check digit) with a name, a mobile next to a name, a card after 银行卡号
                   miss: an ID with a wrong check digit or an impossible birth date, a hotline, a card failing Luhn
wording_error      fire: a wrong form of a state/organ/title name     miss: the right form
cloaking_redirect  fire: Baiduspider gets a casino page, or Baidu visitors a 302 off the site, or a referrer script
                   miss: the spider gets the same page with one more news line, or a 403 (a WAF refusing fake spiders)
"""
from __future__ import annotations

import random
import re
from html import escape
from urllib.parse import urlsplit

from govcrawl.replay.store import relative_file

from .model import Site

CODES = ("hidden_links", "cloaking_redirect", "tampered_content", "personal_data", "wording_error")
CASES_PER_MODE = 2   # fire and near-miss sites per code

GAMBLING = ["澳门威尼斯人官网", "百家乐真人娱乐", "皇冠体育投注", "澳门新葡京娱乐场", "太阳城娱乐", "bet365体育在线",
            "金沙娱乐城", "德州扑克在线", "开元棋牌游戏"]
LOTTERY = ["北京赛车pk10计划", "重庆时时彩开奖", "香港六合彩资料", "幸运飞艇开奖", "彩票平台注册", "快三购彩"]
PORN = ["成人视频在线", "成人影院", "伦理片免费看", "裸聊交友"]
BAD_HOSTS = ["www.vns{n}.com", "www.{n}bjl.net", "www.hg{n}.cc", "{n}.amxpj.com", "www.pk10{n}.top", "www.av{n}.xyz"]
GOV_LOTTERY = [("福利彩票发行中心", "flcp.{abbr}.gov.cn"), ("体育彩票管理中心", "tycp.{abbr}.gov.cn")]
NEUTRAL = [("人民网", "www.people.com.cn"), ("新华网", "www.xinhuanet.com")]
WORDING = [("中华人民共合国", "中华人民共和国"), ("国务院总里", "国务院总理"), ("中国共产觉", "中国共产党"),
           ("全国人大常委会主席", "全国人大常委会委员长"), ("台湾总统", "台湾地区领导人")]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = ["建国", "秀英", "桂兰", "志强", "丽", "伟", "芳", "海燕"]
# (body, head) templates: {a} the anchor, {cls} a class or id, {far} pixels off-screen, {h} a marquee height
HIDING = [
    ('<div style="display:none">{a}</div>', ""),
    ('<span style="visibility: hidden">{a}</span>', ""),
    ('<div style="position:absolute;left:-{far}px;top:0">{a}</div>', ""),
    ('<p style="text-indent:-{far}px;overflow:hidden">{a}</p>', ""),
    ('<font style="font-size:0px">{a}</font>', ""),
    ('<div style="height:0;overflow:hidden">{a}</div>', ""),
    ('<marquee height="{h}" width="1" scrollamount="9999">{a}</marquee>', ""),
    ('<div class="{cls}">{a}</div>', "<style>.{cls}{{position:absolute;top:-{far}px}}</style>"),
    ('<div id="{cls}">{a}</div>', "<style>#{cls} {{ display: none }}</style>"),
]
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def _luhn_digit(body: str) -> str:
    def ok(number: str) -> bool:
        total = 0
        for i, ch in enumerate(reversed(number)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        return total % 10 == 0
    return next(d for d in "0123456789" if ok(body + d))


class Cases:
    def __init__(self, seed: int):
        self.rng = random.Random(f"safety:{seed}")

    # -- values ----------------------------------------------------------------------------------------
    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def id_number(self, valid: bool = True) -> str:
        r = self.rng
        body = f"43{r.randint(1, 13):02d}{r.randint(1, 30):02d}{r.randint(1940, 2005)}{r.randint(1, 12):02d}" \
               f"{r.randint(1, 28):02d}{r.randint(0, 999):03d}"
        right = _check(body)
        return body + (right if valid else r.choice([c for c in "0123456789X" if c != right]))

    def mobile(self) -> str:
        return f"1{self.rng.choice('3456789')}{self.rng.randint(0, 999999999):09d}"

    def card(self, valid: bool = True) -> str:
        body = "62" + "".join(str(self.rng.randint(0, 9)) for _ in range(self.rng.choice([14, 16])))
        right = _luhn_digit(body)
        return body + (right if valid else str((int(right) + 1) % 10))

    def bad_link(self) -> tuple[str, str]:
        text = self.rng.choice(self.rng.choice([GAMBLING, LOTTERY, PORN]))
        host = self.rng.choice(BAD_HOSTS).format(n=self.rng.randint(100, 9999))
        return text, f"http://{host}/"

    def hide(self, anchor: str) -> tuple[str, str]:
        """(body markup, head markup) hiding `anchor` one of the ways seen on hacked sites."""
        r = self.rng
        body, head = r.choice(HIDING)
        values = {"a": anchor, "cls": f"k{r.randint(10, 99)}", "far": r.randint(800, 9999), "h": r.choice([0, 1])}
        return body.format(**values), head.format(**values)

    # -- cases: (where, body, head, title, manifest) --------------------------------------------------
    def case(self, site: Site, code: str, fire: bool) -> dict:
        r, abbr = self.rng, site.host.split(".")[-3] if site.host.count(".") >= 3 else "sheng"
        out = {"where": r.choice(["home", "home", "column"]), "body": "", "head": "", "title": None, "manifest": {}}
        if code == "hidden_links":
            if fire:
                text, url = self.bad_link()
                out["body"], out["head"] = self.hide(f'<a href="{url}" target="_blank">{escape(text)}</a>')
            else:
                variant = r.randrange(3)
                name, host = r.choice(GOV_LOTTERY) if variant < 2 else r.choice(NEUTRAL)
                anchor = f'<a href="http://{host.format(abbr=abbr)}/">{escape(name)}</a>'
                out["body"], out["head"] = (self.hide(anchor) if variant != 1
                                            else (f'<div class="yqlj">友情链接：{anchor}</div>', ""))
        elif code == "tampered_content":
            if fire and r.random() < 0.5:
                out["title"] = "_".join(r.sample([t for t in GAMBLING + PORN if len(t) > 3], 3))
            elif fire:
                words = "，".join(r.sample(GAMBLING, 3) + r.sample(LOTTERY, 1))
                out["body"] = f'<div class="gg"><h2>{escape(r.choice(GAMBLING))}</h2><p>{escape(words)}，注册即送彩金。</p></div>'
            elif r.random() < 0.5:
                words = "、".join(r.sample(["百家乐", "六合彩", "时时彩", "网络赌博", "赌场"], 3))
                out["body"] = (f'<div class="notice"><p>关于严厉打击{escape(words)}等违法犯罪活动的通告：严禁任何单位和个人'
                               f'组织、参与赌博活动，欢迎广大群众举报。</p></div>')
            else:
                out["title"] = f"{r.choice(GOV_LOTTERY)[0]}开展福利彩票公益金使用情况公示"
        elif code == "personal_data":
            kind = r.choice(["id", "mobile", "card"])
            who = self.name()
            if fire:
                value = {"id": f"身份证号：{self.id_number()}", "mobile": f"联系电话：{self.mobile()}",
                         "card": f"银行卡号：{self.card()}"}[kind]
            else:
                value = {"id": f"证书编号：{self.id_number(valid=False)}", "mobile": f"服务热线：{self.mobile()}",
                         "card": f"银行卡号：{self.card(valid=False)}"}[kind]
                who = "" if kind == "mobile" else who
            label = "申请人" if who else "咨询"
            out["body"] = f'<div class="gs"><p>临时救助公示：{label}{who}，{value}，公示期七天。</p></div>'
        elif code == "wording_error":
            wrong, right = r.choice(WORDING)
            out["body"] = f'<div class="txt"><p>深入学习宣传贯彻{escape(wrong if fire else right)}有关要求，推进各项工作。</p></div>'
        elif code == "cloaking_redirect":
            out["where"] = "home"
            home = f"{site.base}{site.home_path}"
            variant = r.randrange(3)
            if fire and variant == 0:
                cloak = f"{site.base}/@cloak/{r.randint(1, 999)}.html"
                title = r.choice(GAMBLING)
                out["pages"] = {cloak: (f"<html><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
                                        f"<body><h1>{escape(title)}</h1><p>{escape('，'.join(r.sample(GAMBLING, 3)))}</p>"
                                        "</body></html>\n")}
                out["manifest"] = {f"{home}#as-spider": {"file": relative_file(cloak),
                                                         "content_type": "text/html;charset=UTF-8"}}
            elif fire and variant == 1:
                out["manifest"] = {f"{home}#from-search": {"status": 302,
                                                           "headers": {"Location": self.bad_link()[1]}}}
            elif fire:
                out["body"] = ('<script type="text/javascript">var ref = document.referrer.toLowerCase();'
                               'if (ref.indexOf("baidu") > -1 || ref.indexOf("sogou") > -1) {'
                               f'window.location.href = "{self.bad_link()[1]}";}}</script>')
            elif variant == 0:
                out["same_page_plus"] = "<li>今日更新：工作简报一则</li>"
            else:
                out["manifest"] = {f"{home}#as-spider": {"status": 403, "file": None}}
        return out


def plan(seed: int, sites: list[Site]) -> dict[str, list[tuple[str, bool]]]:
    """site code -> [(code, fires)]: CASES_PER_MODE sites fire each code and as many carry its near miss."""
    rng = random.Random(f"safety-plan:{seed}")
    reachable = [s for s in sites if not s.unreachable]
    out: dict[str, list[tuple[str, bool]]] = {}
    for code in CODES:
        for fires in (True, False):
            for site in rng.sample(reachable, min(CASES_PER_MODE, len(reachable))):
                if not any(c == code for c, _ in out.get(site.code, [])):
                    out.setdefault(site.code, []).append((code, fires))
    return out


def inject(seed: int, sites: list[Site], plans: dict[str, list[tuple[str, bool]]], rendered) -> None:
    """Apply the planned cases to the rendered pages and manifest (`rendered`: families.base.Output)."""
    cases = Cases(seed)
    for site in sites:
        for code, fires in plans.get(site.code, []):
            case = cases.case(site, code, fires)
            url = _target(site, case["where"], rendered.pages, cases.rng)
            html = rendered.pages[url]
            if case["title"]:
                html = re.sub(r"<title>.*?</title>", f"<title>{escape(case['title'])}</title>", html, count=1, flags=re.S)
            if case["head"]:
                html = html.replace("</head>", case["head"] + "</head>", 1)
            if case["body"]:
                html = html.replace("</body>", case["body"] + "\n</body>", 1)
            rendered.pages[url] = html
            if case.get("same_page_plus"):   # the spider's page: the homepage and one more line
                plus = f"{site.base}/@cloak/same.html"
                case["pages"] = {plus: html.replace("</body>", case["same_page_plus"] + "</body>", 1)}
                case["manifest"] = {f"{url}#as-spider": {"file": relative_file(plus),
                                                        "content_type": "text/html;charset=UTF-8"}}
            for page_url, text in case.get("pages", {}).items():
                rendered.pages[page_url] = text
            rendered.manifest.update(case["manifest"])


def _target(site: Site, where: str, pages: dict[str, str], rng: random.Random) -> str:
    home = f"{site.base}{site.home_path}"
    lists = [c.url for c in site.columns if c.shape == "list" and c.url in pages and "</body>" in pages[c.url]]
    if where == "column" and lists:
        return rng.choice(lists)
    if home in pages:
        return home
    return next(u for u in pages if urlsplit(u).hostname == site.host and "</body>" in pages[u])


def truth(plans: dict[str, list[tuple[str, bool]]], code: str) -> dict:
    """The safety part of a site's truth: review codes it must raise, codes it must stay silent on."""
    mine = plans.get(code, [])
    return {"review_safety": sorted(c for c, fires in mine if fires),
            "safety_near_miss": sorted(c for c, fires in mine if not fires)}
