"""Run every rule on one site's facts: judge_site (findings that fired) and explain_site (every rule's verdict)."""
from __future__ import annotations

import json
from datetime import date
from typing import Callable

from govcrawl.rules.base import FAIL, UNDECIDED, UNKNOWN, Finding, Outcome
from govcrawl.rules.columns import blank_columns, columns_long_stale, columns_not_updated, homepage_not_updated
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


def _json_safe(evidence: dict) -> dict:
    return json.loads(json.dumps(evidence, ensure_ascii=False, default=str))


def judge_site(facts: SiteFacts, as_of: date, settings: RuleSettings | None = None) -> list[Finding]:
    """The findings that fired (veto and review codes), in RULES order. `evidence` is JSON-serialisable."""
    return judge_site_fully(facts, as_of, settings)[0]


def judge_site_fully(facts: SiteFacts, as_of: date,
                     settings: RuleSettings | None = None) -> tuple[list[Finding], list[dict]]:
    """The findings, and the veto codes left undecided ({indicator, reason}) because what decides them was not read."""
    s = settings or RuleSettings()
    outcomes = _outcomes(facts, as_of, s)
    findings = [Finding(code, veto, o.sentence, o.evidence_url, _json_safe(o.evidence))
                for code, veto, o in outcomes if o.verdict == FAIL]
    undecided = [{"indicator": code, "reason": o.sentence, "evidence_url": o.evidence_url}
                 for code, veto, o in outcomes if veto and o.verdict == UNDECIDED]
    return findings, undecided


def explain_site(facts: SiteFacts, as_of: date, settings: RuleSettings | None = None) -> list[tuple[str, str, str]]:
    """(code, verdict fail|pass|not-applicable|unknown, evidence sentence) for every rule, in RULES order."""
    s = settings or RuleSettings()
    return [(code, o.verdict, o.sentence) for code, _, o in _outcomes(facts, as_of, s)]


def site_passed(findings: list[Finding]) -> bool:
    """合格: no single-veto finding (review codes never fail a site)."""
    return not any(f.veto for f in findings)
