"""Leases, acknowledgements, reclaim and run expiry against a real redis-server on a free port."""
from __future__ import annotations

import json
import time
from datetime import date

import pytest
import redis

from govcrawl.distributed.connection import Guard, Unavailable
from govcrawl.distributed.keys import RunKeys, group_of
from govcrawl.distributed.leases import LeaseStore
from govcrawl.distributed.redisproc import RedisProcess
from govcrawl.distributed.seeding import RunExists, host_groups, progress, seed_run
from govcrawl.registry import Site


def site(code: str, url: str) -> Site:
    return Site(site_code=code, name=f"站点{code}", unit="省直", url=url)


SITES = [site("1", "http://www.a.gov.cn/"), site("2", "http://a.gov.cn/sub/"), site("3", "http://b.gov.cn/"),
         site("4", "http://c.gov.cn/")]


@pytest.fixture(scope="module")
def server():
    with RedisProcess() as proc:
        yield redis.Redis.from_url(proc.url)


@pytest.fixture
def run(server, request):
    name = request.node.name[:40]
    seed_run(server, name, "registry.csv", date(2019, 6, 10), SITES, [], replace=True)
    return name


@pytest.mark.parametrize("url, group", [
    ("http://www.a.gov.cn/", "a.gov.cn"), ("http://a.gov.cn/sub/index.html", "a.gov.cn"),
    ("https://WWW.B.gov.cn:8080/x", "b.gov.cn"), ("http://slj.bd.gov.cn/", "slj.bd.gov.cn"),
])
def test_group_of_a_url_is_its_host_without_www(url, group):
    assert group_of(url) == group


def test_seeding_groups_sites_by_host_in_registry_order(server, run):
    assert list(host_groups(SITES)) == ["a.gov.cn", "b.gov.cn", "c.gov.cn"]
    keys = RunKeys(run)
    assert server.lrange(keys.pending, 0, -1) == [b"a.gov.cn", b"b.gov.cn", b"c.gov.cn"]
    assert [s["site_code"] for s in json.loads(server.hget(keys.groups, "a.gov.cn"))] == ["1", "2"]
    assert progress(server, run)["sites"] == 4
    with pytest.raises(RunExists):
        seed_run(server, run, "registry.csv", date(2019, 6, 10), SITES, [])


def test_leases_are_exclusive_and_skip_excluded_groups(server, run):
    store = LeaseStore(server, RunKeys(run))
    first = store.lease("w1", 1, 60, exclude={"a.gov.cn"})
    assert [(x.group, [s["site_code"] for s in x.sites]) for x in first] == [("b.gov.cn", ["3"])]
    second = store.lease("w2", 5, 60)
    assert sorted(x.group for x in second) == ["a.gov.cn", "c.gov.cn"]
    assert store.lease("w3", 5, 60) == []
    assert len({x.token for x in first + second}) == 3


def test_acknowledging_every_site_releases_the_group_and_completes_the_run(server, run):
    keys = RunKeys(run)
    store = LeaseStore(server, keys)
    leases = {x.group: x for x in store.lease("w1", 3, 60)}
    a = leases["a.gov.cn"]
    server.zadd(keys.queue(a.group, a.token), {b"request": 1})
    assert store.ack("a.gov.cn", "not-the-token", "1", {}) == -1
    assert store.ack("a.gov.cn", a.token, "1", {"lease": a.token}) == 0
    assert store.ack("a.gov.cn", a.token, "2", {"lease": a.token}) == 1
    assert not server.exists(keys.queue(a.group, a.token)) and not server.hexists(keys.leases, "a.gov.cn")
    assert not store.finish("now")
    for group in ("b.gov.cn", "c.gov.cn"):
        lease = leases[group]
        assert store.ack(group, lease.token, lease.sites[0]["site_code"], {}) == 1
    assert store.finish("now")
    assert server.hget(keys.meta, "status") == b"complete"


def test_expired_leases_are_reclaimed_and_their_holder_can_no_longer_acknowledge(server, run):
    keys = RunKeys(run)
    store = LeaseStore(server, keys)
    old = store.lease("dead", 1, 0.05)[0]
    server.zadd(keys.queue(old.group, old.token), {b"request": 1})
    live = store.lease("live", 1, 60)[0]
    time.sleep(0.1)
    assert store.reclaim() == [old.group]
    assert server.lrange(keys.pending, 0, 0) == [old.group.encode()]   # back at the front
    assert not server.exists(keys.queue(old.group, old.token))
    assert store.renew({old.group: old.token, live.group: live.token}, 60) == {live.group}
    assert store.ack(old.group, old.token, old.sites[0]["site_code"], {}) == -1
    again = store.lease("other", 1, 60)[0]
    assert again.group == old.group and again.token != old.token
    assert int(server.hget(keys.stats, "reclaimed")) == 1


def test_a_released_lease_goes_back_to_pending_at_once(server, run):
    keys = RunKeys(run)
    store = LeaseStore(server, keys)
    lease = store.lease("w1", 1, 60)[0]
    assert not store.release(lease.group, "someone-else")
    assert store.release(lease.group, lease.token)
    assert server.lindex(keys.pending, 0) == lease.group.encode()


def test_a_completed_run_leaves_no_key_without_expiry(server, run):
    keys = RunKeys(run)
    store = LeaseStore(server, keys)
    for lease in store.lease("w1", 3, 60):
        server.zadd(keys.queue(lease.group, lease.token), {b"r": 1})
        for s in lease.sites:
            store.ack(lease.group, lease.token, s["site_code"], {})
    server.sadd(keys.dupefilter, "fp")
    server.set("govcrawl:other-run:meta", "kept")
    assert store.finish("now")
    assert store.expire_run(3600) > 5
    run_keys = list(server.scan_iter(match=keys.pattern))
    assert run_keys and all(0 < server.ttl(k) <= 3600 for k in run_keys)
    assert server.ttl("govcrawl:other-run:meta") == -1


def test_guard_backs_off_after_a_failure_and_recovers():
    now = [0.0]
    guard = Guard(base=1.0, cap=4.0, clock=lambda: now[0])
    calls = []

    def down():
        calls.append(1)
        raise redis.ConnectionError("refused")

    for expected_delay in (1.0, 2.0, 4.0, 4.0):
        with pytest.raises(Unavailable):
            guard.call(down)
        assert guard.delay == expected_delay
        with pytest.raises(Unavailable):   # inside the back-off window Redis is not even tried
            guard.call(down)
        now[0] += expected_delay
    assert len(calls) == 4
    assert guard.call(lambda: "up") == "up" and not guard.down


@pytest.mark.parametrize("registry, code", [("bad_rows.csv", 0), ("header_only.csv", 2), ("missing_url_column.csv", 2)])
def test_enqueue_reports_bad_registry_rows_like_the_crawl(server, capsys, registry, code):
    from pathlib import Path

    from govcrawl.cli import main
    from govcrawl.registry import read_registry

    path = Path(__file__).parent / "registries" / registry
    url = server.connection_pool.connection_kwargs
    redis_url = f"redis://{url['host']}:{url['port']}/0"
    assert main(["enqueue", str(path), "--run", f"cli-{registry}", "--as-of", "2019-06-10", "--redis", redis_url]) == code
    err = capsys.readouterr().err
    if code == 0:
        good, problems = read_registry(path)
        assert problems and all(f"{p} (row skipped)" in err for p in problems)
        assert int(server.hget(RunKeys(f"cli-{registry}").meta, "sites")) == len(good)
    else:
        assert err.startswith("govcrawl enqueue:") and not server.exists(RunKeys(f"cli-{registry}").meta)
