"""The --progress line: content, throttling to once per interval, and enabling by setting."""
import io
from datetime import date

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from govcrawl.crawlrun import CrawlRun, register
from govcrawl.progress import ProgressExtension, Snapshot, format_progress, snapshot


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Stats:
    def __init__(self, values):
        self.values = values

    def get_stats(self):
        return self.values


class Crawler:
    """The crawler of a run of 40 sites."""

    def __init__(self):
        register(self, CrawlRun("t", date(2019, 6, 10), sites_total=40))


def test_snapshot_reads_the_crawl_stats():
    stats = {"govcrawl/sites_done": 10, "response_received_count": 300, "govcrawl/findings/letters_unanswered": 3,
             "govcrawl/findings/site_unreachable": 1, "govcrawl/sites_failed": 3, "other": 9}
    assert snapshot(stats, 40, 10.0) == Snapshot(10, 40, 300, 4, 3, 10.0)


@pytest.mark.parametrize("snap,parts", [
    (Snapshot(10, 40, 300, 4, 3, 60.0), ["sites 10/40 (25%)", "pages 300", "findings 4 (3 sites failing)",
                                         "5.0 pages/s", "10.0 sites/min", "0:01:00", "ETA 0:03:00"]),
    (Snapshot(0, None, 0, 0, 0, 0.0), ["sites 0 |", "0.0 pages/s"]),
    (Snapshot(40, 40, 900, 9, 7, 3700.0), ["sites 40/40 (100%)", "1:01:40"]),
])
def test_format_progress(snap, parts):
    line = format_progress(snap)
    assert all(p in line for p in parts), line
    assert ("ETA" in line) == (0 < snap.sites_done < (snap.sites_total or 0))


def test_prints_at_most_once_per_interval():
    clock, out = Clock(), io.StringIO()
    stats = Stats({"govcrawl/sites_done": 1, "response_received_count": 5})
    ext = ProgressExtension(stats, stream=out, interval=1.0, clock=clock, crawler=Crawler())
    ext.spider_opened()
    for step in range(25):                # 25 responses within 2.4 s
        clock.now += 0.1
        ext.tick()
    assert out.getvalue().count("\n") == 3   # at 0.1 s, 1.1 s, 2.1 s
    ext.spider_closed(None, "finished")
    assert out.getvalue().count("\n") == 4 and "sites 1/40" in out.getvalue().splitlines()[-1]


def test_enabled_only_by_setting():
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(get_crawler(settings_dict={}))
    ext = ProgressExtension.from_crawler(get_crawler(settings_dict={"GOVCRAWL_PROGRESS": "1"}))
    assert ext.interval == 1.0
