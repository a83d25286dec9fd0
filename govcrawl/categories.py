"""Column name -> update category (news / notice / periodic / reference), from a keyword table kept as data.

The table is `categories.toml` next to this module; a site may add an override file of the same shape, which is
consulted first. See the TOML header for the matching order.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = ("news", "notice", "periodic", "reference")
DEFAULT_TABLE = Path(__file__).with_name("categories.toml")

# Decoration around menu labels: bullets, arrows, brackets, "更多", spaces of every width.
_DECORATION = re.compile(r"[\s\u3000\xa0·•●○◆◇■□▪▶►>》<《»«\[\]【】|]+|更多")


class CategoryTableError(ValueError):
    """A categories file that cannot be used (bad TOML or an unknown category)."""


def normalize_name(name: str) -> str:
    """The comparable form of a column name: NFKC (full-width -> ASCII), decoration removed."""
    return _DECORATION.sub("", unicodedata.normalize("NFKC", name or ""))


@dataclass
class _Table:
    exact: dict[str, str] = field(default_factory=dict)
    keywords: list[tuple[str, str]] = field(default_factory=list)  # (normalised keyword, category)
    default: str | None = None

    @classmethod
    def read(cls, path: str | Path) -> "_Table":
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CategoryTableError(f"{path}: {exc}") from exc
        table = cls(default=data.get("default"))
        for name, category in (data.get("exact") or {}).items():
            table.exact[normalize_name(name)] = _checked(category, path)
        for category, words in (data.get("keywords") or {}).items():
            _checked(category, path)
            table.keywords.extend((normalize_name(w), category) for w in words if normalize_name(w))
        if table.default is not None:
            _checked(table.default, path)
        return table

    def match_keyword(self, name: str) -> str | None:
        best: tuple[int, int] | None = None
        found = None
        for word, category in self.keywords:
            end = name.rfind(word)
            if end < 0:
                continue
            # Longest keyword wins; on a tie the keyword ending later wins (the head of a Chinese compound
            # comes last: 文化动态 is news, 人事招聘 is a notice); then table order.
            rank = (len(word), end + len(word))
            if best is None or rank > best:
                best, found = rank, category
        return found


def _checked(category: str, path: str | Path) -> str:
    if category not in CATEGORIES:
        raise CategoryTableError(f"{path}: unknown category {category!r} (expected one of {', '.join(CATEGORIES)})")
    return category


class Categories:
    """Classifies column names. Build with `Categories.load()`; `classify` never raises."""

    def __init__(self, base: _Table, override: _Table | None = None):
        self._tables = [t for t in (override, base) if t is not None]
        self.default = next((t.default for t in self._tables if t.default), None) or "periodic"

    @classmethod
    def load(cls, path: str | Path | None = None, override: str | Path | None = None) -> "Categories":
        base = _Table.read(path or DEFAULT_TABLE)
        return cls(base, _Table.read(override) if override else None)

    def classify(self, name: str) -> str:
        key = normalize_name(name)
        if not key:
            return self.default
        # The override's exact names and keywords both beat the base table: a site override means "for us, X is Y".
        for table in self._tables:
            if key in table.exact:
                return table.exact[key]
            category = table.match_keyword(key)
            if category:
                return category
        return self.default
