"""附件3 / 附件4 from the accounts table and account findings (rows inserted here), and their absence."""
import sqlite_utils
import pytest

from govcrawl.report import build_report
from govcrawl.report.markdown import render

SITES = [("4300000017", "湖南省地方志编纂委员会", "省直", 1), ("4309000001", "益阳市人民政府", "益阳市", 1),
         ("4312000020", "怀化市财政局", "怀化市", 1), ("4301000001", "长沙市人民政府", "长沙市", 1)]
ACCOUNTS = [  # account_id, name, unit, platform (as the new-media registry writes it), status
    ("wb-mz", "湖南民政", "省直", "新浪微博", "checked"),
    ("wx-hdj", "湖南省核工业地质局", "省直", "微信", "checked"),
    ("wx-ok", "湖南发布", "省直", "wechat", "checked"),
    ("wx-yyrf", "益阳人防", "益阳市", "wechat", "checked"),
    ("wx-hhmz", "怀化民政", "怀化市", "wechat", "checked"),
    ("wb-cs", "长沙发布", "长沙市", "weibo", "checked"),
    ("dy-x", "长沙抖音", "长沙市", "douyin", "unsupported"),
]
FINDINGS = [("wb-mz", "account_not_updated"), ("wx-hdj", "account_no_interaction"), ("wx-hdj", "account_not_updated"),
            ("wx-yyrf", "account_not_updated"), ("wx-yyrf", "account_no_interaction"), ("wx-hhmz", "account_not_updated")]


def _db(path, accounts_run: str | None) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    db["runs"].insert_all([{"run_id": "web", "spider": "provincial", "as_of": "2019-06-10", "started_at": "1"}], pk="run_id")
    db["sites"].insert_all([{"run_id": "web", "site_code": c, "name": n, "unit": u, "passed": p, "status": "complete",
                             "registered_url": f"http://{c}.gov.cn/"} for c, n, u, p in SITES], pk=("run_id", "site_code"))
    db["findings"].insert({"run_id": "web", "site_code": "x", "indicator": "site_unreachable", "veto": 1, "detail": "",
                           "evidence_url": "", "evidence": "{}"})
    if accounts_run:
        db["runs"].insert({"run_id": accounts_run, "spider": "newmedia", "as_of": "2019-06-10", "started_at": "2"})
        db["accounts"].insert_all([{"run_id": accounts_run, "account_id": a, "name": n, "unit": u, "platform": p,
                                    "url": "", "status": s, "reason": "平台不支持" if s != "checked" else None,
                                    "newest_post": None, "interaction": None} for a, n, u, p, s in ACCOUNTS])
        db["findings"].insert_all([{"run_id": accounts_run, "site_code": a, "indicator": i, "veto": 1, "detail": "",
                                    "evidence_url": "", "evidence": "{}"} for a, i in FINDINGS])
    return db


def test_annex3_and_annex4_from_a_newmedia_run(tmp_path):
    report = build_report(_db(tmp_path / "a.db", "nm"), "web")
    assert report.newmedia_run == "nm"
    rows = [(r.unit, r.run, r.checked, r.failing, r.share) for r in report.annex3]
    assert rows == [("省直部门", 3, 3, 2, "66.67%"), ("长沙市", 2, 1, 0, "0.00%"), ("益阳市", 1, 1, 1, "100.00%"),
                    ("怀化市", 1, 1, 1, "100.00%"), ("", 7, 6, 4, "66.67%")]
    assert [(r.unit, r.name, r.problems, r.code) for r in report.annex4] == [
        ("省直", "湖南民政", "超过2周未更新", "新浪微博"),
        ("省直", "湖南省核工业地质局", "监测时间点前2周内无更新，未提供有效互动功能", "微信"),
        ("益阳市", "益阳人防", "监测时间点前2周内无更新，未提供有效互动功能", "微信"),
        ("怀化市", "怀化民政", "监测时间点前2周内无更新", "微信"),
    ]
    assert [a.ident for a in report.unchecked_accounts] == ["dy-x"]
    assert "政务新媒体抽查的总体合格率为33.33%" in report.summary and "和6家政务新媒体" in report.summary
    assert "长沙市政务新媒体抽查合格率为100%" in report.summary


def test_explicit_newmedia_run_and_missing_data(tmp_path):
    db = _db(tmp_path / "b.db", None)
    report = build_report(db, "web")
    assert report.annex3 == [] and report.annex4 == [] and report.newmedia_run is None
    assert "附件3、附件4 为空" in report.newmedia_note and "政务新媒体" not in report.summary
    md = render(report)
    assert "## 附件3 全省政务新媒体抽查情况\n\n（无）" in md
    empty = build_report(db, "web", newmedia_run="nope")
    assert "nope" in empty.newmedia_note


def test_accounts_stored_in_the_website_run_itself(tmp_path):
    db = _db(tmp_path / "c.db", "nm")
    db.execute("update accounts set run_id = 'web'")
    db.execute("update findings set run_id = 'web' where site_code != 'x'")
    db.conn.commit()
    assert build_report(db, "web").newmedia_run == "web"


def test_unknown_run_is_an_error(tmp_path):
    with pytest.raises(KeyError):
        build_report(_db(tmp_path / "d.db", None), "missing")


def test_gone_accounts_are_listed_apart_with_the_platform_answer(tmp_path):
    db = _db(tmp_path / "e.db", "nm")
    answer = ("账号不存在或已注销/封禁：主页接口返回 ok=0，msg=这里还没有内容（https://m.weibo.cn/api/container/getIndex?"
              "type=uid&value=5100001099&containerid=1005055100001099）")
    db["accounts"].insert({"run_id": "nm", "account_id": "wb-gone", "name": "长沙旧微博", "unit": "长沙市",
                           "platform": "新浪微博", "url": "https://m.weibo.cn/u/5100001099", "status": "gone",
                           "reason": answer, "newest_post": None, "interaction": None})
    report = build_report(db, "web")
    [gone] = report.gone_accounts
    # the platform's answer and where it came from (long digit runs may be masked by the report's personal-data guard)
    assert (gone.ident, gone.status) == ("wb-gone", "gone")
    assert gone.reason.startswith("账号不存在或已注销/封禁：主页接口返回 ok=0，msg=这里还没有内容（https://m.weibo.cn/api/")
    assert [a.ident for a in report.unchecked_accounts] == ["dy-x"]          # not mixed with the unread ones
    assert [r.name for r in report.annex4].count("长沙旧微博") == 0
    [changsha] = [r for r in report.annex3 if r.unit == "长沙市"]
    assert (changsha.run, changsha.checked) == (3, 1)                        # sampled, not counted as checked
    md = render(report)
    assert "已注销、不存在或被封禁的政务新媒体账号" in md and "这里还没有内容" in md
