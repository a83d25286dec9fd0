"""The README stays true: its schema is the schema, and every setting govcrawl reads is documented."""
import re
from pathlib import Path

from govcrawl import settings
from govcrawl.commands.schema import markdown
from govcrawl.rules import RuleSettings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_schema_section_is_the_schema():
    section = README.split("## Schema", 1)[1].split("\n## ", 1)[0]
    assert markdown().strip() in section


def test_every_govcrawl_setting_is_documented():
    names = {n for n in dir(settings) if n.startswith("GOVCRAWL_")} | set(RuleSettings().as_dict())
    documented = set(re.findall(r"^\| `(GOVCRAWL_\w+)` \|", README, re.M))
    assert names - documented == set()


def test_the_readme_shows_the_main_job_and_the_two_commands():
    assert "scrapy crawl provincial" in README and "make demo" in README and "make test" in README


def test_every_govcrawl_command_is_in_the_commands_table():
    from govcrawl.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    table = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    assert [name for name in sub.choices if f"`govcrawl {name}" not in table] == []
