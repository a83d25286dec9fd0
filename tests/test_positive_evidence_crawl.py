"""End to end: the spider records how each column and channel was read, and a site whose columns or channels could
not be read is left incomplete, never failed on them. Sites of the same layout: on "unread" the five columns are
script-filled lists (not rendered, GOVCRAWL_RENDER=0) and the consultation channel on another host lists its letters
by script; on "read" the columns say 暂无信息 and the channel host answers with a way to write; on "dead" the
channel host never answers (seen not to work, after retries)."""
import json
from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import crawl
from tests.hostile import Writer, dated_list, nav, news_rows, page

CODE = {"unread": "4398000001", "read": "4398000002", "dead": "4398000003"}
HOST = {key: f"{key}.evidence.gov.cn" for key in CODE}
CHANNEL = {"unread": "http://12345.scripted.gov.cn/", "read": "http://12345.answers.gov.cn/",
           "dead": "http://12345.dropped.gov.cn/"}
COLUMNS = [("人事信息", "/rsxx/"), ("统计信息", "/tjxx/"), ("财政资金", "/czzj/"), ("规划计划", "/ghjh/"), ("建议提案", "/jyta/")]
SCRIPTED = ('<div class="main"><h2>列表</h2><ul id="newsList" class="news-list"></ul></div><script>$.ajax({url: '
            '"/api/list", type: "post", data: {pageNo: 1}, success: function (r) { $("#newsList").html(r.html); }});'
            '</script>')
NODATA = '<div class="main"><div class="list-title"><h2>列表</h2></div><div class="nodata">暂无信息</div></div>'


def build(root: Path) -> Path:
    w = Writer(root)
    registry = ["site_code,name,unit,url,kind,services"]
    for key, code in CODE.items():
        registry.append(f"{code},{key}测试网站,省直,http://{HOST[key]}/,department,no")
        items = [("工作动态", "/gzdt/")] + COLUMNS
        block = f'<div class="box"><h3>工作动态</h3>{dated_list(news_rows("/gzdt", ["2019-06-05"]))}</div>'
        mailbox = f'<div class="hd"><a href="{CHANNEL[key]}">市长信箱</a></div>'
        w.file(HOST[key], "/", page(f"{key}测试网站", nav(items) + block + mailbox))
        w.file(HOST[key], "/gzdt/", page("工作动态", dated_list(news_rows("/gzdt", ["2019-06-06", "2019-06-01"]))))
        for name, href in COLUMNS:
            w.file(HOST[key], href, page(name, nav(items) + (SCRIPTED if key == "unread" else
                                                         NODATA if key == "read" else dated_list(news_rows(href, ["2019-06-03"])))))
    w.entry(CHANNEL["dead"], drop=True)
    w.file("12345.scripted.gov.cn", "/", page("12345在线", '<div class="main"><h2>群众来信</h2>'
                                             '<ul id="letterList" class="msg-list"></ul></div><script>$.ajax({url: "/api/letters", '
                                             'success: function (r) { $("#letterList").html(r.html); }});</script>'))
    w.file("12345.answers.gov.cn", "/", page("12345政务服务便民热线", '<div class="main"><form action="/submit" method="post">'
                                            '<input type="text" name="title"><textarea name="content"></textarea>'
                                            '<input type="submit" value="提交"></form></div>'))
    (root / "registry.csv").write_text("\n".join(registry) + "\n", encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps({"responses": w.manifest}, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def evidence_db(tmp_path_factory):
    root = build(tmp_path_factory.mktemp("evidence"))
    db = root / "crawl.db"
    result = crawl(db, "-a", "run=e", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0", "-s", "GOVCRAWL_RENDER=0",
                   fixtures=root)
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(db)


def rows(db, table, key, where=""):
    return list(db.query(f"select * from {table} where run_id = 'e' and site_code = ? {where}", [CODE[key]]))


def test_columns_carry_how_they_were_read(evidence_db):
    unread = {c["name"]: c for c in rows(evidence_db, "columns", "unread", "and role = 'column'")}
    read = {c["name"]: c for c in rows(evidence_db, "columns", "read", "and role = 'column'")}
    for name, _ in COLUMNS:
        assert unread[name]["read_state"] == "unread" and "脚本填充" in unread[name]["read_reason"], unread[name]
        assert (read[name]["read_state"], read[name]["blank_marker"]) == ("empty", "暂无信息"), read[name]
    assert unread["工作动态"]["read_state"] == read["工作动态"]["read_state"] == "listed"


def test_channels_on_another_host_are_visited(evidence_db):
    (scripted,) = rows(evidence_db, "channels", "unread")
    (answers,) = rows(evidence_db, "channels", "read")
    (dropped,) = rows(evidence_db, "channels", "dead")
    assert scripted["offsite"] == 1 and scripted["working"] is None and "脚本填充" in scripted["note"]
    assert answers["offsite"] == 1 and answers["working"] == 1
    assert dropped["offsite"] == 1 and dropped["working"] == 0 and dropped["note"].startswith("无法访问")


def test_what_was_not_read_leaves_the_site_incomplete_not_failed(evidence_db):
    site = evidence_db["sites"].get(("e", CODE["unread"]))
    assert not [f for f in rows(evidence_db, "findings", "unread") if f["veto"]]
    assert site["passed"] is None and site["status"] == "incomplete"
    assert {u["indicator"] for u in json.loads(site["undecided"])} == {"blank_columns", "no_consultation_channel"}


def test_what_was_read_decides(evidence_db):
    site = evidence_db["sites"].get(("e", CODE["read"]))
    assert {f["indicator"] for f in rows(evidence_db, "findings", "read") if f["veto"]} == {"blank_columns"}
    assert site["passed"] == 0 and site["status"] == "complete" and site["undecided"] is None


def test_a_channel_that_never_answers_is_a_finding(evidence_db):
    site = evidence_db["sites"].get(("e", CODE["dead"]))
    assert {f["indicator"] for f in rows(evidence_db, "findings", "dead") if f["veto"]} == {"no_consultation_channel"}
    assert site["passed"] == 0 and site["undecided"] is None
