"""Codes reported for review, never a veto: broken_links, footer_incomplete, sitecode_mismatch,
domain_nonconforming, future_dated (docs/indicators.md, "Website review codes")."""
from __future__ import annotations

import ipaddress
import re
from datetime import date
from urllib.parse import urlsplit

from govcrawl.rules.base import FAIL, NOT_APPLICABLE, PASS, UNKNOWN, Outcome, iso, listed
from govcrawl.rules.facts import SiteFacts
from govcrawl.rules.settings import RuleSettings
from govcrawl.scope import host_of, normalize_url, registered_domain, strip_www

GOV_SUFFIXES = (".gov.cn", ".政务", ".xn--zfr164b")  # .政务 also in punycode


def _page_key(url: str) -> tuple[str, str]:
    """A page for comparison: host without www., path without index.html; scheme ignored."""
    try:
        path = urlsplit(normalize_url(url)).path if url else ""
    except ValueError:  # an unparseable URL is compared as text
        return url, ""
    return strip_www(host_of(url)), re.sub(r"(?:index|default)\.\w+$", "", path, flags=re.I) or "/"


def broken_links(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    homes = {_page_key(u) for u in (facts.registered_url, facts.final_url) if u}
    broken = [k for k in facts.links if k.kind == "broken"]
    on_home = [k for k in broken if _page_key(k.from_url) in homes]
    elsewhere = [k for k in broken if k not in on_home]
    evidence = {"homepage": [{"from": k.from_url, "url": k.url, "text": k.text, "status": k.status} for k in on_home],
                "other_pages": [{"from": k.from_url, "url": k.url, "text": k.text, "status": k.status} for k in elsewhere]}
    counts = f"首页{len(on_home)}个，其他页面{len(elsewhere)}个"
    if len(broken) < max(s.broken_links_min, 1):
        return Outcome(PASS, f"不可用链接{len(broken)}个（{counts}）", facts.homepage_url, evidence)
    first = (on_home or elsewhere)[0]
    names = listed([f"{k.text or k.url}（{k.status or '无响应'}）" for k in on_home + elsewhere], 10)
    return Outcome(FAIL, f"存在不可用链接{len(broken)}个（{counts}）：{names}", first.from_url, evidence)


FOOTER_ITEMS = (
    ("site_code_text", "网站标识码"), ("icp", "ICP备案号"), ("police_record", "公安机关备案号"),
    ("conac", "党政机关网站标识"), ("sponsor", "主办单位"), ("contact", "联系方式"), ("jiucuo", "我为政府网站找错"),
)


def footer_incomplete(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    footer = facts.footer
    if footer is None:
        return Outcome(UNKNOWN, "未读取首页底部信息", facts.homepage_url, {})
    present = {key: bool(getattr(footer, key, None)) for key, _ in FOOTER_ITEMS if key != "jiucuo"}
    present["jiucuo"] = bool(footer.jiucuo_script or footer.jiucuo_sitecode)
    missing = [name for key, name in FOOTER_ITEMS if not present[key]]
    evidence = {"present": present, "missing": missing}
    if missing:
        return Outcome(FAIL, f"网站底部信息不完整，缺少{'、'.join(missing)}", facts.homepage_url, evidence)
    return Outcome(PASS, "网站底部信息齐全", facts.homepage_url, evidence)


def sitecode_mismatch(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    footer = facts.footer
    if footer is None:
        return Outcome(UNKNOWN, "未读取首页底部信息", facts.homepage_url, {})
    found = {where: code.strip() for where, code in (("footer", footer.site_code_text), ("jiucuo", footer.jiucuo_sitecode),
                                                     ("meta", footer.meta_sitecode)) if code and code.strip()}
    evidence = {"registry": facts.site_code, "found": found}
    if not found:
        return Outcome(NOT_APPLICABLE, "页面未标注网站标识码", facts.homepage_url, evidence)
    wrong = {where: code for where, code in found.items() if code.lower() != facts.site_code.strip().lower()}
    if wrong:
        places = {"footer": "页面底部", "jiucuo": "找错脚本", "meta": "SiteIDCode元数据"}
        shown = "，".join(f"{places[w]}为{c}" for w, c in wrong.items())
        return Outcome(FAIL, f"网站标识码与填报信息不一致：填报{facts.site_code}，{shown}", facts.homepage_url, evidence)
    return Outcome(PASS, f"网站标识码{facts.site_code}与填报一致", facts.homepage_url, evidence)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def domain_nonconforming(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    """A department site hosted on its portal's own host (a portal sub-site) is accepted as conforming."""
    host = host_of(facts.homepage_url)
    portal = strip_www(host_of(facts.portal_url)) if facts.portal_url else ""
    evidence = {"host": host, "portal_host": portal or None, "kind": facts.kind}
    if not host:
        return Outcome(UNKNOWN, "无网站地址", facts.homepage_url, evidence)
    problems = []
    if _is_ip(host) or not host.endswith(GOV_SUFFIXES):
        problems.append(f"域名{host}不在.gov.cn或.政务下")
    if facts.kind == "department" and portal and portal != strip_www(host) and not host.endswith("." + portal):
        problems.append(f"部门网站域名{host}不是门户网站域名{portal}的下级域名")
    elif facts.kind == "department" and not portal and strip_www(host) == registered_domain(host) \
            and host.endswith(GOV_SUFFIXES) and urlsplit(facts.registered_url).path.strip("/") == "":
        # (a department registered under a path is a sub-site of the host it lives on, which is allowed)
        # 国办发〔2017〕47号: departments use <dept>.<region>.gov.cn, never a domain of their own
        problems.append(f"部门网站使用独立域名{strip_www(host)}，未使用本级政府门户网站的下级域名")
    evidence["problems"] = problems
    if problems:
        return Outcome(FAIL, "网站域名不符合规范：" + "；".join(problems), facts.homepage_url, evidence)
    return Outcome(PASS, f"域名{host}符合规范", facts.homepage_url, evidence)


def future_dated(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    seen: dict[str, object] = {}
    for entry in facts.homepage_entries + facts.future_entries:
        if entry.date is not None and entry.date > as_of:
            seen.setdefault(entry.url or entry.title, entry)
    future = sorted(seen.values(), key=lambda e: (e.date, e.title), reverse=True)
    evidence = {"entries": [{"title": e.title, "url": e.url, "date": iso(e.date), "column_url": e.column_url}
                            for e in future]}
    if not future:
        return Outcome(PASS, "未发现发布日期晚于监测时间点的信息", facts.homepage_url, evidence)
    names = listed([f"{e.title}（{iso(e.date)}）" for e in future], 10)
    return Outcome(FAIL, f"存在发布日期晚于监测时间点{iso(as_of)}的信息{len(future)}条：{names}",
                   future[0].column_url or future[0].url, evidence)


def tls_invalid(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    """The site answered over https with a certificate that does not verify: reported, the site is still inspected."""
    url = facts.final_url or facts.registered_url
    if not url.startswith("https:") and not facts.registered_url.startswith("https:"):
        return Outcome(NOT_APPLICABLE, "网站未使用HTTPS", url, {})
    if facts.tls_problem:
        return Outcome(FAIL, f"网站HTTPS证书无效：{facts.tls_problem}", url, {"tls_problem": facts.tls_problem})
    return Outcome(PASS, "HTTPS证书有效", url, {})
