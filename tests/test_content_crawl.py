"""Extraction by content in a crawl: guides reached from service entries whatever their name (and from a site's own
vocabulary file), a single-page column dated from its article, a hand-edited list read whole."""
import json
from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import crawl
from tests.hostile import Writer, dated_list, nav, news_rows, page

CODE = {"svc": "4398000001", "own": "4398000002"}
HOST = {key: f"{key}.content.gov.cn" for key in CODE}
GUIDE = """<h1>{title}</h1><table class="bszn">
<tr><td>实施主体</td><td>某某县民政局</td></tr><tr><td>设定依据</td><td>《社会团体登记管理条例》</td></tr>
<tr><td>受理条件</td><td>有规范的名称和相应的组织机构</td></tr><tr><td>办理流程</td><td>申请、受理、审查、决定</td></tr>
<tr><td>办理时限</td><td>20个工作日</td></tr><tr><td>办理地点</td><td>县政务服务中心二楼</td></tr></table>"""
# a hand-edited list: layout tables, <font> left open in every cell, no </td> or </tr>, upper-case tags
SLOPPY = ("<TABLE width=100%><TR><TD width=180>&nbsp;<TD><center><table>"
          + "".join(f"<tr><td><font size=2><a href=/gzdt/201906/t2019060{i}_{i}.html>县政府召开第{i}次常务会议研究部署工作</a>"
                    f"<td><font color=#999>2019-06-0{i}" for i in (1, 2, 3))
          + "</table></center></TABLE>")


def build(root: Path) -> Path:
    w = Writer(root)
    # 便民服务: a service column under a name the spider never knew; its hub lists departments, they list items
    host = HOST["svc"]
    columns = [("工作动态", "/gzdt/"), ("机构职能", "/jgzn/"), ("便民服务", "/bmfw/")]
    w.file(host, "/", page("svc测试网站", nav(columns) + dated_list(news_rows("/gzdt", ["2019-06-05"]))))
    w.file(host, "/gzdt/", page("工作动态", nav(columns) + SLOPPY))
    w.file(host, "/jgzn/", page("机构职能", nav(columns) + "<div><h2>某某县民政局主要职责</h2><p>"
                                + "贯彻执行国家和省民政工作的方针政策和法律法规，拟订全县民政事业发展规划并组织实施。" * 2 + "</p></div>",
                                head='<meta charset="utf-8"><meta name="PubDate" content="2019-03-02 09:00:00">'))
    w.file(host, "/bmfw/", page("便民服务", nav(columns) + dated_list([
        ("/bmfw/mzj/", "县民政局办事事项", "2019-05-01"), ("/bmfw/rsj/", "县人社局办事事项", "2019-05-01"),
        ("/bmfw/scj/", "县市场监管局办事事项", "2019-05-01")])))
    for dept in ("mzj", "rsj", "scj"):
        w.file(host, f"/bmfw/{dept}/", page("事项", nav(columns) + "<ul>" + "".join(
            f'<li><a href="/bmfw/bszn/{dept}_{n}.html">社会团体成立登记（{dept}{n}）</a></li>' for n in (1, 2)) + "</ul>"))
        for n in (1, 2):
            w.file(host, f"/bmfw/bszn/{dept}_{n}.html", page("办事指南", GUIDE.format(title=f"社会团体成立登记{dept}{n}")))
    # a service column named only in the site's own vocabulary file
    host = HOST["own"]
    columns = [("工作动态", "/gzdt/"), ("我的专属通道", "/zstd/")]
    w.file(host, "/", page("own测试网站", nav(columns) + dated_list(news_rows("/gzdt", ["2019-06-05"]))))
    w.file(host, "/gzdt/", page("工作动态", nav(columns) + dated_list(news_rows("/gzdt", ["2019-06-05"]))))
    w.file(host, "/zstd/", page("我的专属通道", nav(columns) + "<ul>" + "".join(
        f'<li><a href="/zstd/{n}.html">社会团体成立登记（{n}）</a></li>' for n in (1, 2, 3)) + "</ul>"))
    for n in (1, 2, 3):
        w.file(host, f"/zstd/{n}.html", page("办事指南", GUIDE.format(title=f"社会团体成立登记{n}")))
    (root / "own.toml").write_text('[service_columns]\nwords = ["专属通道"]\n', encoding="utf-8")
    (root / "registry.csv").write_text(
        "site_code,name,unit,url,kind,services,vocabulary\n"
        f"{CODE['svc']},svc测试网站,省直,http://{HOST['svc']}/,department,yes,\n"
        f"{CODE['own']},own测试网站,省直,http://{HOST['own']}/,department,yes,own.toml\n", encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps({"responses": w.manifest}), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = build(tmp_path_factory.mktemp("content"))
    result = crawl(root / "crawl.db", "-a", "run=c", "-s", "GOVCRAWL_RENDER=0", fixtures=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return sqlite_utils.Database(root / "crawl.db")


def rows(db, table, key, where="1"):
    return list(db.query(f"select * from {table} where run_id = 'c' and site_code = ? and {where}", [CODE[key]]))


def test_guides_reached_from_a_service_column_of_any_name(db):
    guides = rows(db, "guides", "svc")
    assert len(guides) == 5  # GOVCRAWL_GUIDE_SAMPLE, through the hub and the department lists
    assert all(g["url"].startswith(f"http://{HOST['svc']}/bmfw/bszn/") for g in guides)
    assert all(json.loads(g["missing"]) == ["materials", "fee", "hours"] for g in guides)


def test_guides_reached_through_the_sites_own_vocabulary(db):
    assert {g["url"] for g in rows(db, "guides", "own")} == {f"http://{HOST['own']}/zstd/{n}.html" for n in (1, 2, 3)}


def test_single_page_column_dated_from_its_article(db):
    entries = rows(db, "entries", "svc", f"column_url = 'http://{HOST['svc']}/jgzn/'")
    assert [(e["date"], e["date_source"]) for e in entries] == [("2019-03-02", "article:meta:PubDate")]


def test_hand_edited_list_read_whole(db):
    entries = rows(db, "entries", "svc", f"column_url = 'http://{HOST['svc']}/gzdt/'")
    assert sorted(e["date"] for e in entries) == ["2019-06-01", "2019-06-02", "2019-06-03"]
