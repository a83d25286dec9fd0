"""Content-safety extractors on saved pages: hidden links, personal data (masked), wording errors, tampering,
cloaking scripts; and the vocabulary files."""
import re
from datetime import date
import pytest

from govcrawl.extract.hidden import hidden_links
from govcrawl.extract.page import Page
from govcrawl.extract.personal import find_personal_data, id_check_ok, luhn_ok, mask, mask_personal_data
from govcrawl.extract.safety import cloaking_script, hidden_link_facts, personal_facts, tamper_facts, wording_facts
from govcrawl.extract.vocabulary import VocabularyError, safety_terms, wording_errors
from tests.shape_cases import as_of, case_id, load_case, replay_saved, saved_case, saved_cases

T = date(2019, 6, 10)
ID_OK, ID_BAD_CHECK = "430521195607043026", "430521197001011230"


def read_safety_facts(page: Page, spec: dict) -> dict:
    personal = personal_facts(page.visible_text, as_of(spec))
    return {"hidden_links": hidden_link_facts(page), "tamper": tamper_facts(page),
            "personal_kinds": sorted({d["kind"] for d in personal}),
            "masked_id_numbers": [d["masked"] for d in personal if d["kind"] == "id_number"]}


@pytest.mark.parametrize("case", saved_cases("safety"), ids=case_id)
def test_saved_pages(case):
    got, expected = replay_saved(case, read_safety_facts)
    assert got == expected


def html(body: str, head: str = "") -> Page:
    return Page("http://www.yiyang.gov.cn/", f"<html><head><title>益阳市人民政府</title>{head}</head><body>{body}</body></html>")


@pytest.mark.parametrize("markup,why", [
    ('<div style="display: none !important"><a href="http://x.com/">a</a></div>', "display:none"),
    ('<span style="visibility:hidden"><a href="http://x.com/">a</a></span>', "visibility:hidden"),
    ('<div style="position:absolute; top:-999px"><a href="http://x.com/">a</a></div>', "off-screen (top:-999px)"),
    ('<p style="text-indent:-9999px"><a href="http://x.com/">a</a></p>', "off-screen (text-indent:-9999px)"),
    ('<div style="height:0px;overflow:hidden"><a href="http://x.com/">a</a></div>', "zero size (height:0px, overflow:hidden)"),
    ('<font style="font-size:0"><a href="http://x.com/">a</a></font>', "zero size (font-size:0)"),
    ('<marquee height="0"><a href="http://x.com/">a</a></marquee>', "marquee height 0"),
    ('<div hidden><a href="http://x.com/">a</a></div>', "hidden attribute"),
    ('<div id="k"><a href="http://x.com/">a</a></div>', "display:none"),                 # via #k rule in <style>
])
def test_each_way_of_hiding(markup, why):
    links = hidden_links(html(markup, "<style>#k{display:none}</style>"))
    assert [(h.url, h.why) for h in links] == [("http://x.com/", why)]


@pytest.mark.parametrize("markup", [
    '<div style="position:absolute;left:-20px"><a href="http://x.com/">a</a></div>',   # a small nudge is visible
    '<div style="height:0"><a href="http://x.com/">a</a></div>',                      # overflow shows it
    '<marquee height="30"><a href="http://x.com/">a</a></marquee>',                   # a real scrolling banner
    '<a href="http://x.com/">visible</a>',
])
def test_visible_links_are_not_hidden(markup):
    assert hidden_links(html(markup)) == []


def test_personal_data_in_a_gongshi_table_never_leaves_unmasked():
    page, spec = load_case(saved_case("safety", "gongshi_table"))  # kinds and masked IDs: its expected.json
    found = personal_facts(page.visible_text, as_of(spec))
    text = repr(found)
    assert ID_OK not in text and "13907391234" not in text and "6217995910001234567" not in text
    assert not re.search(r"\d{5,}", text.replace("2019", ""))   # no run of 5 digits anywhere in the output
    assert "1230" not in {d["masked"][-4:] for d in found}       # the wrong check digit is not an ID


@pytest.mark.parametrize("text,kinds", [
    (f"身份证号{ID_OK}", ["id_number"]),
    (f"证书编号{ID_BAD_CHECK}", []),                                   # wrong check digit
    ("身份证号430521190002304028", []),                                 # 1900-02-30 is not a date
    ("身份证号430521203001013021", []),                                 # born after T
    ("联系人：张伟 13807371234", ["mobile"]),
    ("李娜 13907372222", ["mobile"]),
    ("咨询电话13807370000", []),                                        # a phone with no name
    ("银行卡号 6217995910001234567", ["bank_card"]),
    ("订单编号 6217995910001234567", []),                               # no 卡号/银行 near it
    ("银行卡号 6217995910001234568", []),                               # fails Luhn
])
def test_personal_data_rules(text, kinds):
    assert [d.kind for d in find_personal_data(text, T)] == kinds


def test_check_digits_and_masking():
    assert id_check_ok(ID_OK) and not id_check_ok(ID_BAD_CHECK) and id_check_ok("11010519491231002X")
    assert luhn_ok("6217995910001234567") and not luhn_ok("6217995910001234568")
    assert mask("13807371234") == "*******1234" and mask("11010519491231002X") == "**************002X"
    assert mask("6222 0202 0011 2233 446") == "**** **** **** ***3 446"
    masked = mask_personal_data(f"张伟 {ID_OK} 13807371234 证书{ID_BAD_CHECK} 热线13807370000 流水号12345678901234")
    # numbers shaped like an ID, a mobile or a card are masked even when no rule would report them
    assert masked == "张伟 **************3026 *******1234 证书**************1230 热线*******0000 流水号12345678901234"
    assert mask_personal_data("湘公网安备 43090202000111号") == "湘公网安备 43090202000111号"
    assert mask_personal_data("网站标识码4309000034 ICP备05001234号") == "网站标识码4309000034 ICP备05001234号"


def test_wording_errors_and_the_right_forms():
    found = wording_facts(html("<p>深入学习《中华人民共合国宪法》。全国人大常委会主席……</p>"))
    assert [(f["wrong"], f["right"]) for f in found] == [("中华人民共合国", "中华人民共和国"),
                                                         ("全国人大常委会主席", "全国人大常委会委员长")]
    assert all(f["source"] for f in found) and "宪法" in found[0]["context"]
    assert wording_facts(html("<p>中华人民共和国，全国人民代表大会常务委员会委员长，“一带一路”倡议</p>")) == []


def test_tampered_title_and_lawful_text():
    hacked = tamper_facts(Page("http://a.gov.cn/", "<title>澳门新葡京_百家乐</title><body>工作动态</body>"))
    assert hacked["title_terms"] == ["澳门新葡京", "百家乐"] and not hacked["lawful_title"]
    lawful = tamper_facts(html("<p>关于严厉打击网络赌博的通告：严禁百家乐、六合彩、时时彩。</p>"))
    assert lawful["body_terms"] == ["六合彩", "时时彩", "百家乐"] and "打击" in lawful["lawful_text"]
    assert tamper_facts(html("<p>湖南省福利彩票发行中心 体彩</p>")) is None     # ordinary words only


def test_cloaking_script():
    script = ("<script>var r=document.referrer;if(r.indexOf('baidu')>-1||r.indexOf('sogou')>-1)"
              "{window.location.href='http://www.88vnsc.com/';}</script>")
    assert "document.referrer" in cloaking_script(html(script))
    assert cloaking_script(html("<script>var s=document.referrer; _hmt.push(s);</script>")) is None


def test_vocabularies_name_their_sources(tmp_path):
    assert {"赌博", "彩票", "色情"} <= set(safety_terms().categories)
    assert all(e.source in ("xinhua-2016", "constitution", "gov-cn") for e in wording_errors())
    bad = tmp_path / "w.toml"
    bad.write_text('[[error]]\nwrong = "甲"\n', encoding="utf-8")
    with pytest.raises(VocabularyError, match=str(bad)):
        wording_errors(bad)
    broken = tmp_path / "t.toml"
    broken.write_text("[categories.x\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=str(broken)):
        safety_terms(broken)


def test_links_keep_their_long_ids_but_never_a_personal_number():
    """An evidence link must still lead to its post; an ID or a mobile number in a link is masked all the same."""
    post = "https://m.weibo.cn/status/4391234567890123?containerid=1076031234567890"
    assert mask_personal_data(post) == post
    leaked = f"http://www.x.gov.cn/gs?sfz={ID_OK}&tel=13807371234"
    assert mask_personal_data(leaked) == "http://www.x.gov.cn/gs?sfz=**************3026&tel=*******1234"
