"""GOVCRAWL_SITES_IN_FLIGHT: at most that many sites are crawled at once, and the verdicts do not change."""
import asyncio
import re

from spiders.tracking import SiteWindow
from tests.conftest import crawl, findings_vs_truth


def run(coro):
    return asyncio.run(coro)


def test_the_next_site_waits_until_one_is_finished():
    async def scenario():
        window = SiteWindow(2)
        await window.enter("a")
        await window.enter("b")
        third = asyncio.ensure_future(window.enter("c"))
        await asyncio.sleep(0.05)
        assert not third.done()
        window.leave("a")
        await asyncio.wait_for(third, 1)
        return window.open

    assert run(scenario()) == {"b", "c"}


def test_zero_means_all_sites_at_once():
    async def scenario():
        window = SiteWindow(0)
        for i in range(1000):
            await asyncio.wait_for(window.enter(str(i)), 1)
        return len(window.open)

    assert run(scenario()) == 1000


def test_a_site_never_entered_frees_no_place():
    async def scenario():
        window = SiteWindow(1)
        await window.enter("a")
        window.leave("leased-elsewhere")   # a distributed worker's site
        second = asyncio.ensure_future(window.enter("b"))
        await asyncio.sleep(0.05)
        return second.done()

    assert run(scenario()) is False


def test_a_narrow_window_crawls_the_demo_to_the_same_verdicts(tmp_path, demo_truth):
    db = tmp_path / "window.db"
    result = crawl(db, "-a", "run=window", "-s", "GOVCRAWL_SITES_IN_FLIGHT=3")
    assert result.returncode == 0, result.stderr[-3000:]
    peak = re.search(r"'govcrawl/sites_in_flight_max': (\d+)", result.stderr)
    assert peak and int(peak.group(1)) == 3, result.stderr[-3000:]
    problems = findings_vs_truth(db, "window", demo_truth)
    assert not problems, "\n".join(problems)
