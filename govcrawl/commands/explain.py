"""govcrawl explain SITE_CODE: every rule's verdict for one site of a run, with the evidence that decided it."""
from __future__ import annotations

import sys

VERDICT_MARK = {"fail": "不合格", "pass": "通过", "not-applicable": "不适用", "unknown": "未判断",
                "undecided": "待定",   # what decides it could not be read (site incomplete)
                "withheld": "待定"}    # the site incomplete, and the code needs the part not read: not issued
PROVINCIAL_RUNS = {"spider": "provincial", "status": None}   # the default run: the latest, finished or not


def explain_lines(db, run_id: str, site_code: str) -> list[str]:
    """The verdict judging.stored_verdict gives (the one the verdict pipeline stored), rule by rule."""
    from govcrawl.judging import run_rule_settings, stored_verdict

    run = db["runs"].get(run_id)
    site = next(db.query("select * from sites where run_id = ? and site_code = ?", [run_id, site_code]), None)
    if site is None:
        raise KeyError(f"site {site_code} is not in run {run_id}")
    verdict = stored_verdict(db, run_id, site_code, run_rule_settings(run))
    lines = [f"{site_code} {site['name'] or ''}（{site['unit'] or ''}）  run {run_id}  监测时间点 {run['as_of']}",
             f"登记地址 {site['registered_url']}  最终地址 {site['final_url'] or '—'}"]
    lines += challenge_lines(site)
    for code, _, o in verdict.outcomes:
        lines.append(f"  {code:<24} {VERDICT_MARK.get(o.verdict, o.verdict):<4} {o.sentence}")
    undecided = [(code, o.sentence) for code, _, o in verdict.outcomes if o.verdict in ("undecided", "withheld")]
    if undecided:  # listed apart: these are neither findings nor passes, the site is incomplete
        lines.append("待定指标（所依据的栏目、渠道或首页未能读取，既非问题也非通过；网站未完成检查）：")
        lines += [f"  {code:<24} {sentence}" for code, sentence in undecided]
    return lines


def challenge_lines(site: dict) -> list[str]:
    """The WAF challenges the site met, whether the site's own script cleared them, and why not."""
    if not site.get("challenge"):
        return []
    if site.get("challenge_cleared"):
        return [f"防火墙验证 {site['challenge']}：已由网站自身脚本通过（浏览器运行{site['challenge_solves']}次）"]
    return [f"防火墙验证 {site['challenge']}：未通过，{site.get('status_reason') or ''}"]


def _explain(args) -> int:
    from govcrawl.extract.personal import mask_personal_data
    from govcrawl.runstate import latest_run
    from govcrawl.schema import open_db

    db = open_db(args.db)
    run_id = args.run or latest_run(db, **PROVINCIAL_RUNS)
    if run_id is None:
        print(f"{args.db}: no crawl run in this database", file=sys.stderr)
        return 2
    try:
        print(mask_personal_data("\n".join(explain_lines(db, run_id, args.site_code))))
    except KeyError as exc:
        print(f"{args.db}: {exc.args[0]}", file=sys.stderr)
        return 2
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("explain", help="every rule's verdict and evidence for one site of a run")
    p.add_argument("site_code")
    p.add_argument("--db", default="govcrawl.db")
    p.add_argument("--run", help="run id (default: the latest provincial run)")
    p.set_defaults(func=_explain)
