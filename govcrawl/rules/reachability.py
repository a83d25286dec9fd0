"""site_unreachable and homepage_url_mismatch: can the homepage be opened, and is it where the registry says
(docs/indicators.md, "Website single-veto codes")."""
from __future__ import annotations

from datetime import date

from govcrawl.rules.base import FAIL, PASS, UNKNOWN, Outcome, days_before, iso
from govcrawl.rules.facts import FetchAttempt, SiteFacts
from govcrawl.rules.settings import RuleSettings
from govcrawl.scope import Scope, host_of, strip_www


def attempt_ok(attempt: FetchAttempt, s: RuleSettings) -> bool:
    """A 2xx answer within the timeout (an attempt with no timing is judged by its status alone); a WAF challenge
    page served with 200 is not the homepage."""
    in_time = attempt.elapsed_ms is None or attempt.elapsed_ms <= s.unreachable_timeout_s * 1000
    return (attempt.status is not None and 200 <= attempt.status < 300 and in_time and not attempt.error
            and not attempt.challenge)


def _why(attempt: FetchAttempt, s: RuleSettings) -> str:
    if attempt.status is None or attempt.error:
        return attempt.error or "无响应"
    if attempt.elapsed_ms is not None and attempt.elapsed_ms > s.unreachable_timeout_s * 1000:
        return f"耗时{attempt.elapsed_ms / 1000:.1f}秒"
    return f"HTTP {attempt.status}"


def _monitor(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome | None:
    """Monitor mode, when the probes cover every day of the window with enough probes; else None."""
    first = days_before(as_of, s.probe_days - 1)
    days = sorted((p for p in facts.probes if first <= p.day <= as_of), key=lambda p: p.day)
    counted = [p for p in days if p.probes >= s.probes_per_day_min]
    if not facts.probes or len({p.day for p in counted}) < s.probe_days:
        return None
    probes = sum(p.probes for p in counted)
    failures = sum(p.failures for p in counted)
    ratio = failures / probes if probes else 0.0
    evidence = {"mode": "monitor", "probes": probes, "failures": failures, "ratio": round(ratio, 4),
                "days": [{"day": iso(p.day), "probes": p.probes, "failures": p.failures} for p in counted]}
    sentence = (f"监测{len(counted)}天共访问{probes}次，超过(含){s.unreachable_timeout_s:g}秒仍打不开{failures}次，"
                f"占{ratio:.2%}")
    if ratio >= s.probe_failure_ratio:
        return Outcome(FAIL, "站点无法访问：" + sentence, facts.registered_url, evidence)
    return Outcome(PASS, sentence + f"，低于{s.probe_failure_ratio:.0%}", facts.registered_url, evidence)


def site_unreachable(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    monitored = _monitor(facts, as_of, s)
    if monitored:
        return monitored
    attempts = sorted(facts.fetches, key=lambda a: a.attempt)
    evidence = {"mode": "crawl", "registered_url": facts.registered_url,
                "attempts": [{"attempt": a.attempt, "url": a.url, "status": a.status, "error": a.error,
                              "elapsed_ms": a.elapsed_ms, "ok": attempt_ok(a, s),
                              **({"challenge": a.challenge} if a.challenge else {})}
                             for a in attempts]}
    if facts.probes:
        evidence["probes_note"] = f"probes do not cover {s.probe_days} days with ≥{s.probes_per_day_min} a day"
    if attempts:
        good = [a for a in attempts if attempt_ok(a, s)]
        if good:
            return Outcome(PASS, f"首页第{good[0].attempt}次访问在{s.unreachable_timeout_s:g}秒内打开（HTTP {good[0].status}）",
                           good[0].url, evidence)
        challenged = [a for a in attempts if a.challenge]
        if challenged:  # a WAF answered for the site: it is up, its homepage unread — undecided, never unreachable
            return Outcome(UNKNOWN, f"首页第{challenged[0].attempt}次访问得到网站防火墙验证页（{challenged[0].challenge}，"
                                    f"HTTP {challenged[0].status}），站点有响应但首页未能读取，不判定", facts.registered_url, evidence)
        reasons = "；".join(f"第{a.attempt}次：{_why(a, s)}" for a in attempts)
        return Outcome(FAIL, f"站点无法访问：首页{facts.registered_url}共访问{len(attempts)}次，"
                             f"均未在{s.unreachable_timeout_s:g}秒内打开（{reasons}）", facts.registered_url, evidence)
    if facts.reachable is True:
        return Outcome(PASS, "首页可以打开（未记录逐次访问）", facts.homepage_url, evidence)
    if facts.reachable is False:
        return Outcome(FAIL, f"站点无法访问：首页{facts.registered_url}无法打开", facts.registered_url, evidence)
    return Outcome(UNKNOWN, "未记录首页访问结果", facts.registered_url, evidence)


def _chain_text(facts: SiteFacts) -> str:
    kinds = {"http": "HTTP跳转", "meta-refresh": "页面刷新跳转", "js-location": "脚本跳转", "moved-notice": "网站迁移提示"}
    steps = []
    for hop in facts.redirect_chain:
        kind = hop.get("kind") or "http"
        status = hop.get("status")
        label = f"{status}跳转" if kind == "http" and status else kinds.get(kind, kind)
        if label not in steps:
            steps.append(label)
    return f"（经{'、'.join(steps)}）" if steps else ""


def homepage_url_mismatch(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    registered, final = facts.registered_url, facts.final_url
    evidence = {"registered_url": registered, "final_url": final, "redirect_chain": facts.redirect_chain}
    if not final:
        if facts.reachable:
            return Outcome(PASS, "首页未跳转，与填报地址一致", registered, evidence)
        return Outcome(UNKNOWN, "首页未打开，无法判断实际首页地址", registered, evidence)
    # Same host (www. and scheme ignored) and, for a site registered under a sub-directory, still inside it.
    if Scope.for_site(registered).contains(final):
        return Outcome(PASS, f"实际首页地址{final}与填报地址{registered}一致", final, evidence)
    same_host = strip_www(host_of(registered)) == strip_www(host_of(final))
    evidence["reason"] = "left registered directory" if same_host else "different host"
    how = "离开了填报的目录" if same_host else "域名不同"
    return Outcome(FAIL, f"网站首页地址与全国政府网站信息报送系统填报地址不一致：填报地址{registered}，"
                         f"实际首页地址{final}{_chain_text(facts)}，{how}", final, evidence)
