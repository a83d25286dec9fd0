"""Monitor mode for reachability: visit every registered homepage at intervals, as 19号 measures it
(a week, 20+ visits a day, a visit failing when the page does not open within 15 s)."""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from govcrawl.registry import Site

SHANGHAI = ZoneInfo("Asia/Shanghai")
USER_AGENT = "govcrawl-probe/0.1 (government website inspection)"


@dataclass
class Probe:
    site_code: str
    url: str
    at: str
    ok: bool
    status: int | None
    elapsed_ms: int
    error: str | None


def probe(site: Site, timeout: float, opener: urllib.request.OpenerDirector) -> Probe:
    """One visit: a GET that follows redirects; ok when a 2xx body starts arriving within `timeout` seconds."""
    at = datetime.now(SHANGHAI).isoformat(timespec="milliseconds")
    start = time.monotonic()
    status, error = None, None
    request = urllib.request.Request(site.url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
            response.read(1024)
    except urllib.error.HTTPError as exc:
        status = exc.code
    except Exception as exc:  # DNS, refused, reset, timeout, TLS: every failure is a failed visit
        error = f"{type(exc).__name__}: {exc}"[:300]
    elapsed = int((time.monotonic() - start) * 1000)
    ok = status is not None and 200 <= status < 300 and elapsed <= timeout * 1000
    return Probe(site.site_code, site.url, at, ok, status, elapsed, error)


def probe_round(sites: list[Site], timeout: float, proxy: str | None = None, workers: int = 16) -> list[Probe]:
    """Visit every site once, `workers` at a time."""
    handlers = [urllib.request.ProxyHandler({"http": proxy, "https": proxy})] if proxy else []
    opener = urllib.request.build_opener(*handlers)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda site: probe(site, timeout, opener), sites))
