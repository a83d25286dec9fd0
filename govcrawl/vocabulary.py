"""Name vocabularies kept as data: service column names, guide labels, channel names, blank markers, maintenance
words, WAF and error-page wording, pager and list-row words, challenge, article-part and personal-data wording
(vocabulary.toml next to this module). A site may extend them with an override file of the same shape, named in the
registry's `vocabulary` column; `Vocabulary.load(override)` reads both, once per file."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).with_name("vocabulary.toml")
# sections whose entries are regular expressions, not plain words
REGEX_SECTIONS = {"page_blocks", "navigation", "page_parts", "challenges", "article", "personal_data"}


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used; the message names the file and the entry."""


def _read(path: Path) -> dict[str, dict[str, list]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"{path}: {exc}") from exc
    for section, lists in data.items():
        if not isinstance(lists, dict):
            raise VocabularyError(f"{path}: [{section}] must be a table of lists")
        for key, items in lists.items():
            pairs = section == "blank_markers"
            ok = isinstance(items, list) and all(
                (isinstance(i, list) and len(i) == 2 and all(isinstance(x, str) and x for x in i)) if pairs
                else (isinstance(i, str) and i.strip()) for i in items)
            if not ok:
                shape = "[regex, marker] pairs" if pairs else "non-empty strings"
                raise VocabularyError(f"{path}: {section}.{key} must be a list of {shape}")
            regexes = [r for r, _m in items] if pairs else items if section in REGEX_SECTIONS else []
            for regex in regexes:
                try:
                    re.compile(regex)
                except re.error as exc:
                    raise VocabularyError(f"{path}: {section}.{key}: bad regex {regex!r}: {exc}") from exc
    return data


class Vocabulary:
    def __init__(self, data: dict[str, dict[str, list]]):
        self._data = data

    @staticmethod
    def load(override: str | Path | None = None) -> "Vocabulary":
        """The package's vocabulary, extended by `override` (a path) when given. Cached per file."""
        return _load(str(override) if override else None)

    def words(self, name: str) -> tuple[str, ...]:
        """The list `section.key`, e.g. words("channels.consultation")."""
        section, _, key = name.partition(".")
        try:
            return tuple(tuple(i) if isinstance(i, list) else i for i in self._data[section][key])
        except KeyError:
            raise KeyError(f"no vocabulary list {name!r} in {DEFAULT_FILE.name}") from None

    def pattern(self, name: str) -> re.Pattern:
        """A regex matching any word of the list (longest first)."""
        return _alternation(self.words(name))

    def regex(self, name: str) -> re.Pattern:
        """The regular expressions of a REGEX_SECTIONS list as one case-insensitive alternation, in file order (the
        first alternative that matches is the wording shown in evidence)."""
        return _regex(self.words(name))

    def blank_markers(self) -> tuple[tuple[str, str], ...]:
        return self.words("blank_markers.patterns")


@cache
def _alternation(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@cache
def _regex(regexes: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(regexes), re.I)


@cache
def _load(override: str | None) -> Vocabulary:
    data = _read(DEFAULT_FILE)
    if override:
        for section, lists in _read(Path(override)).items():
            if section not in data:
                raise VocabularyError(f"{override}: unknown section [{section}] (known: {', '.join(data)})")
            for key, items in lists.items():
                if key not in data[section]:
                    raise VocabularyError(f"{override}: unknown list {section}.{key}")
                data[section][key] = data[section][key] + [i for i in items if i not in data[section][key]]
    return Vocabulary(data)


VOCABULARY = Vocabulary.load()
