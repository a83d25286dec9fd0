"""The standard footer of a government site: 网站标识码, ICP备案, 公安备案, 党政机关 badge, 主办单位, contact, 找错 widget.

Footers are often written by script (`document.write("…")`, `document.write(unescape("%3C…"))`, big5-mirror branches),
so the strings inside those calls are decoded and searched together with the page. Distinctive codes are searched on the
whole page; free-text items (主办, 联系方式) in the footer region when one is marked up (<footer>, *foot*/*bottom*).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

from govcrawl.extract.page import Page
from govcrawl.text import collapse_spaces
from govcrawl.vocabulary import VOCABULARY

_PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川蜀贵黔云滇陕秦甘陇青蒙桂藏宁新"
_SITE_CODE = re.compile(r"网站标识码\s*[：:]?\s*((?:bm|BM)\d{8}|\d{10})(?![0-9])")
_JIUCUO_CODE = re.compile(r"(?:sitecode|site_code)\s*[=:]\s*['\"]?((?:bm|BM)?\d{8,10})|Link\(\s*['\"]((?:bm|BM)?\d{8,10})['\"]")
_ICP = re.compile(rf"[{_PROVINCES}]\s*ICP\s*(?:备|证)\s*\d{{5,}}\s*号?(?:\s*-\s*\d+)?")
_POLICE = re.compile(rf"[{_PROVINCES}]?\s*公网安备\s*(\d{{14}})\s*号?")
_POLICE_LINK = re.compile(r"beian\.gov\.cn/portal/registerSystemInfo\?recordcode=(\d{14})")
_CONAC = re.compile(r"conac\.cn|_ideConac|(?:title|alt)\s*=\s*\\?[\"']?(?:党政机关|事业单位)")
_JIUCUO_SCRIPT = re.compile(r"exposure/jiucuo\.(?:js|html)|_span_jiucuo|id\s*[:=]\s*['\"]_jiucuo_['\"]")
_STOP = r"[^\s|｜<>\"'，,；;。]"
_SPONSOR = [
    re.compile(rf"主\s*办(?:单位)?\s*[：:]\s*({_STOP}{{2,40}})"),
    re.compile(rf"({_STOP}{{2,30}}?)\s*主办(?![单：:])"),
    re.compile(rf"版权所有\s*[：:]?\s*(?:©|\(c\)|Copyright)?\s*(?:\d{{4}}\s*)?({_STOP}{{2,40}})", re.I),
]
_CONTACT = re.compile(f"({VOCABULARY.pattern('footer.contact').pattern})" + r"\s*[：:]\s*([^\s|｜<>\"']{3,60})", re.I)
_WRITE = re.compile(r"document\.write(?:ln)?\s*\(\s*(unescape\s*\(\s*)?([\"'])(.*?)(?<!\\)\2\s*\)?\s*\)", re.S)
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Footer:
    site_code_text: str | None = None   # 网站标识码 as printed
    jiucuo_sitecode: str | None = None  # sitecode of the 找错 widget (tag, loader, link)
    meta_sitecode: str | None = None    # <meta name="SiteIDCode">
    icp: str | None = None
    police_record: str | None = None    # 14-digit 公安机关备案号, with its label when printed
    conac: bool = False
    sponsor: str | None = None
    contact: str | None = None          # first "label：value" contact item
    jiucuo_script: bool = False


def written_strings(text: str) -> list[str]:
    """The HTML strings passed to document.write / document.write(unescape(...)), decoded."""
    out = []
    for m in _WRITE.finditer(text):
        body = m.group(3).replace('\\"', '"').replace("\\'", "'").replace("\\/", "/")
        out.append(unquote(body) if m.group(1) else body)
    return out


def _visible_text(fragment: str) -> str:
    no_scripts = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", fragment, flags=re.S | re.I)
    no_comments = re.sub(r"<!--.*?-->", " ", no_scripts, flags=re.S)
    return re.sub(r"[\s\u3000\xa0]+", " ", html.unescape(_TAGS.sub(" ", no_comments)))


def _footer_region(page: Page) -> str:
    nodes = page.selector.xpath(
        "//footer | //*[contains(translate(@id,'FOTB','fotb'),'foot') or contains(translate(@class,'FOTB','fotb'),'foot')"
        " or contains(translate(@id,'BOTM','botm'),'bottom') or contains(translate(@class,'BOTM','botm'),'bottom')]")
    return " ".join(n.get() for n in nodes)


def _first(pattern: re.Pattern, *texts: str) -> re.Match | None:
    for text in texts:
        m = pattern.search(text)
        if m:
            return m
    return None


def extract_footer(page: Page) -> Footer:
    raw = page.text
    writes = " ".join(written_strings(raw))
    # Comments hold retired footers (old codes, old widgets): search without them.
    live = re.sub(r"<!--.*?-->", " ", raw, flags=re.S)
    searchable = live + " " + writes
    text = _visible_text(live) + " " + _visible_text(writes)
    region = _footer_region(page)
    region_text = _visible_text(region) if region else ""
    footer = Footer()

    m = _SITE_CODE.search(text)
    footer.site_code_text = m.group(1) if m else None
    jiucuo = page.selector.xpath("//script[@id='_jiucuo_']/@sitecode").get()
    if not jiucuo:
        m = _JIUCUO_CODE.search(searchable)
        jiucuo = (m.group(1) or m.group(2)) if m else None
    footer.jiucuo_sitecode = jiucuo.strip() if jiucuo else None
    meta = page.selector.xpath("//meta[translate(@name,'SITEIDCODE','siteidcode')='siteidcode']/@content").get()
    footer.meta_sitecode = meta.strip() if meta and meta.strip() else None
    footer.jiucuo_script = bool(_JIUCUO_SCRIPT.search(searchable))

    m = _first(_ICP, text, searchable)  # searchable: ICP numbers also hide in title attributes
    footer.icp = re.sub(r"\s+", "", m.group(0)) if m else None
    m = _POLICE.search(text)
    if m:
        footer.police_record = collapse_spaces(m.group(0))
    else:
        m = _POLICE_LINK.search(searchable)
        footer.police_record = m.group(1) if m else None
    footer.conac = bool(_CONAC.search(searchable))

    for pattern in _SPONSOR:
        m = _first(pattern, region_text, text) if region_text else pattern.search(text)
        if m:
            footer.sponsor = m.group(1).strip()
            break
    m = _first(_CONTACT, region_text, text) if region_text else _CONTACT.search(text)
    footer.contact = f"{m.group(1)}：{m.group(2)}" if m else None
    return footer
