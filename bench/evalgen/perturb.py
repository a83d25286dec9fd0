"""Markup perturbations of hand-edited pages (issue 13 point 2), applied to a whole page body as text. Each keeps
what a browser shows (the same entries, titles, links and dates); only the markup around them changes."""
from __future__ import annotations

import random
import re

_BODY = re.compile(r"(<body>)(.*)(</body>)", re.S)
_DATE = re.compile(r"(?<![\d\w/_-])((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?![\d])")
_FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
_TAGS = ("li", "ul", "a", "td", "tr", "table", "span", "div", "p", "dl", "dt", "dd")


def _in_body(text: str, fn) -> str:
    m = _BODY.search(text)
    if not m:
        return fn(text)
    return text[:m.start(2)] + fn(m.group(2)) + text[m.end(2):]


def _outside_scripts(body: str, fn) -> str:
    """Apply fn to the markup outside <script> elements (scripts are code, not markup)."""
    parts = re.split(r"(<script\b.*?</script>)", body, flags=re.S | re.I)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))


def unclosed(text: str, rng: random.Random) -> str:
    return _in_body(text, lambda b: _outside_scripts(b, lambda s: re.sub(r"</(li|td|p|dd|dt)>", "", s)))


def stray(text: str, rng: random.Random) -> str:
    def fn(s):
        return re.sub(r"(</li>|</tr>)", lambda m: m.group(1) + rng.choice(["</span>", "</font>", "</b>", "</a>"]), s)
    return _in_body(text, lambda b: _outside_scripts(b, fn))


def layout_table(text: str, rng: random.Random) -> str:
    return _in_body(text, lambda b: (
        '<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td align="center">'
        '<table width="1002" border="0" cellspacing="0" cellpadding="0"><tr><td valign="top">'
        + b + "</td></tr></table></td></tr></table>"))


def tag_case(text: str, rng: random.Random) -> str:
    pattern = re.compile(r"<(/?)(" + "|".join(_TAGS) + r")\b([^>]*)>")

    def up(m):
        # attribute names only (after a space), never "&id=" inside a link's query string
        attrs = re.sub(r"(?<=\s)(href|class|title|target|id)=", lambda a: a.group(1).upper() + "=", m.group(3))
        return f"<{m.group(1)}{m.group(2).upper()}{attrs}>"
    return _in_body(text, lambda b: _outside_scripts(b, lambda s: pattern.sub(up, s)))


def quoting(text: str, rng: random.Random) -> str:
    def fn(s):
        s = re.sub(r'\b(href|target|class)="([^"\s<>\'&=]+)"', r"\1=\2", s)   # unquoted where that is legal
        return re.sub(r'\b(title)="([^"\']*)"', r"\1='\2'", s)
    return _in_body(text, lambda b: _outside_scripts(b, fn))


def whitespace(text: str, rng: random.Random) -> str:
    def fn(s):
        s = re.sub(r"(<li\b[^>]*>|<tr\b[^>]*>|<td\b[^>]*>)", lambda m: m.group(1) + rng.choice(["\n\t\t", "\r\n   ", " \u3000"]), s)
        return re.sub(r"(<a\b[^>]*>)([^<]+)(</a>)", lambda m: f"{m.group(1)}\n\t{m.group(2)}\n{m.group(3)}", s)
    return _in_body(text, lambda b: _outside_scripts(b, fn))


def nbsp_dates(text: str, rng: random.Random) -> str:
    def fn(s):
        return _DATE.sub(lambda m: rng.choice([
            f"&nbsp;{m.group(0)}&nbsp;&nbsp;", f"[{m.group(0)}]", f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日",
            f"{m.group(1)}-{m.group(2)}-{m.group(3)}&nbsp;", f"({m.group(1)}/{m.group(2)}/{m.group(3)})"]), s)
    return _in_body(text, lambda b: _outside_scripts(b, fn))


def fullwidth_dates(text: str, rng: random.Random) -> str:
    return _in_body(text, lambda b: _outside_scripts(b, lambda s: _DATE.sub(lambda m: m.group(0).translate(_FULLWIDTH), s)))


def renamed_classes(text: str, rng: random.Random) -> str:
    names: dict[str, str] = {}

    def rename(m):
        new = " ".join(names.setdefault(c, f"{rng.choice(['lb', 'xx', 'box', 'con', 'nr', 'main'])}{len(names) + 1}")
                       for c in m.group(2).split())
        return f'{m.group(1)}"{new}"'
    return _in_body(text, lambda b: _outside_scripts(b, lambda s: re.sub(r'(class=)"([^"]*)"', rename, s)))


def comments_br(text: str, rng: random.Random) -> str:
    def fn(s):
        return re.sub(r"(</li>|</tr>)", lambda m: m.group(1) + rng.choice(["<br>", "<!-- 列表项 -->", "<br/>\n<!--end-->"]), s)
    return _in_body(text, lambda b: _outside_scripts(b, fn))


def font_tags(text: str, rng: random.Random) -> str:
    def fn(s):
        s = re.sub(r"(<a\b[^>]*>)([^<]+)(</a>)", r'\1<font color="#333333">\2</font>\3', s)
        return re.sub(r"(<(?:ul|table)\b[^>]*>)", r"<center>\1", s, count=1)
    return _in_body(text, lambda b: _outside_scripts(b, fn))


PERTURB = {f.__name__: f for f in (unclosed, stray, layout_table, tag_case, quoting, whitespace, nbsp_dates,
                                    fullwidth_dates, renamed_classes, comments_br, font_tags)}


def perturb(text: str, names: list[str], rng: random.Random) -> str:
    """The page with the named perturbations applied in order; HTML only (JSON and XML bodies pass unchanged)."""
    if "<body>" not in text:
        return text
    for name in names:
        text = PERTURB[name](text, rng)
    return text
