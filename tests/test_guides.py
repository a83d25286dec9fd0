"""Service guides: the five key categories from the three label idioms, JSON items and guide links."""
import json
from pathlib import Path

import pytest

from govcrawl.extract.guides import category_of, extract_guide, extract_guide_json, find_guide_links, is_present_value
from govcrawl.extract.page import Page
from govcrawl.scope import Scope

PAGES = Path(__file__).parent / "pages" / "guides"


def guide(name):
    return extract_guide(Page("http://www.example.gov.cn/bsfw/item.html", (PAGES / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize("name,title,missing", [
    # real template + real 广西 values: no materials label and no fee label on this tab
    ("guide_table_gx.html", "固定资产投资项目节能审查", ["materials", "fee"]),
    # 浙江: td pairs, <p>label</p><span>, <strong>label</strong><span> on one page; 是否收费 不收费 is present
    ("guide_idioms_zj.html", "食品经营许可证核发", ["materials"]),
    # labels present, values 暂无 / — / / / empty
    ("guide_empty_values.html", "农机购置补贴申请", ["materials", "location", "agency", "fee"]),
    # <strong>label：</strong>value prose; 收费标准 无 is a real answer; empty 工作时间
    ("guide_strong_colon.html", "社会团体成立登记", ["hours"]),
    # labels in a header row, values in the next row; 是否收费 否
    ("guide_header_table.html", "道路运输经营许可", ["materials"]),
    # 办事地点 / 办事时间: the 办事 wording of location and hours, th/td rows
    ("guide_banshi_labels.html", "个体工商户名称变更登记", []),
])
def test_guide_key_categories(name, title, missing):
    g = guide(name)
    assert g.title == title
    assert g.missing == missing
    assert not g.labels_only


def test_zhejiang_values_are_read_from_each_idiom():
    g = guide("guide_idioms_zj.html")
    assert g.values["location"] == "温州市鹿城区市府路500号行政审批服务中心3楼"  # <strong>具体地址</strong><span>
    assert g.values["agency"] == "温州市鹿城区市场监督管理局"  # <p>实施主体</p><span>
    assert g.values["fee"] == "不收费"
    assert g.fields["到办事现场次数"] == "0次"  # td label + sibling td
    assert g.fields["承诺办结时限"] == "即办"


def test_real_values_keep_their_quirks():
    g = guide("guide_table_gx.html")
    assert g.values["hours"] == "工作日：上午9:00-12:00、下午14：00-17:00"
    assert g.fields["咨询电话"] == "0777—6428820"
    assert g.fields["权限划分"] == ""


def test_epoint_tabs_are_labels_without_values():
    g = guide("guide_tabs_epoint.html")
    assert g.missing == ["materials", "location", "agency", "fee", "hours"]
    assert g.labels_only  # filled by AJAX: render before judging
    assert g.fields["申报材料"] == ""  # the next tab is not its value


def test_json_item_guangxi():
    g = extract_guide_json(json.loads((PAGES / "guide_item_gx.json").read_text(encoding="utf-8")))
    assert g.title == "固定资产投资项目节能审查"
    assert g.missing == []
    assert g.values["materials"] == "申请书、节能报告"
    assert g.values["fee"] == "不收费"  # is_fee 0
    assert g.values["agency"] == "灵山县行政审批局"


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


def test_find_guide_links():
    page = Page("http://www.hnnj.gov.cn/bsfw/", (PAGES / "guide_list.html").read_text(encoding="utf-8"))
    links = find_guide_links(page, Scope.for_site("http://www.hnnj.gov.cn/"))
    assert links[:1] == ["http://www.hnnj.gov.cn/bsfw/bszn/201812/t20181203_1.html"]
    assert set(links) == {f"http://www.hnnj.gov.cn/bsfw/bszn/201812/t20181203_{i}.html" for i in range(1, 5)} | {
        "http://zwfw.hunan.gov.cn/hnzwfw/1/2/bsznxq.do?itemid=4300000009001"}


@pytest.mark.parametrize("name", ["guide_table_gx.html", "guide_idioms_zj.html", "guide_empty_values.html",
                                  "guide_strong_colon.html", "guide_header_table.html", "guide_tabs_epoint.html",
                                  "guide_dl_headings.html"])
def test_guides_are_recognised_by_their_labels(name):
    assert guide(name).is_guide


def test_dl_and_heading_labels_with_synonyms():
    g = guide("guide_dl_headings.html")  # 设定依据/申请条件 in a dl; 所需材料/办理程序/承诺时限 as headings
    assert {"basis", "conditions", "materials", "process", "time_limit"} <= g.elements
    assert g.missing == [] and g.values["agency"] == "某某县社会保险服务中心" and g.values["fee"] == "不收费"
    assert g.values["location"] == "县政务服务中心一楼社保窗口"


def test_a_service_hub_is_no_guide_but_leads_to_guides():
    page = Page("http://www.xx.gov.cn/zwfw/", (PAGES / "service_hub.html").read_text(encoding="utf-8"))
    assert not extract_guide(page).is_guide  # guide words in prose are no labels
    scope = Scope.for_site("http://www.xx.gov.cn/")
    items = ["http://www.xx.gov.cn/zwfw/bszn/201909/t20190912_1001.html",
             "http://www.xx.gov.cn/zwfw/bszn/201909/t20190912_1002.html"]
    assert find_guide_links(page, scope, items_only=True) == items  # a page not named as a service entry
    assert find_guide_links(page, scope)[:2] == items and len(find_guide_links(page, scope)) == 5  # + department lists


@pytest.mark.parametrize("name", ["letters/detail_beijing.html", "letters/detail_dean.html", "article/trs_mee.html",
                                  "shapes/trs/trs_browser_saved/inputs/page.html", "guides/guide_list.html"])
def test_other_pages_are_no_guides(name):
    page = Page("http://www.example.gov.cn/a.html", (PAGES.parent / name).read_text(encoding="utf-8"))
    assert not extract_guide(page).is_guide
