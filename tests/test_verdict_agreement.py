"""One verdict per site: the verdict pipeline stores rules.site_verdict, `govcrawl explain` shows the same one (the
incomplete-site filter included), and a site judged again keeps it."""
from __future__ import annotations

import datetime

import pytest

from govcrawl.categories import Categories
from govcrawl.commands.explain import explain_lines
from govcrawl.rules import RULES, RuleSettings
from pipelines.storage import open_db
from pipelines.verdicts import judge

T = datetime.date(2019, 6, 10)
HOME = "http://www.example.gov.cn/"
CODE = "4300000001"


def stored_site(tmp_path, status: str, reason: str | None):
    """A site whose homepage is fresh and whose six news columns are two months old (columns_not_updated fails on
    them), with no consultation channel: the crawl left it `status`."""
    db = open_db(str(tmp_path / "g.db"))
    db["runs"].insert({"run_id": "r", "as_of": T.isoformat()})
    db["sites"].insert({"run_id": "r", "site_code": CODE, "name": "某局", "unit": "省直", "registered_url": HOME,
                        "final_url": HOME, "reachable": 1, "status": status, "status_reason": reason,
                        "kind": "department", "services": 0})
    db["fetches"].insert({"run_id": "r", "site_code": CODE, "url": HOME, "attempt": 1, "status": 200})
    db["columns"].insert({"run_id": "r", "site_code": CODE, "url": HOME, "name": "首页", "role": "homepage",
                          "pages": 1, "http_status": 200, "read_state": "listed"})
    db["entries"].insert({"run_id": "r", "site_code": CODE, "column_url": HOME, "url": HOME + "a.html",
                          "title": "要闻", "date": (T - datetime.timedelta(days=1)).isoformat()})
    old = (T - datetime.timedelta(days=60)).isoformat()
    db["columns"].insert_all({"run_id": "r", "site_code": CODE, "url": f"{HOME}c{i}/", "name": f"工作动态{i}",
                              "role": "column", "pages": 1, "http_status": 200, "entries": 3, "dated_entries": 3,
                              "newest_date": old, "first_level": 1, "read_state": "listed"} for i in range(6))
    db["entries"].insert_all({"run_id": "r", "site_code": CODE, "column_url": f"{HOME}c{i}/", "url": f"{HOME}c{i}/1.html",
                              "title": "动态", "date": old} for i in range(6))
    return db


def explained(db) -> dict[str, str]:
    """code -> the verdict mark explain prints for it."""
    codes = {code for code, _, _ in RULES}
    lines = explain_lines(db, "r", CODE)
    apart = next((i for i, line in enumerate(lines) if line.startswith("待定指标")), len(lines))
    return {parts[0]: parts[1] for parts in (line.split() for line in lines[:apart]) if parts and parts[0] in codes}


@pytest.mark.parametrize("status,reason,fails", [
    ("complete", None, True),                           # the columns were read: the finding is issued
    ("incomplete", "3处被拦截：http://www.example.gov.cn/c9/", False),  # part refused: not issued, not passed
])
def test_explain_and_the_stored_verdict_agree(tmp_path, status, reason, fails):
    db = stored_site(tmp_path, status, reason)
    findings = {f.indicator for f in judge(db, "r", CODE, RuleSettings(), Categories.load())}
    marks = explained(db)
    assert ("columns_not_updated" in findings) is fails
    assert {code for code, mark in marks.items() if mark == "不合格"} == findings
    site = db["sites"].get(("r", CODE))
    if fails:
        assert site["passed"] == 0
    else:  # explain applies the incomplete-site filter: the codes that need the columns are pending, never passed
        assert marks["columns_not_updated"] == "待定" and marks["blank_columns"] == "待定"
        assert site["passed"] is None and site["status"] == "incomplete"
    judge(db, "r", CODE, RuleSettings(), Categories.load())  # judged again (a merge does): the same verdict
    assert {r["indicator"] for r in db.query("select indicator from findings where run_id = 'r'")} == findings
    assert db["sites"].get(("r", CODE))["passed"] == site["passed"]


def test_a_site_left_undecided_by_its_verdict_is_judged_again_as_the_crawl_left_it(tmp_path):
    """The verdict turns a complete site with an undecided code incomplete; judged again, the incomplete-site filter
    must not then apply (crawl_status keeps what the crawl saw)."""
    db = stored_site(tmp_path, "complete", None)
    db["channels"].insert({"run_id": "r", "site_code": CODE, "url": "http://12345.example.gov.cn/", "name": "12345热线",
                           "kind": "consultation", "offsite": 1, "note": "未能核验（TimeoutError）"})
    first = {f.indicator for f in judge(db, "r", CODE, RuleSettings(), Categories.load())}
    site = db["sites"].get(("r", CODE))
    assert site["status"] == "incomplete" and site["crawl_status"] == "complete"
    assert "columns_not_updated" in first and site["passed"] == 0
    again = {f.indicator for f in judge(db, "r", CODE, RuleSettings(), Categories.load())}
    assert again == first and explained(db)["columns_not_updated"] == "不合格"
