"""Distributed runs: one worker against three on the same Redis, under a 0.5 s per-host politeness delay.

    .venv/bin/python bench/distributed.py [--sites 48] [--groups 4] [--seed 8] [--delay 0.5]

The province is bench/province.py's (the demo fixture builder's specs, deterministic from the seed; its static
sites only, so no browser), served by the replay proxy in its own process. Each worker keeps --groups host groups
leased (its capacity: a real worker is bounded by CPU and browser memory, not by Redis), crawls with
DOWNLOAD_DELAY=--delay and one request at a time per host. The same run is crawled by 1 worker, then by 3; both
merged results must hold every site. Ends with `target speedup_3_workers: X (goal 2.4) PASS|FAIL`.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import measure  # noqa: E402
import province  # noqa: E402

from govcrawl.distributed.redisproc import RedisProcess  # noqa: E402

ROOT = measure.ROOT
AS_OF = "2019-06-10"
GOAL = 2.4


def govcrawl(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "govcrawl.cli", *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"govcrawl {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def cluster_run(workers: int, registry: Path, proxy: str, redis_url: str, work: Path, groups: int,
                delay: float) -> tuple[float, int]:
    """Seconds from enqueue to the last worker's exit, and the sites in the merged database."""
    run = f"bench-{workers}w"
    started = time.monotonic()
    govcrawl("enqueue", str(registry), "--run", run, "--as-of", AS_OF, "--redis", redis_url)
    dbs = [work / f"{run}-{i}.db" for i in range(1, workers + 1)]
    procs = []
    for db in dbs:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "provincial", "-s", f"REDIS_URL={redis_url}", "-a", f"run={run}",
               "-a", f"proxy={proxy}", "-s", f"GOVCRAWL_DB={db}", "-s", f"DOWNLOAD_DELAY={delay}",
               "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "AUTOTHROTTLE_ENABLED=0",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", f"GOVCRAWL_LEASED_GROUPS={groups}",
               "-s", "GOVCRAWL_RENDER=0", "-s", "GOVCRAWL_SCREENSHOTS=0", "-s", "LOG_LEVEL=WARNING"]
        procs.append(subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=open(db.with_suffix(".log"), "w")))
    for proc, db in zip(procs, dbs):
        if proc.wait() != 0:
            raise SystemExit(f"worker failed:\n{db.with_suffix('.log').read_text()[-3000:]}")
    seconds = time.monotonic() - started
    out = govcrawl("merge", "--run", run, "--redis", redis_url, "--out", str(work / f"{run}.db"), *map(str, dbs))
    sites = int(out.strip().splitlines()[-1].split(", ")[1].split()[0])
    return seconds, sites


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=48)
    parser.add_argument("--groups", type=int, default=4, help="GOVCRAWL_LEASED_GROUPS of every worker")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govcrawl-bench-dist-") as tmp:
        work = Path(tmp)
        fixtures = work / "province"
        province.build(fixtures, sites=round(args.sites * 1.2) + 2, seed=args.seed)   # ~10 % browser sites left out
        registry = province.subset_registry(fixtures, args.sites, static=True)
        with measure.ReplayProcess(fixtures) as proxy, RedisProcess() as redis_server:
            one, sites_one = cluster_run(1, registry, proxy.url, redis_server.url, work, args.groups, args.delay)
            print(f"1 worker : {one:7.1f} s  ({sites_one} sites merged)", flush=True)
            three, sites_three = cluster_run(3, registry, proxy.url, redis_server.url, work, args.groups, args.delay)
            print(f"3 workers: {three:7.1f} s  ({sites_three} sites merged)", flush=True)
    if sites_one != args.sites or sites_three != args.sites:
        print(f"merged {sites_one} / {sites_three} sites of {args.sites}", file=sys.stderr)
        return 1
    speedup = one / three
    print(f"{args.sites} static sites, {args.groups} leased groups per worker, DOWNLOAD_DELAY={args.delay}, "
          f"CONCURRENT_REQUESTS_PER_DOMAIN=1, {measure.machine().get('nproc', '?')} CPUs")
    print(f"target speedup_3_workers: {speedup:.2f} (goal {GOAL}) {'PASS' if speedup >= GOAL else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
