"""govcrawl review: list the open content-safety findings of a run; confirm or dismiss one with a note.

  govcrawl review [--db F] [--run ID]                                   open findings, with masked evidence
  govcrawl review confirm|dismiss SITE CODE --note TEXT [--by NAME] [--db F] [--run ID]
"""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path


def evidence_lines(evidence: str | None) -> list[str]:
    """The items of a finding's evidence, one line each (values are masked when stored)."""
    items = (json.loads(evidence or "{}") or {}).get("items") or []
    out = []
    for item in items[:20]:
        shown = {k: v for k, v in item.items() if k not in ("normal", "variant")}
        for side in ("normal", "variant"):
            if isinstance(item.get(side), dict):
                shown[side] = f"{item[side].get('url', '')} 《{item[side].get('title', '')}》"
        out.append("      " + "  ".join(f"{k}={v}" for k, v in shown.items()))
    return out


def review_listing(db, run_id: str) -> list[str]:
    from govcrawl.extract.personal import mask_personal_data
    from govcrawl.reviews import open_findings

    rows = open_findings(db, run_id)
    lines = [f"run {run_id}: {len(rows)} 项需人工核实"]
    for f in rows:
        lines.append(f"  {f['site_code']} {f['name'] or ''}（{f['unit'] or ''}）  {f['indicator']}")
        lines.append("    " + (f["detail"] or ""))
        lines.append(f"    证据页面 {f['evidence_url'] or '—'}")
        lines += evidence_lines(f["evidence"])
    return [mask_personal_data(line) for line in lines]


def _review(args) -> int:
    from govcrawl.commands.explain import PROVINCIAL_RUNS
    from govcrawl.reviews import ReviewError, record_decision
    from govcrawl.runstate import latest_run, utc_now
    from govcrawl.schema import open_db

    if not Path(args.db).is_file():
        print(f"govcrawl review: no database at {args.db}", file=sys.stderr)
        return 2
    db = open_db(args.db)
    run_id = args.run or latest_run(db, **PROVINCIAL_RUNS)
    if run_id is None or not db["runs"].count_where("run_id = ?", [run_id]):
        print(f"govcrawl review: {args.db} has no run {run_id or '(none)'}", file=sys.stderr)
        return 2
    if args.action is None:
        print("\n".join(review_listing(db, run_id)))
        return 0
    if not args.site or not args.code:
        print(f"govcrawl review {args.action}: needs SITE and CODE", file=sys.stderr)
        return 2
    decision = {"confirm": "confirmed", "dismiss": "dismissed"}[args.action]
    try:
        row = record_decision(db, run_id, args.site, args.code, decision, args.note or "", args.by, utc_now())
    except ReviewError as exc:
        print(f"govcrawl review: {exc}", file=sys.stderr)
        return 2
    print(f"{row['site_code']} {row['indicator']}: {decision} by {row['by']} at {row['decided_at']} (run {run_id})")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("review", help="list open content-safety findings; confirm or dismiss one (table reviews)")
    p.add_argument("action", nargs="?", choices=("confirm", "dismiss"), help="decide a finding (default: list)")
    p.add_argument("site", nargs="?", metavar="SITE", help="网站标识码")
    p.add_argument("code", nargs="?", metavar="CODE", help="review code, e.g. hidden_links")
    p.add_argument("--note", help="why it is confirmed or dismissed (required to decide)")
    p.add_argument("--by", default=getpass.getuser(), help="who decides (default: the login name)")
    p.add_argument("--db", default="govcrawl.db")
    p.add_argument("--run", help="run id (default: the latest provincial run)")
    p.set_defaults(func=_review)
