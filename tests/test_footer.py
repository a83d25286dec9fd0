"""Footer facts from the real footer variants (8 sites, tests/pages/footer/<case>/), incl. text inside document.write
strings."""
import pytest

from govcrawl.extract.footer import extract_footer, written_strings
from govcrawl.extract.page import Page
from tests.shape_cases import case_id, replay_saved, saved_cases


def read_footer(page: Page, spec: dict):
    return extract_footer(page)


@pytest.mark.parametrize("case", saved_cases("footer"), ids=case_id)
def test_codes_badges_sponsor_and_contact(case):
    got, expected = replay_saved(case, read_footer)
    assert got == expected


def test_written_strings_decodes_unescape_and_quotes():
    text = ('document.write(unescape("%3Cspan id=\'_ideConac\' %3E%3C/span%3E"));'
            'document.write("<a href=\\"http://www.miibeian.gov.cn\\" title=\\"沪ICP备12004267\\">");')
    assert written_strings(text) == ["<span id='_ideConac' ></span>",
                                     '<a href="http://www.miibeian.gov.cn" title="沪ICP备12004267">']
