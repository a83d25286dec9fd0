"""Service rules: no_service and guide_elements_missing (docs/indicators.md, "Website single-veto codes").

Both need positive evidence: "no service" a homepage read as a visitor sees it (and no service column that could not
be fetched), "elements missing" guides whose values were on the page. A guide whose labels are there but whose
values a script fills (labels_only) was not read: it counts neither way, and when it could change the outcome the
indicator is UNDECIDED.
"""
from __future__ import annotations

import re
from datetime import date

from govcrawl.rules.base import FAIL, NOT_APPLICABLE, PASS, UNDECIDED, UNKNOWN, Outcome, listed
from govcrawl.rules.columns import fetched, is_unread
from govcrawl.rules.facts import GUIDE_CATEGORY_NAMES, SiteFacts
from govcrawl.rules.settings import RuleSettings
from govcrawl.scope import host_of
from govcrawl.vocabulary import Vocabulary

# Names of a site's own service entry, and of links to a 政务服务网 (一体化在线政务服务平台).
SERVICE_NAME = Vocabulary.load().pattern("service_entries.words")
SERVICE_HOST = re.compile(r"(?:^|[.\-])(?:\w*zwfw\w*|zwdt|wsbs|zxbs|bsdt|banshi|ythbs|onlineservice)(?:[.\-]|$)")


def services_required(facts: SiteFacts) -> bool:
    """The registry says so; when it is silent, portals must offer services."""
    return facts.services if facts.services is not None else facts.kind == "portal"


def no_service(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    if not services_required(facts):
        return Outcome(NOT_APPLICABLE, "登记为无需提供办事服务的网站", facts.homepage_url, {"services": facts.services})
    own = [c for c in facts.columns
           if (c.role == "guides" or SERVICE_NAME.search(c.name or "")) and c.role != "homepage" and fetched(c)]
    links = [k for k in facts.links if k.kind != "broken"
             and (SERVICE_NAME.search(k.text or "") or SERVICE_HOST.search(host_of(k.url)))]
    evidence = {"columns": [{"name": c.name, "url": c.url} for c in own],
                "links": [{"text": k.text, "url": k.url} for k in links]}
    if own:
        return Outcome(PASS, f"提供办事服务栏目：{listed([c.name for c in own], 5)}", own[0].url, evidence)
    if links:
        return Outcome(PASS, f"链接政务服务平台：{links[0].text or links[0].url}", links[0].url, evidence)
    if not facts.columns and not facts.links:
        return Outcome(UNKNOWN, "未读取到栏目和链接，无法判断办事服务", facts.homepage_url, evidence)
    unread = [c for c in facts.columns if SERVICE_NAME.search(c.name or "") and is_unread(c) and not fetched(c)]
    if unread:
        names = listed([f"{c.name}（{c.read_reason or '未能读取'}）" for c in unread], 5)
        return Outcome(UNDECIDED, f"办事服务栏目未能打开：{names}",
                       unread[0].url, evidence)
    if facts.homepage_unread:
        return Outcome(UNDECIDED, f"未发现办事服务栏目或政务服务网链接，但{facts.homepage_unread}", facts.homepage_url, evidence)
    return Outcome(FAIL, "未提供办事服务（网站无办事服务栏目，也未链接政务服务网）", facts.homepage_url, evidence)


def guide_elements_missing(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    guides = [g for g in facts.guides if not g.labels_only]
    unread = [g for g in facts.guides if g.labels_only]
    rows = [{"url": g.url, "title": g.title, "missing": g.missing} for g in guides]
    bad = [r for r in rows if len(r["missing"]) >= s.guide_missing_min]
    evidence = {"sampled": len(guides), "failing": len(bad), "threshold": s.guide_missing_min,
                "share": s.guide_fail_share, "guides": rows, "unread": [g.url for g in unread]}
    if not guides and not unread:
        if services_required(facts):
            return Outcome(UNKNOWN, "未抽取到办事指南", facts.homepage_url, evidence)
        return Outcome(NOT_APPLICABLE, "网站无办事指南", facts.homepage_url, evidence)
    share = len(bad) / (len(guides) + len(unread))  # as if every unread guide were complete
    if unread and (len(bad) + len(unread)) / (len(guides) + len(unread)) >= s.guide_fail_share - 1e-9 \
            and not (bad and share >= s.guide_fail_share - 1e-9):
        return Outcome(UNDECIDED, f"抽查办事指南{len(guides) + len(unread)}个，其中{len(unread)}个要素值由脚本填充未能读取，"
                                  f"已读{len(guides)}个中缺失{s.guide_missing_min}类及以上的{len(bad)}个", unread[0].url, evidence)
    if bad and share >= s.guide_fail_share - 1e-9:
        parts = [f"《{r['title'] or r['url']}》缺{'、'.join(GUIDE_CATEGORY_NAMES[c] for c in r['missing'])}" for r in bad]
        return Outcome(FAIL, f"办事指南重点要素类别(办理材料、办理地点、办理机构、收费标准、办理时间)均缺失{s.guide_missing_min}类及以上"
                             f"（抽查{len(guides)}个，{len(bad)}个缺失：{listed(parts, 5)}）", bad[0]["url"], evidence)
    return Outcome(PASS, f"抽查办事指南{len(guides)}个，缺失{s.guide_missing_min}类及以上的{len(bad)}个",
                   (bad[0]["url"] if bad else guides[0].url), evidence)
