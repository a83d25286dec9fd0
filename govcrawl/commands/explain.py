"""govcrawl explain SITE_CODE: every rule's verdict for one site of a run, with the evidence that decided it."""
from __future__ import annotations

import sys

VERDICT_MARK = {"fail": "不合格", "pass": "通过", "not-applicable": "不适用", "unknown": "未判断",
                "undecided": "待定"}  # undecided: what decides it could not be read (site incomplete)


def latest_run(db, spider: str = "provincial") -> str | None:
    row = db.execute("select run_id from runs where spider = ? order by started_at desc limit 1", [spider]).fetchone()
    return row[0] if row else None


def explain_lines(db, run_id: str, site_code: str) -> list[str]:
    from datetime import date

    from govcrawl.rules import RuleSettings, explain_site
    from govcrawl.sitefacts import load_site_facts

    run = db["runs"].get(run_id)
    facts = load_site_facts(db, run_id, site_code)
    settings = RuleSettings.from_settings(_run_settings(run).get)
    lines = [f"{facts.site_code} {facts.name}（{facts.unit}）  run {run_id}  监测时间点 {run['as_of']}",
             f"登记地址 {facts.registered_url}  最终地址 {facts.final_url or '—'}"]
    lines += challenge_lines(db["sites"].get((run_id, site_code)))
    verdicts = explain_site(facts, date.fromisoformat(run["as_of"]), settings)
    for code, verdict, sentence in verdicts:
        lines.append(f"  {code:<24} {VERDICT_MARK.get(verdict, verdict):<4} {sentence}")
    undecided = [(code, sentence) for code, verdict, sentence in verdicts if verdict == "undecided"]
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


def _run_settings(run: dict) -> dict:
    import json

    return json.loads(run.get("settings") or "{}")


def _explain(args) -> int:
    from govcrawl.extract.personal import mask_personal_data
    from govcrawl.schema import open_db

    db = open_db(args.db)
    run_id = args.run or latest_run(db)
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
