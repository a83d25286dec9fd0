"""Every window and threshold of the rules, with the defaults of 国办秘函〔2019〕19号 (docs/indicators.md)."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable

_PREFIX = "GOVCRAWL_"


@dataclass
class RuleSettings:
    """Rule windows and thresholds. Each field is read from the setting named GOVCRAWL_<FIELD IN UPPER CASE>:

    | setting | type | default | meaning |
    |---|---|---|---|
    | GOVCRAWL_HOMEPAGE_WINDOW_DAYS | int | 14 | homepage_not_updated: an entry dated on/after T − N days is an update |
    | GOVCRAWL_NEWS_WINDOW_DAYS | int | 14 | window of news columns (动态、要闻类) |
    | GOVCRAWL_NOTICE_WINDOW_MONTHS | int | 6 | window of notice/policy columns (通知公告、政策文件类), calendar months |
    | GOVCRAWL_PERIODIC_WINDOW_MONTHS | int | 12 | window of other updatable columns, calendar months |
    | GOVCRAWL_COLUMNS_NOT_UPDATED_MIN | int | 5 | columns_not_updated fails at ≥ N columns |
    | GOVCRAWL_COLUMNS_LONG_STALE_MIN | int | 10 | columns_long_stale fails at ≥ N columns |
    | GOVCRAWL_BLANK_COLUMNS_MIN | int | 5 | blank_columns fails at ≥ N columns |
    | GOVCRAWL_LETTERS_WINDOW_MONTHS | int | 12 | letters_unanswered looks at letters asked in [T − N months, T] |
    | GOVCRAWL_LETTERS_REPLY_MONTHS | int | 3 | a reply later than N months after 来信时间 (or none by then) fails |
    | GOVCRAWL_GUIDE_MISSING_MIN | int | 4 | a guide "misses" when ≥ N of the 5 key categories are absent |
    | GOVCRAWL_GUIDE_FAIL_SHARE | float | 1.0 | guide_elements_missing fails when this share of sampled guides misses (1.0 = every one) |
    | GOVCRAWL_UNREACHABLE_TIMEOUT_S | float | 15 | a homepage attempt slower than this is a failure |
    | GOVCRAWL_PROBE_FAILURE_RATIO | float | 0.05 | monitor mode: failed/all probes ≥ this fails site_unreachable |
    | GOVCRAWL_PROBES_PER_DAY_MIN | int | 20 | monitor mode: a day counts when it has ≥ N probes |
    | GOVCRAWL_PROBE_DAYS | int | 7 | monitor mode needs this many counted days before T, else the crawl attempts decide |
    | GOVCRAWL_BROKEN_LINKS_MIN | int | 1 | broken_links is reported at ≥ N broken links |
    | GOVCRAWL_TAMPERED_MIN_TERMS | int | 3 | tampered_content: a page whose text holds ≥ N distinct gambling/pornography terms (and no lawful context) |
    | GOVCRAWL_CLOAKING_SIMILARITY | float | 0.5 | cloaking_redirect: the homepage seen as a search engine is "substantially different" below this text similarity |
    """

    homepage_window_days: int = 14
    news_window_days: int = 14
    notice_window_months: int = 6
    periodic_window_months: int = 12
    columns_not_updated_min: int = 5
    columns_long_stale_min: int = 10
    blank_columns_min: int = 5
    letters_window_months: int = 12
    letters_reply_months: int = 3
    guide_missing_min: int = 4
    guide_fail_share: float = 1.0
    unreachable_timeout_s: float = 15.0
    probe_failure_ratio: float = 0.05
    probes_per_day_min: int = 20
    probe_days: int = 7
    broken_links_min: int = 1
    tampered_min_terms: int = 3
    cloaking_similarity: float = 0.5

    @classmethod
    def from_settings(cls, getter: Callable[[str], Any]) -> "RuleSettings":
        """Build from a lookup such as `scrapy_settings.get` or `os.environ.get`; None/'' keep the default.
        A value that is not a number raises ValueError naming the setting."""
        values = {}
        for f in fields(cls):
            name = _PREFIX + f.name.upper()
            raw = getter(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            kind = int if f.type in (int, "int") else float
            try:
                value = kind(raw.strip() if isinstance(raw, str) else raw)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{name}: expected {kind.__name__}, got {raw!r}") from exc
            if value < 0:
                raise ValueError(f"{name}: must not be negative, got {raw!r}")
            values[f.name] = value
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        return {_PREFIX + f.name.upper(): getattr(self, f.name) for f in fields(self)}
