"""Markup perturbations that hand-edited government pages show, each keeping what a browser displays.

Every perturbation is a function `(html, rng) -> html`. It rewrites markup only: scripts, styles, comments and CDATA
sections pass through untouched, and the text a reader sees (titles, dates, links) stays the same. The metamorphic
tests (tests/test_metamorphic.py) run every saved page through each one and expect the same records.
"""
from __future__ import annotations

import random
import re
from typing import Callable

# Regions never rewritten: script/style/textarea bodies, comments, CDATA, doctype and XML declarations.
_PROTECTED = re.compile(r"<(script|style|textarea)\b.*?</\1\s*>|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?.*?\?>",
                        re.S | re.I)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*(/?)>")
_ATTR = re.compile(r"""([^\s=>/]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+))?""")
_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?)"
                   r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_BLOCK_START = ("li", "tr", "td", "th", "ul", "ol", "div", "p", "table", "tbody", "dl", "dd", "dt", "h1", "h2", "h3",
                "h4", "h5", "span", "a", "section", "article")


def _parts(html: str) -> list[tuple[bool, str]]:
    """The document as (editable, text) pieces: editable markup between protected regions."""
    out, pos = [], 0
    for m in _PROTECTED.finditer(html):
        out += [(True, html[pos:m.start()]), (False, m.group(0))]
        pos = m.end()
    out.append((True, html[pos:]))
    return out


def _edit(html: str, fn: Callable[[str], str]) -> str:
    return "".join(fn(text) if editable else text for editable, text in _parts(html))


def _edit_tags(html: str, fn: Callable[[re.Match], str]) -> str:
    return _edit(html, lambda text: _TAG.sub(fn, text))


def _edit_text_nodes(html: str, fn: Callable[[str], str]) -> str:
    """Rewrite each text node (the text between two tags) of editable markup."""
    return _edit(html, lambda text: re.sub(r"(?<=>)([^<>]+)(?=<)", lambda m: fn(m.group(1)), text))


def _body_bounds(html: str) -> tuple[int, int]:
    """Where the body's content starts and ends (the whole document when it has no body tags)."""
    start = re.search(r"<body\b[^>]*>", html, re.I)
    end = None
    for m in re.finditer(r"</body\s*>", html, re.I):
        end = m
    return (start.end() if start else 0), (end.start() if end else len(html))


def _outside_scripts(html: str, start: int) -> int:
    """The first position at or after `start` that is not inside a protected region."""
    for m in _PROTECTED.finditer(html):
        if m.start() < start < m.end():
            return m.end()
    return start


# -- the perturbations ------------------------------------------------------------------------------------------------

_OPTIONAL_END = re.compile(r"</(li|dd|dt|option|td|th|tr|tbody|thead)\s*>(?=\s*<)", re.I)
_OPTIONAL_P_END = re.compile(r"</p\s*>(?=\s*</?(?:p|div|ul|ol|table|dl|h[1-6]|td|li)\b)", re.I)
_UNCLOSED_ROW = re.compile(r"(<(li|dd|td|div|h1)\b[^>]*>)(?=\s*(?:[^\s<]|<(?:a|span)\b))", re.I)


def unclosed_tags(html: str, rng: random.Random) -> str:
    """Optional end tags left out (</li>, </td>, </tr>, </dd>, </p> before a block…) and a <font> opened inside rows and never closed."""
    html = _edit(html, lambda text: _OPTIONAL_END.sub("", _OPTIONAL_P_END.sub("", text)))
    return _edit(html, lambda text: _UNCLOSED_ROW.sub(lambda m: m.group(1) + '<font size="2">', text))


_STRAY = ("</font>", "</b>", "</center>", "</strong>", "</o:p>", "</em>", "</u>")


def stray_tags(html: str, rng: random.Random) -> str:
    """End tags of elements that were never opened, dropped between tags: a browser ignores them."""
    present = {m.group(1).lower() for m in re.finditer(r"<([A-Za-z][\w:]*)", html)}
    strays = [s for s in _STRAY if s[2:-1] not in present] or ["</o:p>"]

    def sprinkle(text: str) -> str:
        return re.sub(r">(?=\s*<(?:li|tr|td|div|p|dd|dt|a|span)\b)",
                      lambda m: ">" + (rng.choice(strays) if rng.random() < 0.5 else ""), text, flags=re.I)
    return _edit(html, sprinkle)


def layout_table(html: str, rng: random.Random) -> str:
    """The body's content wrapped in nested layout tables (a side cell of spacer, the page in the wide cell)."""
    start, end = _body_bounds(html)
    start = _outside_scripts(html, start)
    head = ('<table width="100%" border="0" cellspacing="0" cellpadding="0" align="center"><tr>'
            '<td width="180" valign="top" bgcolor="#f0f0f0">&nbsp;</td><td valign="top">'
            '<table width="960" border="0" cellspacing="0" cellpadding="0"><tr><td height="8"></td></tr><tr><td>')
    tail = "</td></tr></table></td></tr></table>"
    return html[:start] + head + html[start:end] + tail + html[end:]


def legacy_presentational(html: str, rng: random.Random) -> str:
    """<center> around the page and <font>/<b> around link texts, as old WYSIWYG editors wrote."""
    def wrap_links(text: str) -> str:
        return re.sub(r"(<a\b[^>]*>)(.*?)(</a\s*>)", lambda m: (
            f'{m.group(1)}<font face="宋体" color="#333333" size="2">{m.group(2)}</font>{m.group(3)}'), text,
            flags=re.S | re.I)
    html = _edit(html, wrap_links)
    start, end = _body_bounds(html)
    start = _outside_scripts(html, start)
    return html[:start] + "<center><b>" + html[start:end] + "</b></center>" + html[end:]


def _unquoted(value: str) -> str:
    inner = value[1:-1]
    if inner and re.fullmatch(r"[^\s\"'=<>`]+", inner) and not inner.endswith("/"):
        return inner
    return "'" + inner + "'" if "'" not in inner else value


def tag_case_and_quotes(html: str, rng: random.Random) -> str:
    """Tag and attribute names in upper case; attribute values unquoted where HTML allows, else single-quoted."""
    def rewrite(m: re.Match) -> str:
        attrs = _ATTR.sub(lambda a: a.group(1).upper() + (
            "=" + (_unquoted(a.group(3)) if a.group(3)[:1] in "\"'" else a.group(3)) if a.group(3) is not None else ""),
            m.group(3))
        return f"<{m.group(1)}{m.group(2).upper()}{attrs}{' /' if m.group(4) else ''}>"
    return _edit_tags(html, rewrite)


def whitespace(html: str, rng: random.Random) -> str:
    """CRLF line ends, newlines and indentation between block tags, attributes split over lines."""
    blocks = "|".join(_BLOCK_START)

    def spread(text: str) -> str:
        text = re.sub(rf">\s*(?=</?(?:{blocks})\b)", lambda m: ">\r\n" + rng.choice(["\t", "  ", "\t\t", "    "]),
                      text, flags=re.I)
        return re.sub(r"(<(?:a|li|span|td|div)\b)\s+(?=[\w-]+=)", "\\1\r\n\t\t", text, flags=re.I)
    return _edit(html.replace("\r\n", "\n").replace("\n", "\r\n"), spread)


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def nbsp_fullwidth_dates(html: str, rng: random.Random) -> str:
    """Dates typed with full-width digits and padded with &nbsp; (in short date nodes, where no title is touched);
    cells, rows and links padded with a trailing &nbsp;."""
    def node(text: str) -> str:
        m = _DATE.search(text)
        if not m:
            return text
        rest = re.sub(r"[\s\[\]【】()（）:：\-—|/]", "", text[:m.start()] + text[m.end():])
        if len(rest) > 8 or re.search(r"\d", rest):
            return text
        day = m.group(0).translate(_FULL_WIDTH).replace(" ", "&nbsp;")
        return text[:m.start()] + "&nbsp;" + day + "&nbsp;" + text[m.end():]
    html = _edit_text_nodes(html, node)
    return _edit(html, lambda text: re.sub(r"(?=</(?:td|li|a|p)\s*>)", "&nbsp;", text, flags=re.I))


def renamed_classes_and_ids(html: str, rng: random.Random) -> str:
    """Every class and id renamed to an opaque token (the same token for the same name), and opaque classes added to
    blocks without one: no name carries meaning."""
    names: dict[str, str] = {}

    def token(name: str) -> str:
        if name not in names:
            names[name] = f"k{rng.randrange(16 ** 4):04x}{len(names)}"
        return names[name]

    def rewrite(m: re.Match) -> str:
        def attr(a: re.Match) -> str:
            if a.group(1).lower() not in ("class", "id") or a.group(3) is None:
                return a.group(0)
            quote = a.group(3)[:1] if a.group(3)[:1] in "\"'" else ""
            value = a.group(3).strip("\"'")
            return f'{a.group(1)}{a.group(2)}{quote}{" ".join(token(v) for v in value.split())}{quote}'
        attrs = _ATTR.sub(attr, m.group(3))
        if not m.group(1) and m.group(2).lower() in ("div", "ul", "table", "td", "span", "p") and "class" not in attrs.lower():
            attrs += f' class="{token(m.group(2))}"'  # and opaque classes where the author gave none
        return f"<{m.group(1)}{m.group(2)}{attrs}{' /' if m.group(4) else ''}>"
    return _edit_tags(html, rewrite)


def comments_and_breaks(html: str, rng: random.Random) -> str:
    """Comments between rows (markers and commented-out old rows) and after links, and <br> after row ends."""
    old = '<!--<li><a href="/old/t20100105_1.html">旧版栏目信息</a><span>2010-01-05</span></li>-->'

    def sprinkle(text: str) -> str:
        text = re.sub(r"(</(?:li|p|dd|div)\s*>)", lambda m: m.group(1) + rng.choice(["<br>", "<br/>", "<BR>"]),
                      text, flags=re.I)
        text = re.sub(r"(</a\s*>)", lambda m: m.group(1) + rng.choice(["", "<!-- 标题 end -->"]), text, flags=re.I)
        return re.sub(r"(<(?:li|tr|dd|p)\b[^>]*>)", lambda m: rng.choice(["<!-- 列表 begin -->", old]) + m.group(1),
                      text, flags=re.I)
    return _edit(html, sprinkle)


def character_references(html: str, rng: random.Random) -> str:
    """Text written with numeric character references for some CJK characters, as old CMS exports do."""
    def node(text: str) -> str:
        return "".join(f"&#{ord(c)};" if "\u4e00" <= c <= "\u9fff" and rng.random() < 0.3 else c for c in text)
    return _edit_text_nodes(html, node)


def xhtml_void_and_attrs(html: str, rng: random.Random) -> str:
    """XHTML-style self-closed void elements and presentational attributes (align, style, bgcolor) on rows."""
    def rewrite(m: re.Match) -> str:
        name = m.group(2).lower()
        if m.group(1):
            return m.group(0)
        if name in ("br", "img", "meta", "link", "hr", "input"):
            return f"<{m.group(2)}{m.group(3)} />"
        if name in ("li", "td", "tr", "div", "p", "span", "dd"):
            return f'<{m.group(2)}{m.group(3)} align="left" style="line-height:24px;">'
        return m.group(0)
    return _edit_tags(html, rewrite)


PERTURBATIONS: dict[str, Callable[[str, random.Random], str]] = {
    f.__name__: f for f in (
        unclosed_tags, stray_tags, layout_table, legacy_presentational, tag_case_and_quotes, whitespace,
        nbsp_fullwidth_dates, renamed_classes_and_ids, comments_and_breaks, character_references, xhtml_void_and_attrs,
    )
}


def perturb(html: str, name: str, seed: str) -> str:
    """`html` under the named perturbation, with a random stream fixed by `seed` (the same output every run)."""
    return PERTURBATIONS[name](html, random.Random(f"{name}:{seed}"))
