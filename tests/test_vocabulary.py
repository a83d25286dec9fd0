"""Name vocabularies as data: the package file, a site's additions through the registry, clear errors."""
from pathlib import Path

import pytest

from govcrawl.extract.blocks import error_page, waf_block
from govcrawl.extract.letters import channel_kind, find_channels
from govcrawl.extract.listing import _blank_marker
from govcrawl.extract.page import Page
from govcrawl.registry import read_registry
from govcrawl.scope import Scope
from govcrawl.vocabulary import DEFAULT_FILE, VOCABULARY, Vocabulary, VocabularyError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_package_lists_are_wide():
    assert {"办事指南", "政务服务", "办事服务", "网上办事", "在线办事", "便民服务", "服务事项"} <= set(
        VOCABULARY.words("service_columns.words"))
    labels = {key: set(VOCABULARY.words(f"guide_labels.{key}")) for key in
              ("basis", "conditions", "materials", "process", "time_limit")}
    assert {"办理依据", "设定依据"} <= labels["basis"] and {"受理条件", "申请条件"} <= labels["conditions"]
    assert {"申请材料", "所需材料", "申报材料"} <= labels["materials"] and {"办理流程", "办理程序"} <= labels["process"]
    assert {"办理时限", "承诺时限", "法定时限"} <= labels["time_limit"]
    assert ("暂无信息", "暂无信息") in VOCABULARY.blank_markers()


def test_override_extends_and_reaches_the_extractors(tmp_path):
    own = write(tmp_path, "own.toml", '[channels]\nconsultation = ["有事好商量"]\n[service_columns]\nwords = ["专属通道"]\n')
    vocab = Vocabulary.load(own)
    assert "专属通道" in vocab.words("service_columns.words") and "办事指南" in vocab.words("service_columns.words")
    assert channel_kind("有事好商量", vocab) == "consultation" and channel_kind("有事好商量") is None
    page = Page("http://www.a.gov.cn/", '<a href="/yshsl/">有事好商量</a><a href="/szxx/">市长信箱</a>')
    scope = Scope.for_site("http://www.a.gov.cn/")
    assert [c.name for c in find_channels(page, scope, vocab)] == ["有事好商量", "市长信箱"]
    assert [c.name for c in find_channels(page, scope)] == ["市长信箱"]
    assert Vocabulary.load(own) is vocab  # read once per file
    assert "专属通道" not in VOCABULARY.words("service_columns.words")  # the package lists are untouched


def test_page_blocks_are_data():
    assert waf_block(Page("http://a.gov.cn/", "<html><body>腾讯云 WAF 拦截</body></html>")) == "腾讯云 WAF"
    assert error_page(Page("http://a.gov.cn/", "<html><title>您所访问的页面不存在</title></html>")) == "您所访问的页面不存在"
    assert VOCABULARY.regex("page_blocks.error").search("404 not found")  # case-insensitive like the old regex


def test_blank_markers_come_from_the_data_file():
    page = Page("http://www.a.gov.cn/x/", "<html><body><div class='list'>暂无文章</div></body></html>")
    assert _blank_marker(page) == "暂无文章"  # a marker the code never named


@pytest.mark.parametrize("text,message", [
    ("[channels\n", "own.toml"),
    ('[nosuch]\nwords = ["x"]\n', "unknown section [nosuch]"),
    ('[channels]\nnosuch = ["x"]\n', "unknown list channels.nosuch"),
    ('[channels]\nconsultation = "信箱"\n', "channels.consultation must be a list of non-empty strings"),
    ('[blank_markers]\npatterns = [["暂无(", "x"]]\n', "bad regex"),
    ('[page_blocks]\nwaf = ["云盾("]\n', "page_blocks.waf: bad regex"),
])
def test_bad_override_files_name_file_and_entry(tmp_path, text, message):
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.load(write(tmp_path, "own.toml", text))
    assert message in str(caught.value) and "own.toml" in str(caught.value)


def test_registry_column(tmp_path):
    write(tmp_path, "own.toml", '[service_columns]\nwords = ["专属通道"]\n')
    write(tmp_path, "bad.toml", '[channels]\nconsultation = 1\n')
    registry = write(tmp_path, "r.csv", "网站标识码,网站名称,主办单位,网址,词表\n"
                     "4300000001,甲,省直,http://a.gov.cn/,own.toml\n4300000002,乙,省直,http://b.gov.cn/,bad.toml\n"
                     "4300000003,丙,省直,http://c.gov.cn/,nope.toml\n4300000004,丁,省直,http://d.gov.cn/,\n")
    sites, problems = read_registry(registry)
    assert [(s.site_code, s.vocabulary) for s in sites] == [
        ("4300000001", str(tmp_path / "own.toml")), ("4300000004", None)]
    reasons = {p.line: p.reason for p in problems}
    assert "vocabulary file" in reasons[3] and "channels.consultation" in reasons[3]
    assert "vocabulary file 'nope.toml' not found" in reasons[4]


def test_default_file_is_package_data():
    assert DEFAULT_FILE.name == "vocabulary.toml" and DEFAULT_FILE.parent.name == "govcrawl"
    text = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'govcrawl = ["*.toml"]' in text


def test_extractor_wording_is_data():
    """Challenge, article-part, personal-data, letter, footer and navigation wording is read from vocabulary.toml."""
    from govcrawl.extract import article, challenges, footer, letters, listing, navigation, personal, wechat
    assert challenges._PERSON[1][1] is VOCABULARY.regex("challenges.slider")
    assert set(challenges._PERSON_MARKERS) == set(VOCABULARY.words("challenges.markers"))
    assert article._RELATED is VOCABULARY.regex("article.related") and article._SITE_LIKE.search("某某市人民政府")
    assert listing._NOT_TITLE.fullmatch("下一页") and navigation._CRUMB.search("当前位置：首页")
    assert navigation._MORE.match("更多>>") and personal._NAME_LABEL.search("申请人：张伟")
    assert footer._CONTACT.search("联系电话：0731-88888888").group(1) == "联系电话"
    assert letters._STATUS_WORD.fullmatch("正在办理中") and letters.channel_kind("咨询投诉举报") == "consultation"
    assert wechat._ANTISPIDER_MARKERS[2][0] is VOCABULARY.regex("page_blocks.sogou_busy")


def test_challenge_markers_cover_every_person_pattern():
    """The prefilter skips a page that holds no marker: every word of a person-challenge list must contain one."""
    markers = VOCABULARY.words("challenges.markers")
    for kind in ("sms", "slider", "captcha"):
        for regex in VOCABULARY.words(f"challenges.{kind}"):
            assert any(m in regex.lower() for m in markers), (kind, regex)


def test_no_word_list_regex_is_left_in_code():
    """A regex alternation of three or more Chinese words in the code is a name list that belongs in the data file.
    Date forms (dates.py) are grammar, not vocabulary."""
    import re
    root = Path(__file__).parent.parent
    word_list = re.compile(r"[\u4e00-\u9fff]{2,}\|[\u4e00-\u9fff]{2,}\|[\u4e00-\u9fff]{2,}")
    found = [f"{path.relative_to(root)}:{n}" for folder in ("govcrawl", "spiders", "pipelines")
             for path in sorted((root / folder).rglob("*.py")) if path.name != "dates.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if word_list.search(line)]
    assert found == []
