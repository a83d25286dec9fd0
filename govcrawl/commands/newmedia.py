"""govcrawl newmedia import FACTS.csv --db DB --run RUN : merge back-end facts into a newmedia run and re-judge.

Units export from their account back ends what no public page shows (WeChat: newest post time, custom menu,
messages, auto-reply). The file (header account_id,newest_post,menu,messages,auto_reply; govcrawl/accounts.py)
is merged into the stored facts of each named account of the run, the account is judged again, and its row and
findings are replaced. Exit 0 ok, 1 some rows were bad (the good ones are applied), 2 unusable file or run.
"""
from __future__ import annotations

import json
import sys
from datetime import date

from govcrawl.accounts import Account, read_backend_facts
from govcrawl.dates import DateParser
from govcrawl.registry import RegistryError


def import_facts(path: str, db_path: str, run_id: str, window_days: int = 14) -> int:
    from govcrawl.rules.newmedia import AccountFacts, apply_backend, judge_account
    from govcrawl.schema import open_db

    db = open_db(db_path)
    run = next(db.query("select as_of, spider from runs where run_id = ?", [run_id]), None)
    if run is None or run["spider"] != "newmedia":
        print(f"error: {db_path} has no newmedia run {run_id!r}", file=sys.stderr)
        return 2
    as_of = date.fromisoformat(run["as_of"])
    try:
        rows, problems = read_backend_facts(path, DateParser(as_of))
    except RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    judged = {"checked": 0, "unchecked": 0, "unsupported": 0}
    failed = 0
    with db.conn:
        for row in rows:
            stored = next(db.query("select * from accounts where run_id = ? and account_id = ?",
                                   [run_id, row.account_id]), None)
            if stored is None:
                problems.append(f"{path}:{row.line}: account_id {row.account_id} is not in run {run_id}")
                continue
            account = Account(stored["account_id"], stored["name"], stored["unit"], stored["platform"],
                              stored["url"] or "")
            facts = AccountFacts.from_json(json.loads(stored["facts"] or "{}"))
            apply_backend(facts, row)
            verdict = judge_account(account, facts, as_of, window_days)
            db["accounts"].update((run_id, row.account_id), {
                "status": verdict.status, "reason": verdict.reason, "passed": verdict.passed,
                "newest_post": facts.newest_post.isoformat() if facts.newest_post else None,
                "interaction": verdict.interaction, "facts": json.dumps(facts.as_json(), ensure_ascii=False)})
            db.execute("delete from findings where run_id = ? and site_code = ?", [run_id, row.account_id])
            db["findings"].insert_all([{
                "run_id": run_id, "site_code": row.account_id, "indicator": f.indicator, "veto": int(f.veto),
                "detail": f.detail, "evidence_url": f.evidence_url,
                "evidence": json.dumps(f.evidence, ensure_ascii=False)} for f in verdict.findings])
            judged[verdict.status] += 1
            failed += verdict.passed is False
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{sum(judged.values())} accounts re-judged ({judged['checked']} checked, {failed} failed, "
          f"{judged['unchecked']} unchecked), {len(problems)} bad rows")
    return 1 if problems else 0


def _import(args) -> int:
    return import_facts(args.file, args.db, args.run, args.window)


def add_parser(sub) -> None:
    newmedia = sub.add_parser("newmedia", help="government new-media accounts (政务新媒体)")
    verbs = newmedia.add_subparsers(dest="verb", required=True, metavar="VERB")
    imp = verbs.add_parser("import", help="merge facts units exported from their back ends into a run, re-judge")
    imp.add_argument("file", help="CSV: account_id,newest_post,menu,messages,auto_reply")
    imp.add_argument("--db", required=True, help="the database of the newmedia crawl")
    imp.add_argument("--run", required=True, help="run_id of the newmedia crawl")
    imp.add_argument("--window", type=int, default=14, help="days before T a post must fall within (default 14)")
    imp.set_defaults(func=_import)
