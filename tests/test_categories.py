"""Column name -> category: exact names, longest keyword, site override, unknown -> periodic."""
from pathlib import Path

import pytest

from govcrawl.categories import Categories, CategoryTableError

CATS = Categories.load()


@pytest.mark.parametrize("name,category", [
    ("工作动态", "news"), ("政务动态", "news"), ("要闻", "news"), ("部门动态", "news"), ("县区动态", "news"),
    ("乡镇动态", "news"), ("图片新闻", "news"), ("本地要闻", "news"), ("媒体聚焦", "news"), ("文化动态", "news"),
    ("通知公告", "notice"), ("公示公告", "notice"), ("公告公示", "notice"), ("政策文件", "notice"), ("规范性文件", "notice"),
    ("政策法规", "notice"), ("政策解读", "notice"), ("人事招聘", "notice"),
    ("人事信息", "periodic"), ("规划计划", "periodic"), ("统计信息", "periodic"), ("统计数据", "periodic"),
    ("财政资金", "periodic"), ("财政预决算", "periodic"), ("建议提案办理", "periodic"), ("工作总结", "periodic"),
    ("政府信息公开年报", "periodic"),
    ("机构职能", "reference"), ("领导信息", "reference"), ("领导之窗", "reference"), ("概况", "reference"),
    ("办事指南", "reference"), ("法规库", "reference"), ("联系我们", "reference"),
    (" ·工作动态 》", "news"), ("工作动态更多>>", "news"),   # decoration and 更多 are ignored
    ("双拥共建", "periodic"), ("", "periodic"),               # unknown -> periodic
])
def test_classify(name, category):
    assert CATS.classify(name) == category


def test_override_takes_precedence(tmp_path: Path):
    override = tmp_path / "site.toml"
    override.write_text('[exact]\n"工作动态" = "periodic"\n[keywords]\nreference = ["文物"]\n', encoding="utf-8")
    cats = Categories.load(override=override)
    assert cats.classify("工作动态") == "periodic"
    assert cats.classify("文物动态") == "reference"  # an override keyword beats the base table
    assert cats.classify("通知公告") == "notice"     # the rest of the base table still applies


def test_custom_default(tmp_path: Path):
    table = tmp_path / "t.toml"
    table.write_text('default = "reference"\n[exact]\n"要闻" = "news"\n', encoding="utf-8")
    cats = Categories.load(table)
    assert (cats.classify("要闻"), cats.classify("工作动态")) == ("news", "reference")


@pytest.mark.parametrize("body", ['[exact]\n"要闻" = "hot"\n', "not = [toml"])
def test_bad_table_is_reported(tmp_path: Path, body):
    table = tmp_path / "bad.toml"
    table.write_text(body, encoding="utf-8")
    with pytest.raises(CategoryTableError):
        Categories.load(table)
