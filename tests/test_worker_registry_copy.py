"""Workers on one host share the run's registry copy: one starting never reads it half rewritten by another."""
import threading

from govcrawl.distributed.worker import write_registry
from govcrawl.registry import read_registry

RECORDS = [{"site_code": f"43{i:08d}", "name": f"站点{i}", "unit": f"单位{i}", "url": f"http://s{i}.gov.cn/",
            "line": i} for i in range(1, 200)]


def test_a_reader_never_sees_the_copy_half_written(tmp_path):
    path = tmp_path / "registry.csv"
    write_registry(path, RECORDS)
    stop, seen = threading.Event(), []

    def rewrite():
        while not stop.is_set():
            write_registry(path, RECORDS)

    writers = [threading.Thread(target=rewrite) for _ in range(2)]
    for t in writers:
        t.start()
    try:
        for _ in range(300):
            seen.append(len(read_registry(path)[0]))
    finally:
        stop.set()
        for t in writers:
            t.join()
    assert set(seen) == {len(RECORDS)}
    assert [p.name for p in tmp_path.iterdir()] == ["registry.csv"], "no partial file is left behind"
