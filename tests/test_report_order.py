"""Ordering and number formats of the report, as the notice prints them."""
import pytest

from govcrawl.report import order


@pytest.mark.parametrize("part,whole,text", [
    (6, 57, "10.53%"), (1, 52, "1.92%"), (2, 26, "7.69%"), (1, 49, "2.04%"), (1, 50, "2.00%"), (1, 36, "2.78%"),
    (12, 638, "1.88%"), (0, 54, "0.00%"), (0, 0, "0.00%"), (5, 13, "38.46%"), (3, 8, "37.50%"), (38, 141, "26.95%"),
])
def test_percent_as_in_the_notice(part, whole, text):
    assert order.percent(part, whole) == text


@pytest.mark.parametrize("failing,checked,text", [(12, 638, "98.12%"), (38, 141, "73.05%"), (0, 3, "100.00%"),
                                                  (0, 0, "—")])
def test_pass_rate(failing, checked, text):
    assert order.pass_rate(failing, checked) == text


def test_units_省直_first_then_region_code():
    pairs = [("衡阳市", "4304000012"), ("株洲市", "4302000015"), ("湘西自治州", "4331000012"), ("省直部门", "4300000017"),
             ("长沙市", "4301000023"), ("邵阳市", "4305110001"), ("邵阳市", "4305000030"), ("新区", "bm17000009")]
    regions = order.unit_regions(pairs)
    assert regions["邵阳市"] == "430500"
    units = sorted({u for u, _ in pairs}, key=lambda u: order.unit_sort_key(u, regions))
    assert units == ["省直部门", "长沙市", "株洲市", "衡阳市", "邵阳市", "湘西自治州", "新区"]


@pytest.mark.parametrize("unit,table,listing", [("省直", "省直部门", "省直"), ("省直部门", "省直部门", "省直"),
                                                ("益阳市", "益阳市", "益阳市")])
def test_unit_labels(unit, table, listing):
    assert (order.table_label(unit), order.list_label(unit)) == (table, listing)


def test_problem_order_follows_the_notice():
    # the notice prints 湖南文化遗产网 as 互动回应不及时…；应更新但长期未更新…
    assert order.ordered_problems(["columns_long_stale", "letters_unanswered"]) == \
        ["letters_unanswered", "columns_long_stale"]
    assert order.ordered_problems(["guide_elements_missing", "site_unreachable", "x_unknown"]) == \
        ["site_unreachable", "guide_elements_missing", "x_unknown"]


@pytest.mark.parametrize("platform,name", [("wechat", "微信"), ("WeiBo", "新浪微博"), ("微信", "微信"), (None, "")])
def test_platform_names(platform, name):
    assert order.platform_name(platform) == name
