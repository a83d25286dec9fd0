"""End to end: `scrapy crawl provincial -a replay=fixtures/demo` against the fixture truth."""
import sqlite_utils

from govcrawl.scope import normalize_url
from tests.conftest import findings_vs_truth


def rows(db, sql, *params):
    return list(sqlite_utils.Database(db).query(sql, params))


def test_every_registry_site_is_stored(demo_db, demo_truth):
    sites = {r["site_code"]: r for r in rows(demo_db, "select * from sites where run_id = 'demo'")}
    assert set(sites) == set(demo_truth["sites"])
    for code, truth in demo_truth["sites"].items():
        site = sites[code]
        assert site["name"] == truth["name"] and site["unit"] == truth["unit"], code
        assert bool(site["reachable"]) == truth["reachable"], code
        if truth["reachable"]:
            assert normalize_url(site["final_url"]) == normalize_url(truth["final_url"]), code


def test_every_column_has_its_newest_date(demo_db, demo_truth):
    stored = {}
    for r in rows(demo_db, "select * from columns where run_id = 'demo' and role = 'column'"):
        stored[(r["site_code"], normalize_url(r["url"]))] = r
    problems = []
    for code, truth in demo_truth["sites"].items():
        for url, column in truth.get("columns", {}).items():
            got = stored.get((code, normalize_url(url)))
            if got is None:
                problems.append(f"{code} {column['name']} {url}: not crawled")
            elif got["newest_date"] != column["newest_date"]:
                problems.append(f"{code} {column['name']} {url}: newest {got['newest_date']} != {column['newest_date']}")
    assert not problems, "\n".join(problems)


def test_no_column_outside_the_truth(demo_db, demo_truth):
    """Columns the crawler invented (articles, offsite pages) would skew every count."""
    known = {(code, normalize_url(u)) for code, t in demo_truth["sites"].items() for u in t.get("columns", {})}
    extra = [(r["site_code"], r["url"], r["name"])
             for r in rows(demo_db, "select * from columns where run_id = 'demo' and role = 'column'")
             if (r["site_code"], normalize_url(r["url"])) not in known]
    assert not extra, extra


def test_run_is_recorded(demo_db):
    (run,) = rows(demo_db, "select * from runs where run_id = 'demo'")
    assert run["as_of"] == "2019-06-10" and run["status"] == "finished"


def test_offsite_links_are_recorded_not_crawled(demo_db):
    offsite = rows(demo_db, "select url from links where run_id = 'demo' and kind = 'offsite'")
    assert any("www.gov.cn" in r["url"] for r in offsite)
    crawled_hosts = {r["url"].split("/")[2] for r in rows(demo_db, "select url from columns where run_id='demo'")}
    assert "www.gov.cn" not in crawled_hosts


def test_findings_equal_the_truth(demo_db, demo_truth):
    problems = findings_vs_truth(demo_db, "demo", demo_truth)
    assert not problems, "\n".join(problems)


def test_every_finding_carries_its_evidence(demo_db):
    findings = rows(demo_db, "select * from findings where run_id = 'demo'")
    assert findings
    for f in findings:
        assert f["evidence_url"].startswith("http"), f
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f["detail"]), f
        assert f["evidence"] and f["evidence"] != "{}", f


def test_every_site_gets_a_verdict(demo_db, demo_truth):
    for site in rows(demo_db, "select site_code, passed from sites where run_id = 'demo'"):
        assert site["passed"] == (0 if demo_truth["sites"][site["site_code"]]["findings"] else 1), site


def test_columns_carry_category_cadence_and_stale_flag(demo_db):
    cols = rows(demo_db, "select * from columns where run_id = 'demo' and role = 'column'")
    assert {c["category"] for c in cols} == {"news", "notice", "periodic", "reference"}
    assert any(c["cadence_days"] and c["periods_overdue"] is not None for c in cols)
    assert any(c["stale"] for c in cols)
    assert not any(c["stale"] and c["category"] == "reference" for c in cols)


def test_explain_works_on_every_site(demo_db, demo_truth):
    from govcrawl.commands.explain import explain_lines
    from govcrawl.rules import RULES
    from pipelines.storage import open_db

    db = open_db(str(demo_db))
    for code in demo_truth["sites"]:
        lines = explain_lines(db, "demo", code)
        verdicts = {line.split()[0]: line.split()[1] for line in lines[2:]}
        assert len(verdicts) == len(RULES), lines
        failing = {rule for rule, verdict in verdicts.items() if verdict == "不合格"}
        assert set(demo_truth["sites"][code]["findings"]) <= failing, (code, lines)


def test_explain_command(demo_db):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "govcrawl.cli", "explain", "4300000047", "--db", str(demo_db)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "湖南文化遗产网" in out.stdout and "letters_unanswered" in out.stdout and "不合格" in out.stdout
    missing = subprocess.run([sys.executable, "-m", "govcrawl.cli", "explain", "9999999999", "--db", str(demo_db)],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "9999999999" in missing.stderr


def test_requests_are_stored_by_purpose(demo_db):
    """Every request is counted under its purpose (README "Requests by purpose"); `govcrawl runs` shows them."""
    import json

    from govcrawl.commands.runs import run_rows
    from pipelines.storage import open_db

    (run,) = rows(demo_db, "select requests_by_purpose from runs where run_id = 'demo'")
    by_purpose = json.loads(run["requests_by_purpose"])
    (columns,) = rows(demo_db, "select count(*) n from columns where run_id = 'demo' and role = 'column'")
    (made,) = rows(demo_db, "select sum(requests) n, count(*) sites from sites where run_id = 'demo'")
    assert "other" not in by_purpose
    assert {"homepage", "column", "article", "letters", "guide", "link_check", "cloaking"} <= set(by_purpose)
    assert by_purpose["column"] >= columns["n"] and by_purpose["homepage"] >= made["sites"]
    # the spider's own requests are all sent (retries and the browser's subresources come on top)
    assert sum(n for p, n in by_purpose.items() if p != "subresource") >= made["n"]
    (shown,) = [r for r in run_rows(open_db(str(demo_db))) if r["run_id"] == "demo"]
    assert shown["by_purpose"] == by_purpose and shown["columns"] == columns["n"]
    assert shown["per_column"] == round(sum(by_purpose.get(p, 0) for p in
                                            ("column", "list_page", "endpoint", "article", "render")) / columns["n"], 2)
