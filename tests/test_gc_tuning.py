"""GOVCRAWL_GC_THRESHOLD: the collector runs less often during a crawl, and is restored after it."""
import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from govcrawl.gctuning import GcTuning


def test_engine_start_freezes_startup_objects_and_collects_less_often():
    before = gc.get_threshold()
    ext = GcTuning.from_crawler(get_crawler(settings_dict={"GOVCRAWL_GC_THRESHOLD": 12345}))
    ext.engine_started()
    try:
        assert gc.get_threshold() == (12345, *before[1:])
        assert gc.get_freeze_count() > 0
    finally:
        ext.engine_stopped()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_collector_still_runs_by_itself_during_the_crawl():
    ext = GcTuning.from_crawler(get_crawler(settings_dict={"GOVCRAWL_GC_THRESHOLD": 1000}))
    ext.engine_started()
    try:
        runs = gc.get_stats()[0]["collections"]
        kept = [[] for _ in range(5000)]   # container allocations drive the gen0 count
        assert gc.get_stats()[0]["collections"] >= runs + 4
        assert kept
    finally:
        ext.engine_stopped()


def test_zero_leaves_the_collector_alone():
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(get_crawler(settings_dict={"GOVCRAWL_GC_THRESHOLD": 0}))


def test_the_project_settings_enable_it():
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    assert "govcrawl.gctuning.GcTuning" in settings.getdict("EXTENSIONS")
    assert settings.getint("GOVCRAWL_GC_THRESHOLD") > gc.get_threshold()[0]
