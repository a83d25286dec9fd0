"""Footer facts from the real footer variants (8 sites), incl. text inside document.write strings."""
from pathlib import Path

import pytest

from govcrawl.extract.footer import extract_footer, written_strings
from govcrawl.extract.page import Page

PAGES = Path(__file__).parent / "pages" / "footer"


def footer(name):
    return extract_footer(Page("http://www.example.gov.cn/", (PAGES / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize("name,site_code,jiucuo,icp,police,conac", [
    ("1_mee.html", "bm17000009", "bm17000009", "京ICP备05009132号", "京公网安备 11040102700072号", False),
    # no visible code; ICP only in a document.write'd title attribute; conac badge document.write'd
    ("2_shanghai.html", None, "3100000044", "沪ICP备12004267", None, True),
    ("3_jinhu.html", None, "3208310001", "苏ICP备06024932号", None, True),
    ("4_langfang.html", "1310000050", "1310000050", "冀ICP备09050832号-1", "冀公网安备 13100302000636号", True),
    ("5_ningbo.html", None, "3302000071", "浙ICP备14024908号", None, True),
    ("6_xinghualing.html", None, "1401070001", None, None, False),
    ("7_loader.html", None, "3505240010", None, None, False),
    ("8_ministries.html", "bm29040001", "bm29040001", "京ICP备030173号", None, False),
])
def test_codes_and_badges(name, site_code, jiucuo, icp, police, conac):
    f = footer(name)
    assert (f.site_code_text, f.jiucuo_sitecode, f.icp, f.police_record, f.conac) == (site_code, jiucuo, icp, police, conac)
    assert f.jiucuo_script  # every variant carries the widget: tag, rendered span or loader


@pytest.mark.parametrize("name,sponsor,contact", [
    ("1_mee.html", "中华人民共和国生态环境部", None),           # 版权所有：…
    ("2_shanghai.html", None, "地址：人民大道200号"),
    ("3_jinhu.html", "金湖县人民政府", "地址：江苏省金湖县建设路109号（县行政中心大楼）"),  # "…主办" spans
    ("8_ministries.html", "国家税务总局", "地址：北京市海淀区羊坊店西路5号"),
    ("9_commented_old_code.html", "湖南省文物局", "联系电话：0731-84405555"),
])
def test_sponsor_and_contact(name, sponsor, contact):
    f = footer(name)
    assert (f.sponsor, f.contact) == (sponsor, contact)


def test_meta_sitecode():
    assert footer("1_mee.html").meta_sitecode == "bm17000009"
    assert footer("3_jinhu.html").meta_sitecode is None


def test_commented_out_footer_is_ignored():
    f = footer("9_commented_old_code.html")
    assert (f.site_code_text, f.jiucuo_sitecode, f.jiucuo_script) == (None, None, False)
    assert f.icp == "湘ICP备05001234号"


def test_an_article_title_is_not_the_conac_badge():
    assert footer("1_mee.html").conac is False  # the page lists "党政机关办公用房…" as news


def test_written_strings_decodes_unescape_and_quotes():
    text = ('document.write(unescape("%3Cspan id=\'_ideConac\' %3E%3C/span%3E"));'
            'document.write("<a href=\\"http://www.miibeian.gov.cn\\" title=\\"沪ICP备12004267\\">");')
    assert written_strings(text) == ["<span id='_ideConac' ></span>",
                                     '<a href="http://www.miibeian.gov.cn" title="沪ICP备12004267">']
