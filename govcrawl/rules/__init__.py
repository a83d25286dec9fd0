"""The inspection rules of 国办秘函〔2019〕19号 (docs/indicators.md): pure functions from a site's stored facts to
findings, and the one verdict of a site (judge.site_verdict).

A rule never parses HTML and never looks at the clock: everything is relative to the monitoring point `as_of`.
One function per indicator code, grouped by module: reachability, columns, interaction, service, review.
"""
from govcrawl.rules.base import FAIL, NOT_APPLICABLE, PASS, UNDECIDED, UNKNOWN, WITHHELD, Finding, Outcome, cadence
from govcrawl.rules.columns import (
    blank_columns, column_class, columns_long_stale, columns_not_updated, homepage_not_updated, links_elsewhere,
)
from govcrawl.rules.facts import (
    ChannelFact, ColumnFacts, EntryFact, FetchAttempt, FooterFacts, GuideFact, LetterFact, LinkFact, ProbeDay, SafetyFact,
    SiteFacts,
)
from govcrawl.rules.interaction import letters_unanswered, no_consultation_channel
from govcrawl.rules.judge import (
    REVIEW_CODES, RULES, VETO_CODES, SiteVerdict, explain_site, judge_site, judge_site_fully, site_passed, site_verdict,
)
from govcrawl.rules.reachability import homepage_url_mismatch, site_unreachable
from govcrawl.rules.review import broken_links, domain_nonconforming, footer_incomplete, future_dated, sitecode_mismatch
from govcrawl.rules.safety import (
    SAFETY_CODES, cloaking_redirect, hidden_links, personal_data, tampered_content, wording_error,
)
from govcrawl.rules.service import guide_elements_missing, no_service
from govcrawl.rules.settings import RuleSettings
from govcrawl.rules.wording import PHRASES, phrase, problems_text

__all__ = [
    "FAIL", "PASS", "NOT_APPLICABLE", "UNKNOWN", "UNDECIDED", "WITHHELD", "judge_site_fully", "site_verdict",
    "SiteVerdict", "column_class", "links_elsewhere", "Finding", "Outcome", "cadence", "RuleSettings",
    "SiteFacts", "ColumnFacts", "EntryFact", "FetchAttempt", "FooterFacts", "GuideFact", "LetterFact", "LinkFact",
    "ProbeDay", "ChannelFact", "judge_site", "explain_site", "site_passed", "phrase", "problems_text", "PHRASES",
    "RULES", "VETO_CODES", "REVIEW_CODES",
    "site_unreachable", "homepage_url_mismatch", "homepage_not_updated", "columns_not_updated", "columns_long_stale",
    "blank_columns", "no_consultation_channel", "letters_unanswered", "no_service", "guide_elements_missing",
    "broken_links", "footer_incomplete", "sitecode_mismatch", "domain_nonconforming", "future_dated",
    "SafetyFact", "SAFETY_CODES", "hidden_links", "cloaking_redirect", "tampered_content", "personal_data",
    "wording_error",
]
