"""govcrawl enqueue REGISTRY --run RUN_ID --as-of YYYY-MM-DD --redis URL: seed a distributed run."""
from __future__ import annotations

import sys
from datetime import date


def _enqueue(args) -> int:
    from govcrawl.distributed.connection import connect
    from govcrawl.distributed.seeding import RunExists, seed_run
    from govcrawl.registry import RegistryError, read_registry

    try:
        as_of = date.fromisoformat(args.as_of)
    except ValueError:
        print(f"--as-of {args.as_of!r}: expected YYYY-MM-DD", file=sys.stderr)
        return 2
    from govcrawl.runstate import as_of_problem

    problem = as_of_problem(as_of)
    if problem:   # the same bounds as `scrapy crawl -a as_of=`
        print(f"govcrawl enqueue: {problem.replace('-a as_of=', '--as-of ')}", file=sys.stderr)
        return 2
    try:
        sites, problems = read_registry(args.registry)
    except RegistryError as exc:
        print(f"govcrawl enqueue: {exc}", file=sys.stderr)
        return 2
    for problem in problems:  # reported like the crawl does: the run goes ahead without those rows
        print(f"registry: {problem} (row skipped)", file=sys.stderr)
    try:
        meta = seed_run(connect(args.redis), args.run, args.registry, as_of, sites, problems, replace=args.replace)
    except RunExists as exc:
        print(f"govcrawl enqueue: {exc}", file=sys.stderr)
        return 2
    print(f"run {args.run}: {meta['sites']} sites in {meta['groups']} host groups queued at {args.redis} "
          f"(as_of {meta['as_of']}, {len(problems)} registry rows skipped)")
    print(f"start workers: scrapy crawl provincial -s REDIS_URL={args.redis} -a run={args.run} -s GOVCRAWL_DB=worker-N.db")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("enqueue", help="seed a distributed run in Redis: one pending entry per host group")
    p.add_argument("registry", help="the registry CSV (validated like `govcrawl registry check`)")
    p.add_argument("--run", required=True, help="run id; every Redis key of the run is under govcrawl:RUN:")
    p.add_argument("--as-of", dest="as_of", required=True, help="monitoring point YYYY-MM-DD")
    p.add_argument("--redis", required=True, help="redis://HOST:6379/0")
    p.add_argument("--replace", action="store_true", help="delete an existing run of that id first")
    p.set_defaults(func=_enqueue)
