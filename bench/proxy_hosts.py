"""Which hosts a crawl of the demo with rendering makes requests to, as the replay proxy counts them.

    .venv/bin/python bench/proxy_hosts.py [--repo DIR] [--sites CODE,CODE]

Starts the replay proxy itself, crawls fixtures/demo through it (`-a proxy=`), and prints the proxy's count of
requests per host, the hosts no crawled page names, and the crawl's subresource statistics (govcrawl/subresources/*).
`--repo` crawls with another checkout's code (to compare before and after a change).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govcrawl.replay.proxy import ReplayServer  # noqa: E402

DEMO = ROOT / "fixtures" / "demo"
# every host named in a page of a crawled host: links, and the subresources (src=, href=) a browser would load
NAMED_HOST = re.compile(rb"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//([A-Za-z0-9.-]+)""", re.I)


def crawl_through_proxy(repo: Path, db: Path, sites: str | None = None) -> tuple[dict, dict, str]:
    """(requests per host the proxy saw, the crawl's govcrawl/* stats, stderr)."""
    server = ReplayServer(DEMO).start()
    try:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", f"replay={DEMO}",
               "-a", f"proxy={server.url}", "-a", "as_of=2019-06-10", "-a", "run=hosts", "-s", f"GOVCRAWL_DB={db}", "-s", "DOWNLOAD_DELAY=0",
               "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=INFO", *(["-a", f"sites={sites}"] if sites else [])]
        result = subprocess.run(cmd, cwd=repo, env={**os.environ, "PYTHONPATH": str(repo)}, capture_output=True,
                                text=True, timeout=1200)
        per_host = server.stats()["per_host"]
    finally:
        server.stop()
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    stats = {k: int(v) for k, v in re.findall(r"'(govcrawl/[^']+|playwright/[^']+)': (\d+)", result.stderr)}
    return per_host, stats, result.stderr


def crawled_hosts(db: Path) -> set[str]:
    """Hosts of every URL the crawl stored (sites, columns, entries, links, channels, letters, guides)."""
    import sqlite_utils

    urls = []
    database = sqlite_utils.Database(db)
    for table, columns in {"sites": ("registered_url", "final_url"), "columns": ("url",), "entries": ("url",),
                           "links": ("url",), "channels": ("url",), "letters": ("url",), "guides": ("url",),
                           "fetches": ("url",)}.items():
        if database[table].exists():
            for row in database[table].rows:
                urls += [row[c] for c in columns if row.get(c)]
    return {u.split("/")[2].split(":")[0].lower() for u in urls if "//" in u}


def named_by_pages(hosts: set[str]) -> set[str]:
    """Hosts named (linked or loaded) by a page of the given hosts in the fixture."""
    named = set()
    for host in hosts:
        folder = DEMO / "hosts" / host
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file():
                named |= {h.decode().lower() for h in NAMED_HOST.findall(path.read_bytes())}
    return named


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--sites")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hosts.db"
        per_host, stats, _ = crawl_through_proxy(args.repo.resolve(), db, args.sites)
        asked = crawled_hosts(db)
    allowed = asked | named_by_pages(asked)
    shown = re.compile(r"subresources|render|screenshot|challenges|playwright/page_count$")
    print(json.dumps({"requests_by_host": dict(sorted(per_host.items(), key=lambda kv: -kv[1])),
                      "total": sum(per_host.values()),
                      "not_named_by_any_crawled_page": sorted(set(per_host) - allowed),
                      "stats": {k: v for k, v in sorted(stats.items()) if shown.search(k)}},
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
