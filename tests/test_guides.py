"""Service guides: the five key categories from the three label idioms, JSON items and guide links."""
import json

import pytest

from govcrawl.extract.guides import category_of, extract_guide, extract_guide_json, find_guide_links, is_present_value
from govcrawl.extract.page import Page
from govcrawl.scope import Scope
from tests.shape_cases import case_id, load_case, page_file, replay_saved, saved_case, saved_cases


def read_guide_page(page: Page, spec: dict) -> dict:
    """The guide read from the page (a JSON item or markup) and, for a page that leads to guides, its guide links."""
    if page.text.lstrip().startswith("{"):
        return {"guide": extract_guide_json(json.loads(page.text))}
    found = {"guide": extract_guide(page)}
    if "site" in spec:
        scope = Scope.for_site(spec["site"])
        links = find_guide_links(page, scope)
        found |= {"guide_links": sorted(set(links)), "first_guide_link": links[0], "first_guide_links": links[:2],
                  "guide_link_count": len(links), "guide_items": find_guide_links(page, scope, items_only=True)}
    return found


@pytest.mark.parametrize("case", saved_cases("guides"), ids=case_id)
def test_saved_guide_pages(case):
    got, expected = replay_saved(case, read_guide_page)
    assert got == expected


def test_dl_and_heading_labels_with_synonyms():
    page, _ = load_case(saved_case("guides", "guide_dl_headings"))
    assert {"basis", "conditions", "materials", "process", "time_limit"} <= extract_guide(page).elements


def test_json_item_missing_window():
    item = {"data": {"list": [{"AUDIT_ITEM": {"task_name": "测试事项", "dept_name": "某局", "is_fee": "1"}}]}}
    g = extract_guide_json(item)
    assert g.missing == ["materials", "location", "hours"] and g.values["fee"] == "收费"


@pytest.mark.parametrize("label,category", [
    ("办理材料", "materials"), ("申请材料目录", "materials"), ("申报材料：", "materials"), ("具体地址", "location"),
    ("办理窗口", "location"), ("实施主体", "agency"), ("受理单位", "agency"), ("是否收费", "fee"),
    ("收费依据", "fee"), ("工作时间", "hours"), ("受理时间", "hours"), ("办理流程", None), ("办理地点/时间", None),
])
def test_category_of(label, category):
    assert category_of(label) == category


@pytest.mark.parametrize("category,value,present", [
    ("fee", "不收费", True), ("fee", "无", True), ("fee", "免费", True), ("fee", "", False), ("fee", "暂无", False),
    ("location", "无", False), ("location", "—", False), ("location", "/", False), ("location", None, False),
    ("hours", "工作日 9:00-17:00", True), ("materials", "暂无。", False),
])
def test_is_present_value(category, value, present):
    assert is_present_value(category, value) is present


@pytest.mark.parametrize("area,name", [("letters", "detail_beijing"), ("letters", "detail_dean"), ("article", "trs_mee"),
                                       ("shapes/trs", "trs_browser_saved")])
def test_other_pages_are_no_guides(area, name):
    page = Page("http://www.example.gov.cn/a.html", page_file(saved_case(area, name)).read_text(encoding="utf-8"))
    assert not extract_guide(page).is_guide
