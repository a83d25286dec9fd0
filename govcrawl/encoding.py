"""Decode a government page's bytes without mojibake.

Government servers often send GBK with no charset, a wrong one (utf-8, iso-8859-1), or a header that contradicts
the meta tag. A declared charset is trusted only when the bytes decode under it strictly; otherwise the bytes decide.
"""
from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
# A Chinese site declaring a Latin charset is nearly always wrong, and these decode any byte string.
_PERMISSIVE = {"latin-1", "iso8859-1", "cp1252", "ascii"}


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # GB2312 and GBK pages routinely use characters only GB18030 (their superset) knows.
    return "gb18030" if canonical in ("gb2312", "gbk", "gb18030") else canonical


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Charsets the HTTP header and the meta tag declare, header first, canonical names, no repeats."""
    found = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        found.append(_canonical(m.group(1)) if m else None)
    m = _META_CHARSET.search(body[:8192])
    found.append(_canonical(m.group(1).decode("ascii", "ignore")) if m else None)
    out: list[str] = []
    for name in found:
        if name and name not in out:
            out.append(name)
    return out


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, "replace"), encoding
    declared = declared_charsets(body, content_type)
    for encoding in declared:
        if encoding in _PERMISSIVE:
            continue
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding
    for encoding in ("utf-8", "gb18030"):
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding
    # Damaged bytes: keep the reading with the fewest replacement characters.
    candidates = [e for e in declared if e not in _PERMISSIVE] + ["utf-8", "gb18030"]
    best = min(candidates, key=lambda e: body.decode(e, "replace").count("\ufffd"))
    return body.decode(best, "replace"), best
