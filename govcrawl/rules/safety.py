"""Content-safety review codes (19号 安全、泄密事故等严重问题): hidden_links, cloaking_redirect, tampered_content,
personal_data, wording_error (docs/indicators.md, "Content-safety codes"). Each is found with its evidence and decided by a person (govcrawl review): none of them
fails a site on the crawler's say-so. A finding's `key` identifies it across runs, so a decision carries over."""
from __future__ import annotations

import difflib
import hashlib
from datetime import date

from govcrawl.extract.vocabulary import safety_terms
from govcrawl.rules.base import FAIL, PASS, UNKNOWN, Outcome, listed
from govcrawl.rules.facts import SafetyFact, SiteFacts
from govcrawl.rules.settings import RuleSettings
from govcrawl.scope import host_of

GOV_SUFFIXES = (".gov.cn", ".政务", ".xn--zfr164b")
SAFETY_CODES = ("hidden_links", "cloaking_redirect", "tampered_content", "personal_data", "wording_error")
KIND_NAMES = {"id_number": "身份证号", "mobile": "手机号", "bank_card": "银行卡号"}


def finding_key(items: list[str]) -> str:
    """A finding's identity within (site, code): the digest of what it is about (link targets, masked values, wrong
    forms with their pages), so the same finding in a later run gets the same key and an inspector's decision."""
    return hashlib.sha1("\n".join(sorted(set(items))).encode()).hexdigest()[:16]


def _facts(facts: SiteFacts, code: str) -> list[SafetyFact]:
    return [x for x in facts.safety if x.code == code]


def _found(sentence: str, url: str, items: list[dict], keys: list[str]) -> Outcome:
    return Outcome(FAIL, sentence, url, {"items": items, "finding_key": finding_key(keys)})


def is_government_host(host: str) -> bool:
    return host.endswith(GOV_SUFFIXES)


def hidden_links(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    """A link hidden from visitors whose target is off government domains and named by the vocabulary of gambling,
    lottery or pornography (in its anchor text or address). A hidden link to a government site is a near miss."""
    terms = safety_terms()
    items, near = [], []
    for x in _facts(facts, "hidden_links"):
        ev = x.evidence
        found = terms.found(f"{ev.get('text', '')} {x.key}")
        row = {"page": x.url, "target": x.key, "host": ev.get("host") or host_of(x.key), "text": ev.get("text", ""),
               "why": ev.get("why", ""), "categories": sorted(found), "terms": sorted({t for v in found.values() for t in v})}
        (items if found and not is_government_host(row["host"]) else near).append(row)
    if not items:
        return Outcome(PASS, f"所读页面未发现指向赌博、彩票、色情网站的隐藏链接（隐藏的其他链接{len(near)}个）",
                       facts.homepage_url, {"not_counted": near})
    names = listed([f"{i['text'] or i['host']}（{i['host']}，{'、'.join(i['categories'])}，{i['why']}）" for i in items], 10)
    return _found(f"页面存在隐藏链接{len(items)}个，指向{names}", items[0]["page"], items,
                  [i["target"] for i in items])


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if (a or b) else 1.0


def cloaking_redirect(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    """The homepage fetched again as a search engine sees it (its Referer, its spider's User-Agent): a redirect to
    another host or a substantially different page is the finding; so is a script that sends such visitors away.
    A refused or failed second fetch decides nothing."""
    compared = _facts(facts, "cloaking_redirect")
    if not compared:
        return Outcome(UNKNOWN, "未以搜索引擎身份访问首页，未判断", facts.homepage_url, {})
    items, checked = [], []
    for x in compared:
        ev = x.evidence
        if x.key == "script":
            items.append({"page": x.url, "as": "script", "why": "页面脚本按来源跳转", "script": ev.get("script", "")})
            continue
        normal, variant = ev.get("normal") or {}, ev.get("variant") or {}
        if not variant or (ev.get("status") or 0) >= 400 or ev.get("error"):
            checked.append({"as": x.key, "compared": False, "status": ev.get("status"), "error": ev.get("error")})
            continue
        moved = host_of(variant.get("url", "")) != host_of(normal.get("url", ""))
        ratio = round(_similarity(normal.get("text", ""), variant.get("text", "")), 2)
        row = {"page": x.url, "as": x.key, "similarity": ratio, "normal": normal, "variant": variant}
        if moved:
            items.append({**row, "why": f"跳转至{host_of(variant.get('url', ''))}"})
        elif ratio < s.cloaking_similarity:
            items.append({**row, "why": f"页面内容与正常访问不同（相似度{ratio}）"})
        else:
            checked.append({"as": x.key, "compared": True, "similarity": ratio})
    if not items:
        if not any(c.get("compared") for c in checked):
            return Outcome(UNKNOWN, "以搜索引擎身份访问首页未获得页面，未判断", facts.homepage_url, {"checked": checked})
        return Outcome(PASS, "以搜索引擎身份访问首页与正常访问一致", facts.homepage_url, {"checked": checked})
    shown = {"referer": "来自搜索引擎的访问", "user-agent": "搜索引擎爬虫", "script": "首页脚本"}
    names = "；".join(f"{shown.get(i['as'], i['as'])}：{i['why']}" for i in items)
    return _found(f"首页对搜索引擎访问者显示不同内容或跳转（{names}）", items[0]["page"], items,
                  [f"{i['as']} {i.get('variant', {}).get('url', '')}" for i in items])


def tampered_content(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    """A page whose title carries gambling/lottery/pornography terms, or whose text carries ≥ N distinct ones, with
    no word of a lawful text about them (打击、整治、严禁…): its content has been replaced."""
    items = []
    for x in _facts(facts, "tampered_content"):
        ev = x.evidence
        if ev.get("title_terms") and not ev.get("lawful_title"):
            items.append({"page": x.url, "where": "标题", "title": ev.get("title", ""), "terms": ev["title_terms"]})
        elif len(ev.get("body_terms") or []) >= s.tampered_min_terms and not ev.get("lawful_text"):
            items.append({"page": x.url, "where": "正文", "title": ev.get("title", ""), "terms": ev["body_terms"],
                          "excerpt": ev.get("excerpt", "")})
    if not items:
        return Outcome(PASS, "所读页面未发现被篡改为赌博、色情内容的页面", facts.homepage_url, {})
    names = listed([f"{i['title'] or i['page']}（{i['where']}含{'、'.join(i['terms'][:5])}）" for i in items], 5)
    return _found(f"页面内容疑似被篡改{len(items)}处：{names}", items[0]["page"], items,
                  [i["page"] for i in items])


def personal_data(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    """Resident ID numbers (valid check digit), mobile numbers next to names, bank card numbers (Luhn) in the pages
    read; shown masked with their surrounding words."""
    items = [{"page": x.url, "kind": x.evidence.get("kind", ""), "masked": x.evidence.get("masked", ""),
              "context": x.evidence.get("context", "")} for x in _facts(facts, "personal_data")]
    if not items:
        return Outcome(PASS, "所读页面未发现公开的个人身份证号、手机号、银行卡号", facts.homepage_url, {})
    counts = {}
    for i in items:
        counts[KIND_NAMES.get(i["kind"], i["kind"])] = counts.get(KIND_NAMES.get(i["kind"], i["kind"]), 0) + 1
    shown = "、".join(f"{k}{n}个" for k, n in counts.items())
    return _found(f"页面公开个人信息：{shown}（{items[0]['context']}）", items[0]["page"], items,
                  [f"{i['page']} {i['masked']}" for i in items])


def wording_error(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    """A wrong form of the vocabulary file (名称、职务、提法) in the text of a page read."""
    items = [{"page": x.url, **x.evidence} for x in _facts(facts, "wording_error")]
    if not items:
        return Outcome(PASS, "所读页面未发现词表所列严重表述错误", facts.homepage_url, {})
    names = listed([f"“{i['wrong']}”应为“{i['right']}”" for i in items], 5)
    return _found(f"页面存在严重表述错误{len(items)}处：{names}", items[0]["page"], items,
                  [f"{i['page']} {i['wrong']}" for i in items])
