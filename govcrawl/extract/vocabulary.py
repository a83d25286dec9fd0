"""The content-safety vocabularies, kept as data next to the package: safety_terms.toml (gambling, lottery,
pornography terms) and wording_errors.toml (wrong form -> right form). Each file names its sources."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
TERMS_FILE = DATA / "safety_terms.toml"
WORDING_FILE = DATA / "wording_errors.toml"


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Terms:
    categories: dict[str, tuple[str, ...]]   # category name (赌博/彩票/色情) -> lower-case terms
    ordinary: frozenset[str]                 # lawful words: never make a page tampered
    lawful_context: tuple[str, ...]

    def found(self, text: str) -> dict[str, list[str]]:
        """category -> the terms of it that `text` contains (case-insensitive), longest first."""
        low = (text or "").lower()
        hits = {}
        for category, terms in self.categories.items():
            matched = sorted({t for t in terms if t in low}, key=len, reverse=True)
            if matched:
                hits[category] = matched
        return hits


@dataclass(frozen=True)
class WordingError:
    wrong: str
    right: str
    source: str


def _load(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"{path}: {exc}") from exc


@lru_cache(maxsize=4)
def safety_terms(path: Path = TERMS_FILE) -> Terms:
    data = _load(path)
    categories = {}
    for key, spec in (data.get("categories") or {}).items():
        if not isinstance(spec, dict) or not spec.get("terms"):
            raise VocabularyError(f"{path}: category {key!r} has no terms")
        categories[spec.get("name") or key] = tuple(t.lower() for t in spec["terms"] if t.strip())
    if not categories:
        raise VocabularyError(f"{path}: no [categories.*] tables")
    return Terms(categories, frozenset(t.lower() for t in (data.get("ordinary") or {}).get("terms", [])),
                 tuple((data.get("lawful_context") or {}).get("terms", [])))


@lru_cache(maxsize=4)
def wording_errors(path: Path = WORDING_FILE) -> tuple[WordingError, ...]:
    data = _load(path)
    out = []
    for n, entry in enumerate(data.get("error") or [], 1):
        try:
            out.append(WordingError(entry["wrong"], entry["right"], entry["source"]))
        except (KeyError, TypeError):
            raise VocabularyError(f"{path}: [[error]] number {n} needs wrong, right and source") from None
        if not entry["wrong"].strip():
            raise VocabularyError(f"{path}: [[error]] number {n} has an empty wrong form")
    return tuple(out)
