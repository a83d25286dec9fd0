"""Lists delivered as data: JSON/JSONP bodies and JS literals (`var itemObj=[{aT,aPd,aU}]`) inside page scripts."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator

_TITLE_KEYS = ("title", "doctitle", "msgtitle", "lettertitle", "at", "name", "subject")
_URL_KEYS = ("url", "au", "link", "href", "htmlpath", "docpuburl", "linkurl", "docurl", "pageurl")
_DATE_KEYS = ("pubdate", "publishtime", "publishdate", "pubtime", "daytime", "releasetime", "apd", "docreltime",
              "createdate", "createtime", "crtime", "date", "time", "fomatewritedate", "writedate", "cwrq")
_HTML_HINT = re.compile(r"<(?:a\s|li\b|datastore\b|tr\b)", re.I)
_JSONP = re.compile(r"^\s*[\w.$]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)
_ASSIGN = re.compile(r"[=:(]\s*(?=[\[{])")
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_MAX_LITERAL = 2_000_000


@dataclass
class DataItem:
    title: str
    url: str
    raw_date: str | None


def parse_json_body(text: str) -> Any:
    """The JSON value of a JSON or JSONP response body, else None."""
    s = text.strip().lstrip("\ufeff")
    m = _JSONP.match(s) if s[:1] not in "[{" else None
    if m:
        s = m.group(1)
    if s[:1] not in "[{":
        return None
    try:
        return json.loads(s)
    except ValueError:
        return None


def _pick(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in obj.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _url_value(value: Any) -> str | None:
    if isinstance(value, dict):  # 国家疾控局 aU is {"common": "/path"} (sometimes as a JSON string)
        return next((v for v in value.values() if isinstance(v, str) and v.strip()), None)
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("{"):
            try:
                return _url_value(json.loads(s))
            except ValueError:
                return None
        return s or None
    return None


def _item(obj: dict[str, Any]) -> DataItem | None:
    title, url = _pick(obj, _TITLE_KEYS), _url_value(_pick(obj, _URL_KEYS))
    if not isinstance(title, str) or not title.strip() or not url:
        return None
    date = _pick(obj, _DATE_KEYS)
    raw = str(date).strip() if isinstance(date, (str, int, float)) and not isinstance(date, bool) else None
    return DataItem(title.strip(), url, raw or None)


def _walk(value: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 12:
        return
    yield value
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        if isinstance(child, (dict, list)):
            yield from _walk(child, depth + 1)


def data_lists(value: Any) -> list[list[DataItem]]:
    """Every list of objects inside the value whose members carry a title and a URL."""
    found = []
    for node in _walk(value):
        if isinstance(node, list):
            items = [it for it in (_item(o) for o in node if isinstance(o, dict)) if it]
            if items:
                found.append(items)
    return found


def html_strings(value: Any) -> list[str]:
    """String values carrying list markup (JCMS `data.html`, TrueCMS `result` holding a <datastore>)."""
    out = []
    for node in _walk(value):
        children = node.values() if isinstance(node, dict) else node
        out += [c for c in children if isinstance(c, str) and _HTML_HINT.search(c)]
    return out


def _literal_end(text: str, start: int) -> int:
    """Index just past the bracket literal opening at start (quotes respected), or -1."""
    depth, i, quote = 0, start, ""
    limit = min(len(text), start + _MAX_LITERAL)
    while i < limit:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _loads_js(literal: str) -> Any:
    try:
        return json.loads(literal)
    except ValueError:
        pass
    # JS object literal: quote bare keys, turn single-quoted strings into JSON strings
    s = re.sub(r"'((?:[^'\\]|\\.)*)'", lambda m: json.dumps(m.group(1).replace("\\'", "'")), literal)
    s = re.sub(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', s)
    s = re.sub(r",\s*([\]}])", r"\1", s)
    try:
        return json.loads(s)
    except ValueError:
        return None


def script_literals(text: str) -> list[Any]:
    """Values of the array/object literals assigned or passed inside inline scripts."""
    values = []
    for script in _SCRIPT.finditer(text):
        body, pos = script.group(1), 0
        while m := _ASSIGN.search(body, pos):
            end = _literal_end(body, m.end())
            pos = end if end > 0 else m.end()
            value = _loads_js(body[m.end():end]) if end > 0 else None
            if isinstance(value, (list, dict)):
                values.append(value)
    return values
