"""A registry with bad rows: one clear error per bad row, and the good rows are crawled."""
import sqlite_utils

from tests.conftest import DEMO, crawl

GOOD = [
    "4300000017,湖南省地方志编纂委员会,省直,http://dfz.hunan.gov.cn/,department,no",
    "4305110001,北塔区人民政府网,邵阳市,http://www.beita.gov.cn/,portal,yes",
]
BAD = [
    ("430000001,短了一位的标识码,省直,http://a.hunan.gov.cn/,department,no", "site_code"),
    ("4300000099,错误网址,省直,ftp://b.hunan.gov.cn/,department,no", "url"),
    ("4300000017,重复的标识码,省直,http://dfz.hunan.gov.cn/,department,no", "duplicate"),
    ("4300000098,,省直,http://c.hunan.gov.cn/,department,no", "name"),
]


def write_registry(path, encoding, bom=False):
    lines = ["site_code,name,unit,url,kind,services", *GOOD, *(row for row, _ in BAD)]
    data = "\r\n".join(lines).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def check(tmp_path, encoding, bom):
    registry = tmp_path / "registry.csv"
    write_registry(registry, encoding, bom)
    db = tmp_path / "crawl.db"
    result = crawl(db, "-a", f"registry={registry}", "-a", "run=bad", fixtures=DEMO)
    assert result.returncode == 0, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if "registry:" in line and "row skipped" in line]
    assert len(errors) == len(BAD), "\n".join(errors)
    for (row, reason), line_no in zip(BAD, range(len(GOOD) + 2, len(GOOD) + 2 + len(BAD))):
        assert any(f"{registry}:{line_no}:" in e and reason in e.lower() for e in errors), (line_no, reason, errors)
    sites = {r["site_code"]: r for r in sqlite_utils.Database(db).query("select * from sites where run_id = 'bad'")}
    assert set(sites) == {"4300000017", "4305110001"}
    assert all(s["reachable"] for s in sites.values())


def test_bad_rows_in_a_utf8_registry_with_bom(tmp_path):
    check(tmp_path, "utf-8", bom=True)


def test_bad_rows_in_a_gbk_registry(tmp_path):
    check(tmp_path, "gbk", bom=False)
