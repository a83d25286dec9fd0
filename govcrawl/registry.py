"""Site registry: the inspector's CSV of websites to check.

Format
------
One header row, then one row per site. Required columns: ``site_code,name,unit,url``.
Optional columns: ``kind`` (portal / department), ``services`` (yes / no), ``render``
(yes / no: the site needs a browser to show its lists), ``categories`` (a per-site
column-category override file) and ``vocabulary`` (a per-site file adding names to govcrawl/vocabulary.toml); both
files are resolved relative to the registry file and returned absolute.
Other columns are ignored. Header names are matched case-insensitively, ignoring surrounding spaces; inner
spaces and hyphens count as underscores (``Site Code`` = ``site_code``). The Chinese headers
网站标识码, 网站名称, 主办单位, 网址 (and 类型, 办事服务, 动态渲染, 栏目分类, 词表) are accepted too.

Encodings: UTF-8 with or without BOM, otherwise GB18030 (a superset of GBK, what Excel
exports on Chinese Windows). CRLF or LF line ends; comma-separated, or tab-separated when the
header has tabs and no commas (a paste from a spreadsheet). Blank rows are skipped silently.

Normalisations applied to every row
-----------------------------------
- site_code, url, kind, services, render: Unicode NFKC (full-width ``４３００`` or ``ＢＭ`` become
  ASCII) and surrounding whitespace stripped.
- site_code: spaces inside removed and letters lowercased (``BM 1700 0009`` -> ``bm17000009``).
- name and unit: surrounding whitespace stripped and inner runs of whitespace collapsed to one
  space; otherwise kept as written (no NFKC, so Chinese full-width punctuation survives).
- url: a URL without a scheme gets ``http://`` (``www.x.gov.cn`` -> ``http://www.x.gov.cn``)
  and the scheme is lowercased. Hosts that are IP literals are accepted and kept: some
  government sites really are served from a bare IP.
- services / render: yes, y, true, 1, 是 and no, n, false, 0, 否 (any case). An empty services
  cell means "not stated" (None); an empty render cell means no.
- kind: portal / department, or 门户 / 部门; empty is allowed.

Bad rows (reported as RegistryProblem, skipped; all good rows are still returned): a
site_code not matching ``^(\\d{10}|bm\\d{8})$``, a URL that is not http(s) with a valid host,
that contains spaces or that is longer than browsers accept (2,083 characters), an empty name or unit, an invalid yes/no or kind value, a categories
file that does not exist, a row with fewer fields than the header, or a site_code already
used by an earlier good row (the later row is the bad one; the message names the first line).
All reasons of one row are joined into one problem.

The whole file is unusable (RegistryError) when it is missing, unreadable, empty, binary or
not text in UTF-8/GB18030 (e.g. an .xlsx or a PNG renamed .csv), not parseable as CSV, or
when its header lacks a required column or names a column twice.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from govcrawl.text import collapse_spaces
from govcrawl.vocabulary import Vocabulary, VocabularyError

REQUIRED = ("site_code", "name", "unit", "url")
MAX_URL_LENGTH = 2083   # what browsers accept, and Scrapy's URLLENGTH_LIMIT
OPTIONAL = ("kind", "services", "render", "categories", "vocabulary")
SITE_CODE_RE = re.compile(r"^(\d{10}|bm\d{8})$")

_HEADER_ALIASES = {
    "网站标识码": "site_code", "标识码": "site_code",
    "网站名称": "name", "主办单位": "unit", "网址": "url", "网站地址": "url", "首页网址": "url",
    "类型": "kind", "网站类型": "kind", "办事服务": "services",
    "动态渲染": "render", "栏目分类": "categories", "词表": "vocabulary",
}
_YES = {"yes", "y", "true", "1", "是"}
_NO = {"no", "n", "false", "0", "否"}
_KINDS = {"portal": "portal", "department": "department", "门户": "portal", "部门": "department"}
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook? export it as CSV)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office file (.xls? export it as CSV)"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_HOST_RE = re.compile(r"^[\w-]+(\.[\w-]+)*\.?$")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Site:
    site_code: str
    name: str
    unit: str
    url: str
    kind: str = ""
    services: bool | None = None
    render: bool = False
    categories: str | None = None
    line: int = 0
    vocabulary: str | None = None


@dataclass(frozen=True)
class RegistryProblem:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class RegistryError(Exception):
    """The registry file as a whole cannot be used."""


def csv_rows(name: str, required: tuple[str, ...] = REQUIRED, optional: tuple[str, ...] = OPTIONAL,
             header_key=None) -> Iterator[tuple[int, list[str], dict[str, int], list[str]]]:
    """(line, row, columns, header) for each non-blank data row of a registry-like CSV (UTF-8/GBK, comma or tab);
    `header` drops trailing empty cells (spreadsheet exports). RegistryError when the file is unusable."""
    text = decode_text(name, read_bytes(name))
    delimiter = "\t" if first_line(text).count("\t") and not first_line(text).count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: dict[str, int] | None = None
    header: list[str] = []
    previous_end = 0
    try:
        for row in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = parse_header(name, row, required, optional, header_key)
                header = [cell.strip() for cell in row]
                while not header[-1]:
                    header.pop()
                continue
            yield line, row, columns, header
    except csv.Error as exc:
        raise RegistryError(f"{name}: not a readable CSV file near line {reader.line_num}: {exc}") from None
    if columns is None:
        raise RegistryError(f"{name}: the file is empty")


def read_registry(path: str | os.PathLike[str]) -> tuple[list[Site], list[RegistryProblem]]:
    """Read the registry; return the good sites in file order and one problem per bad row."""
    name = str(path)
    base_dir = Path(name).parent
    return unique_rows(name, ((line, *_parse_row(row, line, columns, header, base_dir))
                              for line, row, columns, header in csv_rows(name)), "site_code", "site")


def unique_rows(name: str, parsed, key: str, what: str) -> tuple[list, list[RegistryProblem]]:
    """The good items in file order and one problem per bad row, from (line, item or None, reasons) per row;
    an item whose `key` repeats an earlier one is a bad row naming the first line."""
    items: list = []
    problems: list[RegistryProblem] = []
    first_line_of: dict[str, int] = {}
    for line, item, reasons in parsed:
        ident = getattr(item, key, None)
        if item is not None and ident in first_line_of:
            reasons.append(f"duplicate {key} {ident} (first on line {first_line_of[ident]})")
        if reasons or item is None:
            problems.append(RegistryProblem(name, line, "; ".join(reasons)))
            continue
        first_line_of[ident] = line
        items.append(item)
    if not items and not problems:
        raise RegistryError(f"{name}: the file has a header but no {what} rows")
    return items, problems


def check_command(path: str | os.PathLike[str]) -> int:
    """`govcrawl check`: problems on stderr, a summary on stdout; 0 ok, 1 bad rows, 2 unusable."""
    try:
        sites, problems = read_registry(path)
    except RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(sites)} sites ok, {len(problems)} bad rows")
    return 1 if problems else 0


def read_bytes(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise RegistryError(f"{name}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise RegistryError(f"{name}: cannot read: {exc.strerror or exc}") from None


def decode_text(name: str, data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise RegistryError(f"{name}: is {what}, not a CSV text file")
    if b"\x00" in data:
        raise RegistryError(f"{name}: binary content (NUL bytes), not a CSV text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise RegistryError(f"{name}: not text in UTF-8 or GBK/GB18030") from None
    if not text.strip():
        raise RegistryError(f"{name}: the file is empty")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f")
    if controls * 20 > len(text) or controls > 100:
        raise RegistryError(f"{name}: binary content (control characters), not a CSV text file")
    return text


def first_line(text: str) -> str:
    return text.lstrip("\r\n").split("\n", 1)[0]


def _header_key(cell: str) -> str:
    key = unicodedata.normalize("NFKC", cell).strip().lower()
    key = re.sub(r"[\s-]+", "_", key)
    return _HEADER_ALIASES.get(key, key)


def parse_header(name: str, row: list[str], required: tuple[str, ...] = REQUIRED, optional: tuple[str, ...] = OPTIONAL,
                 header_key=None) -> dict[str, int]:
    """Column name -> index of a header row; RegistryError naming the file when a required column is missing."""
    header_key = header_key or _header_key
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = header_key(cell)
        if key in required + optional:
            if key in columns:
                raise RegistryError(f"{name}: header names column {key!r} twice")
            columns[key] = index
    missing = [key for key in required if key not in columns]
    if missing:
        raise RegistryError(f"{name}: header lacks required column(s) {', '.join(missing)} "
                            f"(expected {','.join(required + optional)}); first row was {','.join(row)[:80]!r}")
    return columns


def _parse_row(row: list[str], line: int, columns: dict[str, int], header: list[str],
               base_dir: Path) -> tuple[Site | None, list[str]]:
    if len(row) < len(header):
        missing = ", ".join(header[len(row):])
        return None, [f"too few fields: {len(row)} where the header has {len(header)} "
                      f"(missing {missing})"]
    cell = {key: row[index] for key, index in columns.items()}
    reasons: list[str] = []
    code = re.sub(r"\s+", "", nfkc(cell["site_code"])).lower()
    if not code:
        reasons.append("site_code is empty")
    elif not SITE_CODE_RE.match(code):
        reasons.append(f"site_code {code!r} is not 10 digits or bm + 8 digits")
    name, unit = collapse_spaces(cell["name"]), collapse_spaces(cell["unit"])
    if not name:
        reasons.append("name is empty")
    if not unit:
        reasons.append("unit is empty")
    url, url_reason = registry_url(cell["url"])
    if url_reason:
        reasons.append(url_reason)
    kind_text = nfkc(cell.get("kind", "")).lower()
    kind = _KINDS.get(kind_text, "")
    if kind_text and not kind:
        reasons.append(f"kind {kind_text!r} is not portal or department")
    services = yes_no(cell.get("services", ""), "services", reasons)
    render = yes_no(cell.get("render", ""), "render", reasons)
    categories = _data_file(cell.get("categories", ""), "categories", base_dir, reasons)
    vocabulary = _data_file(cell.get("vocabulary", ""), "vocabulary", base_dir, reasons)
    if vocabulary and os.path.isfile(vocabulary):
        try:
            Vocabulary.load(vocabulary)
        except VocabularyError as exc:
            reasons.append(f"vocabulary file: {exc}")
    site = Site(code, name, unit, url, kind, services, bool(render), categories, line, vocabulary)
    return site, reasons


def registry_url(raw: str) -> tuple[str, str | None]:
    """(url with a scheme, None) or (text, reason why it is not a usable http(s) URL)."""
    url = nfkc(raw)
    if not url:
        return url, "url is empty"
    if len(url) > MAX_URL_LENGTH:   # Scrapy's URLLENGTH_LIMIT would drop the homepage request
        return url[:80] + "…", f"url is {len(url)} characters long; browsers accept at most {MAX_URL_LENGTH}"
    if re.search(r"\s", url):
        return url, f"url {url!r} contains spaces"
    if url.startswith("//"):
        url = "http:" + url
    elif not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        if _SCHEME_RE.match(url) and not re.match(r"^[^:/]+:\d", url):
            return url, f"url {url!r} is not http or https"
        url = "http://" + url
    scheme, rest = url.split(":", 1)
    url = scheme.lower() + ":" + rest
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        return url, f"url {url!r} is malformed: {exc}"
    if parts.scheme not in ("http", "https"):
        return url, f"url {url!r} is not http or https"
    if not host:
        return url, f"url {url!r} has no host"
    if not (_HOST_RE.match(host) or ":" in host):
        return url, f"url {url!r} has an invalid host {host!r}"
    return url, None


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def yes_no(raw: str, column: str, reasons: list[str]) -> bool | None:
    value = nfkc(raw).lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    reasons.append(f"{column} {value!r} is not yes or no")
    return None


def _data_file(raw: str, column: str, base_dir: Path, reasons: list[str]) -> str | None:
    value = raw.strip()
    if not value:
        return None
    resolved = os.path.abspath(base_dir / value)
    if not os.path.isfile(resolved):
        reasons.append(f"{column} file {value!r} not found (looked at {resolved})")
    return resolved
