"""govcrawl probe --registry R --every 1h: monitor mode for site_unreachable."""
from __future__ import annotations

import re
import sys
import time
import uuid
from dataclasses import asdict


def parse_interval(text: str) -> float:
    """'90s', '15m', '1h', '1d' or plain seconds -> seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not m:
        raise SystemExit(f"--every {text!r}: expected a number with s, m, h or d (e.g. 1h)")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def _probe(args) -> int:
    from govcrawl.probe import probe_round
    from govcrawl.registry import RegistryError, read_registry
    from govcrawl.schema import open_db

    try:
        sites, problems = read_registry(args.registry)
    except RegistryError as exc:
        print(exc, file=sys.stderr)
        return 2
    for problem in problems:
        print(f"registry: {problem} (row skipped)", file=sys.stderr)
    interval = parse_interval(args.every)
    db = open_db(args.db)
    run_id = args.run or f"probe-{uuid.uuid4().hex[:8]}"
    done = 0
    while args.rounds is None or done < args.rounds:
        started = time.monotonic()
        results = probe_round(sites, args.timeout, args.proxy)
        with db.conn:
            db["probes"].upsert_all([{"run_id": run_id, **asdict(r)} for r in results], pk=("run_id", "site_code", "at"))
        done += 1
        failed = sum(not r.ok for r in results)
        if args.progress:
            print(f"round {done}: {len(results)} sites probed, {failed} failed", file=sys.stderr)
        if args.rounds is not None and done >= args.rounds:
            break
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("probe", help="visit every registered homepage at intervals into the probes table (monitor mode)")
    p.add_argument("--registry", required=True)
    p.add_argument("--every", default="1h", help="interval between rounds: 90s, 15m, 1h (default 1h; 19号 wants ≥20 a day)")
    p.add_argument("--db", default="govcrawl.db")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds before a visit fails (19号: 15)")
    p.add_argument("--rounds", type=int, help="stop after N rounds (default: run until interrupted)")
    p.add_argument("--proxy", help="HTTP proxy for the visits (e.g. a replay proxy)")
    p.add_argument("--run", help="probe session id (default generated)")
    p.add_argument("--progress", action="store_true", help="print a line per round on stderr")
    p.set_defaults(func=_probe)
