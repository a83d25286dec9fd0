"""docs/indicators.md documents every code the rules decide, and the report words every one of them."""
import re
from pathlib import Path

from govcrawl.rules import PHRASES, RULES
from govcrawl.rules.newmedia import ACCOUNT_CODES

DOC = Path(__file__).resolve().parent.parent / "docs" / "indicators.md"
CODES = [code for code, _, _ in RULES] + list(ACCOUNT_CODES)


def documented_codes() -> set[str]:
    """The codes named in the first cell of a table row of the document."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", DOC.read_text(encoding="utf-8"), re.M))


def test_every_rule_code_is_documented():
    assert sorted(set(CODES) - documented_codes()) == []


def test_the_document_names_no_code_the_rules_do_not_have():
    assert sorted(documented_codes() - set(CODES)) == []


def test_every_rule_code_has_report_wording():
    assert sorted(set(CODES) - set(PHRASES)) == []
