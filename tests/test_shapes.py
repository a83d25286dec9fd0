"""The page-shape registry: every saved case of every family replays to its expected output, families are found by
discovery, and a made-up CMS family added as one module (tests/shapes_plugin/toycms.py on GOVCRAWL_SHAPES_PATH) plus
its saved pages makes a crawl list and date columns that the built-in families cannot read."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils

from govcrawl import shapes
from tests.conftest import crawl
from tests.hostile import Writer, nav, page
from tests.shape_cases import case_id, replay, shape_cases

PLUGIN = Path(__file__).parent / "shapes_plugin"
TOY_CASES = PLUGIN / "cases"


@pytest.mark.parametrize("case", shape_cases(), ids=case_id)
def test_every_saved_case_of_every_family(case: Path) -> None:
    got, expected = replay(case)
    assert got == expected


def test_families_are_discovered_in_priority_order() -> None:
    found = shapes.families()
    assert {"generic", "hanweb", "trs", "ajax"} <= {f.name for f in found}
    assert [f.priority for f in found] == sorted(f.priority for f in found) and found[-1].name == "generic"


@pytest.fixture
def toy_path(tmp_path, monkeypatch) -> Path:
    """A plug-in folder holding only the toy family's module, named by GOVCRAWL_SHAPES_PATH."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    shutil.copy(PLUGIN / "toycms.py", folder / "toycms.py")
    monkeypatch.setenv(shapes.PATH_VARIABLE, str(folder))
    return folder


@pytest.mark.parametrize("case", shape_cases(TOY_CASES), ids=case_id)
def test_toy_family_cases_replay_with_its_module(case: Path, toy_path: Path) -> None:
    assert "toycms" in [f.name for f in shapes.families()]
    got, expected = replay(case)
    assert got == expected


@pytest.mark.parametrize("case", shape_cases(TOY_CASES, having="entries"), ids=case_id)
def test_toy_family_pages_are_unread_without_its_module(case: Path) -> None:
    got, _ = replay(case)
    assert got["entries"] == []


def test_a_bad_plugin_folder_is_named(tmp_path, monkeypatch) -> None:
    (tmp_path / "nameless.py").write_text("PRIORITY = 5\n", encoding="utf-8")
    monkeypatch.setenv(shapes.PATH_VARIABLE, str(tmp_path))
    with pytest.raises(shapes.ShapeError, match="nameless.py"):
        shapes.families()
    monkeypatch.setenv(shapes.PATH_VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(shapes.ShapeError, match="missing"):
        shapes.families()


HOST, CODE = "toy.shapes.gov.cn", "4397000001"
COLUMNS = [("工作动态", "/gzdt/"), ("通知公告", "/tzgg/")]


def build_toy_site(root: Path) -> Path:
    """A site whose homepage is ordinary markup and whose column lists are the toy family's saved pages."""
    w = Writer(root)
    w.file(HOST, "/", page("toy测试网站", nav(COLUMNS) + "<div class='main'><p>欢迎访问</p></div>"))
    for _name, path in COLUMNS:
        list_page = (TOY_CASES / "toycms" / "news_list" / "inputs" / "page.html").read_text(encoding="utf-8")
        w.file(HOST, path, list_page.replace("/gzdt/", path))
    (root / "registry.csv").write_text("site_code,name,unit,url,kind,services\n"
                                       f"{CODE},toy测试网站,省直,http://{HOST}/,department,no\n", encoding="utf-8")
    (root / "manifest.json").write_text('{"responses": {}}', encoding="utf-8")
    return root


def crawl_columns(root: Path, run: str, env_folder: Path | None, monkeypatch) -> dict[str, str | None]:
    if env_folder is None:
        monkeypatch.delenv(shapes.PATH_VARIABLE, raising=False)
    result = crawl(root / f"{run}.db", "-a", f"run={run}", "-s", "GOVCRAWL_RENDER=0", fixtures=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    db = sqlite_utils.Database(root / f"{run}.db")
    return {r["url"]: r["newest_date"] for r in db.query(
        "select url, newest_date from columns where run_id = ? and role = 'column'", [run])}


def test_a_crawl_lists_and_dates_the_toy_familys_columns(tmp_path, toy_path, monkeypatch) -> None:
    root = build_toy_site(tmp_path / "site")
    with_module = crawl_columns(root, "toy", toy_path, monkeypatch)
    assert with_module == {f"http://{HOST}{path}": "2019-06-05" for _n, path in COLUMNS}
    without = crawl_columns(root, "plain", None, monkeypatch)
    assert set(without) == set(with_module) and not any(without.values())
