from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcrawl.registry import RegistryError, RegistryProblem, Site, check_command, read_registry

DATA = Path(__file__).parent / "registries"
HEADER = "site_code,name,unit,url\n"


def write(tmp_path: Path, text: str, name: str = "registry.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_with_optional_columns_and_normalisations():
    sites, problems = read_registry(DATA / "good.csv")
    assert problems == []
    by_code = {site.site_code: site for site in sites}
    assert list(by_code) == ["4300000017", "4300000033", "4301000008", "bm17000009", "4305110001"]
    assert by_code["4300000017"] == Site("4300000017", "湖南省人民政府门户网站", "省直",
                                         "http://www.hunan.gov.cn/", "portal", True, False, None, 2)
    fgw = by_code["4300000033"]
    assert (fgw.kind, fgw.services, fgw.categories) == (
        "department", True, str((DATA / "categories" / "fgw.toml").resolve()))
    changsha = by_code["4301000008"]  # full-width digits, no scheme, render=yes, empty services
    assert (changsha.url, changsha.render, changsha.services) == ("http://www.changsha.gov.cn", True, None)
    ministry = by_code["bm17000009"]  # "BM 1700 0009", full-width brackets kept in the name
    assert (ministry.name, ministry.services) == ("国家某部（局）", False)
    district = by_code["4305110001"]  # IP host kept, names stripped
    assert (district.name, district.unit, district.url) == ("大祥区人民政府", "邵阳市", "http://10.1.2.3/dxq/")


def test_bom_crlf_blank_lines_and_multiline_field_keep_line_numbers():
    sites, problems = read_registry(DATA / "bom_crlf.csv")
    assert [(s.site_code, s.line) for s in sites] == [
        ("4300000017", 2), ("4300000018", 4), ("4300000020", 8)]
    assert sites[1].name == "湖南省 多行名称"
    assert problems == [RegistryProblem(str(DATA / "bom_crlf.csv"), 7, "name is empty")]


def test_gbk_excel_export():
    sites, problems = read_registry(DATA / "gbk.csv")
    assert [(s.name, s.unit, s.services) for s in sites] == [
        ("湖南省人民政府", "省直", True), ("长沙市人民政府", "长沙市", False)]
    assert [(p.line, p.reason) for p in problems] == [
        (4, "url 'ftp://www.xiangtan.gov.cn/' is not http or https")]


@pytest.mark.parametrize("line, reason", [
    (3, "site_code '430000001' is not 10 digits or bm + 8 digits"),
    (4, "site_code 'bm1700009x' is not 10 digits or bm + 8 digits"),
    (5, "url 'ftp://c.hunan.gov.cn/' is not http or https"),
    (6, "url 'http://d.hunan .gov.cn/' contains spaces"),
    (7, "url 'http:///index.html' has no host"),
    (8, "name is empty"),
    (9, "unit is empty"),
    (10, "duplicate site_code 4300000017 (first on line 2)"),
    (11, "too few fields: 3 where the header has 6 (missing url, kind, services)"),
    (12, "kind 'website' is not portal or department; services 'maybe' is not yes or no"),
    (13, "url 'http://i.hunan.gov.cn:99999/' is malformed: Port out of range 0-65535"),
    (14, "unit is empty; url 'mailto:x@hunan.gov.cn' is not http or https"),
])
def test_bad_rows_are_reported_once_each_and_skipped(line, reason):
    sites, problems = read_registry(DATA / "bad_rows.csv")
    assert [s.site_code for s in sites] == ["4300000017", "4300000030"]
    assert len(problems) == 12
    found = {p.line: p for p in problems}
    assert found[line].reason == reason
    assert str(found[line]) == f"{DATA / 'bad_rows.csv'}:{line}: {reason}"


@pytest.mark.parametrize("header", [
    "SITE_CODE,Name,Unit,URL", " site code , name , unit , url ", "网站标识码,网站名称,主办单位,网址",
    "site_code,name,unit,url,,,", "url,unit,name,site_code,extra",
])
def test_header_variants(tmp_path, header):
    columns = [c.strip() for c in header.split(",")]
    values = {"4300000017": "site_code", "湖南省人民政府": "name", "省直": "unit",
              "http://www.hunan.gov.cn/": "url"}
    order = ["url", "unit", "name", "site_code"] if columns[0] == "url" else ["site_code", "name", "unit", "url"]
    by_column = {v: k for k, v in values.items()}
    row = ",".join(by_column[c] for c in order) + ("," * (len(columns) - 4))
    sites, problems = read_registry(write(tmp_path, f"{header}\n{row}\n"))
    assert problems == []
    assert (sites[0].site_code, sites[0].name, sites[0].unit, sites[0].url) == (
        "4300000017", "湖南省人民政府", "省直", "http://www.hunan.gov.cn/")


@pytest.mark.parametrize("cell, expected", [
    ("４３０００００００１", "4300000001"), ("bm 1700 0009", "bm17000009"), ("BM17000009", "bm17000009"),
    (" 4300000001 ", "4300000001"), ("ＢＭ１７０００００９", "bm17000009"),
])
def test_site_code_normalisation(tmp_path, cell, expected):
    sites, _ = read_registry(write(tmp_path, f"{HEADER}{cell},名称,省直,http://a.gov.cn/\n"))
    assert sites[0].site_code == expected


@pytest.mark.parametrize("cell, expected", [
    ("www.a.gov.cn", "http://www.a.gov.cn"), ("//a.gov.cn/x/", "http://a.gov.cn/x/"),
    ("HTTPS://A.gov.cn/", "https://A.gov.cn/"), ("a.gov.cn:8080/sub/", "http://a.gov.cn:8080/sub/"),
    ("ｈｔｔｐ：／／ａ．ｇｏｖ．ｃｎ／", "http://a.gov.cn/"), ("http://[2001:db8::1]/", "http://[2001:db8::1]/"),
    ("http://中国政府.政务/", "http://中国政府.政务/"),
])
def test_url_normalisation(tmp_path, cell, expected):
    sites, problems = read_registry(write(tmp_path, f"{HEADER}4300000001,名称,省直,{cell}\n"))
    assert problems == []
    assert sites[0].url == expected


@pytest.mark.parametrize("cell, reason", [
    ("", "url is empty"), ("javascript:void(0)", "is not http or https"),
    ("http://a.gov.cn/a b.html", "contains spaces"), ("http://a<b>.gov.cn/", "invalid host"),
    ("http://[::1/", "malformed"),
])
def test_bad_urls(tmp_path, cell, reason):
    sites, problems = read_registry(write(tmp_path, f"{HEADER}4300000001,名称,省直,\"{cell}\"\n"))
    assert sites == [] and len(problems) == 1
    assert reason in problems[0].reason


def test_duplicate_of_a_bad_row_is_not_a_duplicate(tmp_path):
    text = f"{HEADER}4300000001,,省直,http://a.gov.cn/\n4300000001,名称,省直,http://a.gov.cn/\n"
    sites, problems = read_registry(write(tmp_path, text))
    assert [s.line for s in sites] == [3] and [p.line for p in problems] == [2]


def test_tab_separated_paste(tmp_path):
    sites, problems = read_registry(write(tmp_path, "site_code\tname\tunit\turl\n4300000001\t名称\t省直\thttp://a.gov.cn/\n"))
    assert problems == [] and sites[0].url == "http://a.gov.cn/"


def test_missing_categories_file_is_a_bad_row(tmp_path):
    text = "site_code,name,unit,url,categories\n4300000001,名称,省直,http://a.gov.cn/,nope.toml\n"
    _, problems = read_registry(write(tmp_path, text))
    assert "categories file 'nope.toml' not found" in problems[0].reason


@pytest.mark.parametrize("name, reason", [
    ("missing.csv", "no such file"),
    ("blank.csv", "the file is empty"),
    ("header_only.csv", "header but no site rows"),
    ("image_renamed.csv", "is a PNG image"),
    ("workbook_renamed.csv", "ZIP archive (an .xlsx workbook?"),
    ("missing_url_column.csv", "header lacks required column(s) url"),
])
def test_unusable_files(name, reason):
    with pytest.raises(RegistryError) as caught:
        read_registry(DATA / name)
    assert str(caught.value).startswith(f"{DATA / name}: ")
    assert reason in str(caught.value)


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b"\xef\xbb\xbf\r\n", "empty"), (b"site_code,name\x00,unit,url\n", "NUL"),
    (b"\x81\x30", "not text in UTF-8 or GBK/GB18030"),
    (b"site_code,url,name,unit,url\n", "column 'url' twice"),
    (bytes(range(1, 32)) * 10, "control characters"),
])
def test_unusable_bytes(tmp_path, data, reason):
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    with pytest.raises(RegistryError, match=reason):
        read_registry(path)


def test_directory_is_unusable(tmp_path):
    with pytest.raises(RegistryError, match="is a directory"):
        read_registry(tmp_path)


@pytest.mark.parametrize("name, code, out, err_lines", [
    ("good.csv", 0, "5 sites ok, 0 bad rows\n", 0),
    ("bad_rows.csv", 1, "2 sites ok, 12 bad rows\n", 12),
    ("image_renamed.csv", 2, "", 1),
])
def test_check_command(capsys, name, code, out, err_lines):
    assert check_command(DATA / name) == code
    captured = capsys.readouterr()
    assert captured.out == out
    assert len(captured.err.splitlines()) == err_lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.lists(st.text(alphabet=",\"\r\n ab4３bm:/.是", max_size=40), max_size=6).map(
        lambda rows: (HEADER + "\n".join(rows)).encode("gb18030")),
))
def test_arbitrary_bytes_only_raise_registry_error(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        sites, problems = read_registry(path)
    except RegistryError:
        return
    assert all(isinstance(s, Site) and s.line >= 2 for s in sites)
    assert all(isinstance(p, RegistryProblem) and p.line >= 2 for p in problems)
