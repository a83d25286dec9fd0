"""Run every rule on one site's facts: site_verdict, the one verdict of a site that the verdict pipeline, `govcrawl
explain`, the report (through the stored verdict) and a distributed merge all take; judge_site (the findings) and
explain_site (every rule's verdict) are views of it."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Callable

from govcrawl.rules.base import FAIL, PASS, UNDECIDED, UNKNOWN, WITHHELD, Finding, Outcome
from govcrawl.rules.columns import (
    blank_columns, columns_long_stale, columns_not_updated, homepage_not_updated, is_stale,
)
from govcrawl.rules.facts import SiteFacts
from govcrawl.rules.interaction import letters_unanswered, no_consultation_channel
from govcrawl.rules.reachability import attempt_ok, homepage_url_mismatch, site_unreachable
from govcrawl.rules.review import (
    broken_links, domain_nonconforming, footer_incomplete, future_dated, sitecode_mismatch, tls_invalid,
)
from govcrawl.rules.safety import cloaking_redirect, hidden_links, personal_data, tampered_content, wording_error
from govcrawl.rules.service import guide_elements_missing, no_service
from govcrawl.rules.settings import RuleSettings

Rule = Callable[[SiteFacts, date, RuleSettings], Outcome]

# (code, rule, veto) in the order of docs/indicators.md.
RULES: tuple[tuple[str, Rule, bool], ...] = (
    ("site_unreachable", site_unreachable, True),
    ("homepage_url_mismatch", homepage_url_mismatch, True),
    ("homepage_not_updated", homepage_not_updated, True),
    ("columns_not_updated", columns_not_updated, True),
    ("columns_long_stale", columns_long_stale, True),
    ("blank_columns", blank_columns, True),
    ("no_consultation_channel", no_consultation_channel, True),
    ("letters_unanswered", letters_unanswered, True),
    ("no_service", no_service, True),
    ("guide_elements_missing", guide_elements_missing, True),
    ("broken_links", broken_links, False),
    ("footer_incomplete", footer_incomplete, False),
    ("sitecode_mismatch", sitecode_mismatch, False),
    ("domain_nonconforming", domain_nonconforming, False),
    ("future_dated", future_dated, False),
    ("tls_invalid", tls_invalid, False),
    # 安全、泄密事故等严重问题: single-veto in 19号 once an inspector confirms them (govcrawl review)
    ("hidden_links", hidden_links, False),
    ("cloaking_redirect", cloaking_redirect, False),
    ("tampered_content", tampered_content, False),
    ("personal_data", personal_data, False),
    ("wording_error", wording_error, False),
)
VETO_CODES = tuple(code for code, _, veto in RULES if veto)
REVIEW_CODES = tuple(code for code, _, veto in RULES if not veto)


def homepage_reached(facts: SiteFacts, s: RuleSettings) -> bool | None:
    """Did the crawl get the homepage content? Content rules are decided only then."""
    if facts.reachable is not None:
        return facts.reachable
    if facts.fetches:
        return any(attempt_ok(a, s) for a in facts.fetches)
    return None


def _outcomes(facts: SiteFacts, as_of: date, s: RuleSettings) -> list[tuple[str, bool, Outcome]]:
    first = site_unreachable(facts, as_of, s)
    results = [("site_unreachable", True, first)]
    reached = homepage_reached(facts, s)
    # An unreachable homepage gets site_unreachable only: nothing else is known, so nothing else passes or fails.
    if first.verdict == FAIL or not reached:
        why = "首页无法访问，未判断" if first.verdict == FAIL or reached is False else "首页访问结果未知，未判断"
        skipped = Outcome(UNKNOWN, why, facts.registered_url, {})
        return results + [(code, veto, skipped) for code, _, veto in RULES[1:]]
    return results + [(code, veto, rule(facts, as_of, s)) for code, rule, veto in RULES[1:]]


# An incomplete site (columns or homepage refused to us) is judged only on what was read: these codes need the
# columns, these the homepage, so they are neither issued nor passed when that part is missing.
NEEDS_COLUMNS = frozenset({"homepage_not_updated", "columns_not_updated", "columns_long_stale", "blank_columns",
                           "no_consultation_channel", "letters_unanswered", "no_service", "guide_elements_missing",
                           "broken_links", "future_dated"})
NEEDS_HOMEPAGE = NEEDS_COLUMNS | {"footer_incomplete", "sitecode_mismatch"}
UNDECIDED_PREFIX = "未能判定："


def _withhold(facts: SiteFacts, outcomes: list[tuple[str, bool, Outcome]]) -> list[tuple[str, bool, Outcome]]:
    """The incomplete-site filter: a fail or pass of a code that needs the part not read becomes WITHHELD."""
    if not facts.crawl_incomplete:
        return outcomes
    homepage_read = any(c.role == "homepage" for c in facts.columns)
    missing, part = (NEEDS_COLUMNS, "部分栏目") if homepage_read else (NEEDS_HOMEPAGE, "首页")
    out = []
    for code, veto, o in outcomes:
        if code in missing and o.verdict in (FAIL, PASS):
            o = Outcome(WITHHELD, f"网站未完成检查（{part}未能读取），此项不据已读部分判定（已读部分：{o.sentence}）",
                        o.evidence_url, o.evidence)
        out.append((code, veto, o))
    return out


def _json_safe(evidence: dict) -> dict:
    return json.loads(json.dumps(evidence, ensure_ascii=False, default=str))


@dataclass
class SiteVerdict:
    """One site's verdict: every rule's outcome, the findings issued, the veto codes left undecided, 合格 or not."""
    outcomes: list[tuple[str, bool, Outcome]]   # (code, veto, outcome) for every rule, in RULES order
    findings: list[Finding]
    undecided: list[dict]                        # {indicator, reason, evidence_url}: what decides it was not read
    passed: bool | None                          # None: not judged (an incomplete site without a veto seen)
    stale: list[str]                             # URLs of the stale columns

    @property
    def undecided_reason(self) -> str | None:
        """The status reason an undecided veto code adds to the site's, e.g. '未能判定：blank_columns（…）'."""
        if not self.undecided:
            return None
        return UNDECIDED_PREFIX + "；".join(f"{u['indicator']}（{u['reason']}）" for u in self.undecided)


def site_verdict(facts: SiteFacts, as_of: date, settings: RuleSettings | None = None) -> SiteVerdict:
    """The verdict of one site from its facts; `evidence` is JSON-serialisable."""
    s = settings or RuleSettings()
    outcomes = _withhold(facts, _outcomes(facts, as_of, s))
    findings = [Finding(code, veto, o.sentence, o.evidence_url, _json_safe(o.evidence))
                for code, veto, o in outcomes if o.verdict == FAIL]
    undecided = [{"indicator": code, "reason": o.sentence, "evidence_url": o.evidence_url}
                 for code, veto, o in outcomes if veto and o.verdict == UNDECIDED]
    vetoed = any(f.veto for f in findings)
    decided = bool(facts.reachable) or any(f.indicator == "site_unreachable" for f in findings)
    if facts.crawl_incomplete:  # a veto from what was read still fails it; else undecided
        decided = vetoed
    if undecided:  # a veto code hangs on what could not be read: no pass; a veto seen elsewhere still fails it
        decided = decided and vetoed
    stale = [c.url for c in facts.columns if c.role == "column" and is_stale(c, as_of, s)]
    return SiteVerdict(outcomes, findings, undecided, site_passed(findings) if decided else None, stale)


def judge_site(facts: SiteFacts, as_of: date, settings: RuleSettings | None = None) -> list[Finding]:
    """The findings that fired (veto and review codes), in RULES order."""
    return site_verdict(facts, as_of, settings).findings


def judge_site_fully(facts: SiteFacts, as_of: date,
                     settings: RuleSettings | None = None) -> tuple[list[Finding], list[dict]]:
    """The findings, and the veto codes left undecided ({indicator, reason}) because what decides them was not read."""
    verdict = site_verdict(facts, as_of, settings)
    return verdict.findings, verdict.undecided


def explain_site(facts: SiteFacts, as_of: date, settings: RuleSettings | None = None) -> list[tuple[str, str, str]]:
    """(code, verdict fail|pass|not-applicable|unknown|undecided|withheld, sentence) for every rule, in RULES order."""
    return [(code, o.verdict, o.sentence) for code, _, o in site_verdict(facts, as_of, settings).outcomes]


def site_passed(findings: list[Finding]) -> bool:
    """合格: no single-veto finding (review codes never fail a site)."""
    return not any(f.veto for f in findings)
