"""办事指南 (service guide) pages and JSON items -> the five key categories of 19号; and the label/value reader that
guide and letter pages share.

Label/value idioms read (generic, no class names):
- `<td>label</td><td>value</td>` (also several pairs in one row);
- `<p>label</p><span>value</span>`, `<strong>label</strong><span>value</span>`, `<dt>label</dt><dd>value</dd>`;
- `<strong>label：</strong>value` (the value is the text after the label element);
- `<span>label：value</span>` (label and value in one element's text);
- a table whose first row holds only labels and whose next row holds the values.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


from govcrawl.extract.page import Page, parse_html
from govcrawl.scope import Scope, is_attachment
from govcrawl.text import ZERO_WIDTH_SPACE, collapse_spaces
from govcrawl.vocabulary import VOCABULARY

_SPACE = re.compile(r"[\s\u200b]+")
_COLON = "：:"
_LABEL_TAGS = {"td", "th", "p", "strong", "b", "span", "label", "dt", "em", "div", "h2", "h3", "h4", "h5", "h6", "li", "i",
               "font"}
_SKIP = {"script", "style", "noscript", "head", "title", "select", "option"}
# A label: 2–12 characters, mostly CJK, no sentence punctuation.
_LABEL = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff/、（）()A-Za-z0-9]{1,11}$")
_INLINE = re.compile(r"^([\u4e00-\u9fff][\u4e00-\u9fff/、（）()]{1,11})\s*[：:]\s*(.*)$", re.S)


def clean(text: str | None) -> str:
    """Whitespace of every width collapsed; full-width ASCII kept as typed (values are free text)."""
    return collapse_spaces((text or "").replace(ZERO_WIDTH_SPACE, " "))


def label_key(text: str) -> str:
    """The comparable form of a label: NFKC, no spaces, no trailing colon."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).rstrip(_COLON)


@dataclass
class Pair:
    label: str          # label_key form
    value: str          # cleaned text, '' when the label has no value
    element: object     # the label element (lxml), to look around it


def parse_root(text: str):
    """An lxml root for `text` (the tree a browser builds), or None for an empty document."""
    return parse_html(text)


def _own_text(el) -> str:
    return clean("".join(el.itertext()))


_BLOCKS = {"li", "p", "div", "br", "tr", "td", "th", "dd", "dt", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6"}


def _block_text(el) -> str:
    """A value's text: blocks (list items, paragraphs, cells) apart by a space, inline elements run together,
    so a list of materials reads the same whatever whitespace the markup puts between its items."""
    parts: list[str] = []

    def walk(node) -> None:
        block = isinstance(node.tag, str) and node.tag in _BLOCKS
        if block:
            parts.append(" ")
        if isinstance(node.tag, str) and node.tag not in _SKIP:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if block:
            parts.append(" ")
        parts.append(node.tail or "" if node is not el else "")
    walk(el)
    return clean("".join(parts))


def _is_label(text: str, known: set[str]) -> bool:
    key = label_key(text)
    return bool(key) and (key in known or bool(_LABEL.match(key)) and text.strip()[-1:] in _COLON)


def _next_element(el):
    nxt = el.getnext()
    while nxt is not None and (not isinstance(nxt.tag, str) or nxt.tag in _SKIP or nxt.tag == "br"):
        nxt = nxt.getnext()
    return nxt


def label_pairs(root, known: set[str]) -> list[Pair]:
    """Every label/value pair in document order. `known` is the label vocabulary (label_key form); a label outside
    it is accepted only when written with a colon. A value that is itself a known label means 'no value'."""
    if root is None:
        return []
    pairs: list[Pair] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP or el.tag not in _LABEL_TAGS:
            continue
        text = _own_text(el)
        if not text or len(text) > 200:
            continue
        if _is_label(text, known) and len(label_key(text)) <= 12:
            if any(isinstance(d.tag, str) and d.tag in _LABEL_TAGS and _own_text(d) == text for d in el.iterdescendants()):
                continue  # a wrapper (<div><strong>label</strong><span></span></div>): its inner label is the pair
            pairs.append(Pair(label_key(text), _value_after(el, known), el))
            continue
        direct = clean(el.text)
        m = _INLINE.match(direct) if direct else None
        if m and (label_key(m.group(1)) in known) and not len(el):
            pairs.append(Pair(label_key(m.group(1)), clean(m.group(2)), el))
        elif m and label_key(m.group(1)) in known:
            # <span>label：value<em>…</em></span>: the whole text after the colon
            pairs.append(Pair(label_key(m.group(1)), clean(text.split(m.group(1), 1)[1].lstrip(" " + _COLON)), el))
    pairs.extend(_header_table_pairs(root, known))
    return pairs


def _value_after(el, known: set[str]) -> str:
    # a label wrapped in presentational tags (<td><font><b>label</b></font></td>, <span><strong>label：</strong></span>):
    # its value follows the outermost wrapper that holds nothing but the label
    text = _own_text(el)
    while not clean(el.tail) and _next_element(el) is None:
        up = el.getparent()
        if up is None or up.tag in ("body", "html") or _own_text(up) != text:
            break
        el = up
    tail = clean(el.tail)
    if tail:
        return tail
    nxt = _next_element(el)
    if nxt is None:
        return ""
    value = _block_text(nxt)
    if _is_label(value, known) or (el.tag == "li" and nxt.tag == "li" and _LABEL.match(label_key(value))):
        return ""  # the next element is another label (a tab strip, a label-only template)
    return value


def _header_table_pairs(root, known: set[str]) -> list[Pair]:
    pairs = []
    for row in root.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        keys = [label_key(_own_text(c)) for c in cells]
        if len(cells) < 2 or sum(k in known for k in keys) < 2 or not all(_LABEL.match(k or "-") for k in keys):
            continue
        nxt = _next_element(row)
        if nxt is None or nxt.tag != "tr":
            continue
        values = [c for c in nxt if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if len(values) != len(cells):
            continue
        pairs.extend(Pair(k, _own_text(v), c) for k, v, c in zip(keys, values, cells) if k in known)
    return pairs


# ---------------------------------------------------------------------------------------------------------------------
# 办事指南 (service guides)

KEY_LABELS: dict[str, tuple[str, ...]] = {
    "materials": ("办理材料", "申请材料", "申报材料", "材料目录", "所需材料", "提交材料", "材料清单", "申请材料目录"),
    "location": ("办理地点", "受理地点", "办事地点", "具体地址", "办理窗口", "受理窗口", "办理地址", "办事地址", "办公地址",
                 "窗口地址"),
    "agency": ("办理机构", "实施机关", "实施主体", "受理单位", "办理部门", "受理机构", "实施机构", "承办机构",
               "办理单位", "受理部门", "决定机构"),
    "fee": ("收费标准", "是否收费", "收费依据", "收费情况", "收费项目"),
    "hours": ("办理时间", "工作时间", "受理时间", "办公时间", "服务时间", "办事时间"),
}
# Other labels of guide pages: a value equal to one of these is a neighbouring label, not a value.
OTHER_GUIDE_LABELS = (
    "事项名称", "事项类型", "设定依据", "法律依据", "法定依据", "受理条件", "申请条件", "申办所需资格条件", "办理流程",
    "法定时限", "法定办结时限", "承诺时限", "承诺办结时限", "咨询电话", "咨询方式", "联系电话", "监督电话", "投诉电话",
    "到办事现场次数", "网上办理深度", "审批结果", "审批结果名称", "常见问题", "行使层级", "权限划分", "行使内容",
    "基本信息", "特殊环节", "服务对象", "表格下载", "填表示例", "示范文本", "办理地点/时间", "咨询窗口", "服务承诺",
)
# The labels that make a page a guide (vocabulary.toml [guide_labels]): basis, conditions, materials, process, time_limit.
GUIDE_ELEMENTS: dict[str, tuple[str, ...]] = {
    key: VOCABULARY.words(f"guide_labels.{key}") for key in ("basis", "conditions", "materials", "process", "time_limit")}
GUIDE_MIN_ELEMENTS = 3  # labelled elements (of the five above and the key categories) that make a page a guide
GUIDE_VOCABULARY = ({label_key(x) for labels in KEY_LABELS.values() for x in labels} | {label_key(x) for x in OTHER_GUIDE_LABELS}
                    | {label_key(x) for labels in GUIDE_ELEMENTS.values() for x in labels})
_EMPTY_VALUES = {"", "暂无", "无", "—", "-", "--", "/", "－", "——", "空", "null", "none", "暂无信息", "待定", "详见附件"}
_FEE_PRESENT = {"无", "不收费", "免费", "否", "0"}
_GUIDE_URL = re.compile(r"guide|bszn|bsznxq|itemdetail|item/detail|sxxq|taskguid|taskid|matter|serviceitem|affair"
                        r"|shixiang|qlsx|zwfw.*detail", re.I)
_GUIDE_TEXT = VOCABULARY.pattern("guide_links.words")


def _named(label: str, table: dict[str, tuple[str, ...]]) -> str | None:
    key = label_key(label)
    for category, labels in table.items():
        for synonym in labels:
            if key == synonym or (key.startswith(synonym) and len(key) <= len(synonym) + 4 and "/" not in key):
                return category
    return None


def category_of(label: str) -> str | None:
    """The key category a label names: the label itself or one starting with a synonym (办理材料目录, 收费标准及依据)."""
    return _named(label, KEY_LABELS)


def element_of(label: str) -> str | None:
    """The guide element (basis, conditions, materials, process, time_limit or a key category) a label names."""
    return _named(label, GUIDE_ELEMENTS) or category_of(label)


def is_present_value(category: str, value: str | None) -> bool:
    """Does the value fill the category? Empty, 暂无, —, / are missing; 不收费 and 无 are real answers for 收费标准."""
    text = label_key(value or "").strip("。.；;，,")
    if category == "fee" and text in _FEE_PRESENT:
        return True
    return text.lower() not in _EMPTY_VALUES


@dataclass
class Guide:
    title: str
    fields: dict[str, str] = field(default_factory=dict)    # every label -> value found (first occurrence)
    present: dict[str, bool] = field(default_factory=dict)  # key category -> filled
    values: dict[str, str | None] = field(default_factory=dict)  # key category -> value text
    labels_only: bool = False  # key labels are on the page but no value: filled by script, render before judging

    @property
    def missing(self) -> list[str]:
        return [c for c in KEY_LABELS if not self.present.get(c)]

    @property
    def elements(self) -> set[str]:
        """The guide elements the page labels, with or without a value."""
        return {e for e in map(element_of, self.fields) if e}

    @property
    def is_guide(self) -> bool:
        """Is the page a service guide by its own content (labels of at least three guide elements)?"""
        return len(self.elements) >= GUIDE_MIN_ELEMENTS


def _guide_from_fields(title: str, fields: dict[str, str]) -> Guide:
    values: dict[str, str | None] = {c: None for c in KEY_LABELS}
    seen: set[str] = set()
    for label, value in fields.items():
        category = category_of(label)
        if category is None:
            continue
        seen.add(category)
        if values[category] is None or not is_present_value(category, values[category]):
            values[category] = value
    present = {c: is_present_value(c, v) for c, v in values.items()}
    return Guide(title=title, fields=fields, present=present, values=values,
                 labels_only=bool(seen) and not any(present.values()))


def extract_guide(page: Page) -> Guide:
    root = parse_root(page.text)
    fields: dict[str, str] = {}
    for pair in label_pairs(root, GUIDE_VOCABULARY):
        if pair.label not in fields or (not fields[pair.label] and pair.value):
            fields[pair.label] = pair.value
    title = fields.get("事项名称") or _page_title(page)
    return _guide_from_fields(title, fields)


def _page_title(page: Page) -> str:
    sel = page.selector
    for xp in ("//h1//text()", "//h2//text()", "//title/text()"):
        text = clean(" ".join(sel.xpath(xp).getall()))
        if text:
            return re.split(r"[_|－-]", text)[0].strip() if xp.startswith("//title") else text
    return ""


# JSON platforms: field names (lowercase, no separators) -> category.
_JSON_KEYS = {
    "materials": ("materialname", "materials", "material", "auditmaterial", "clmc", "sqcl"),
    "location": ("transactaddr", "acceptaddress", "address", "bldd", "blddxx", "handleaddress"),
    "agency": ("deptname", "orgname", "implementorg", "ssjg", "sszt", "impldept", "acceptdept"),
    "fee": ("isfee", "fee", "feestandard", "chargestandard", "sfbz", "sfsf"),
    "hours": ("transacttime", "worktime", "accepttime", "blsj", "handletime"),
}
_JSON_TITLE = ("taskname", "itemname", "sxmc", "servicename", "title", "name")


def _walk(obj, path=""):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _walk(value, str(key))
    elif isinstance(obj, list):
        for item in obj:
            yield from _walk(item, path)
    elif obj is not None and not isinstance(obj, bool):
        yield path, str(obj).strip()


def extract_guide_json(obj) -> Guide:
    """A guide from a 政务服务 platform's JSON item (广西 AUDIT_ITEM/AUDIT_ITEM_WINDOW/AUDIT_MATERIAL and kin): keys
    named in English, pinyin initials or Chinese labels. Materials are the joined material names."""
    fields: dict[str, str] = {}
    collected: dict[str, list[str]] = {}
    title = ""
    for key, value in _walk(obj):
        norm = re.sub(r"[_\-\s]", "", key).lower()
        fields.setdefault(key, value)
        if not title and norm in _JSON_TITLE and value:
            title = value
        category = next((c for c, keys in _JSON_KEYS.items() if norm in keys), None) or category_of(key)
        if category:
            collected.setdefault(category, []).append(value)
    values: dict[str, str] = {}
    for category, found in collected.items():
        if category == "fee":
            values["fee"] = next((_fee_code(v) for v in found if v), "")
        else:
            values[category] = "、".join(dict.fromkeys(v for v in found if v))
    return _guide_from_fields(title, {**fields, **{KEY_LABELS[c][0]: v for c, v in values.items()}})


def _fee_code(value: str) -> str:
    """is_fee style codes: 0 = 不收费, 1 = 收费; text passes through."""
    return {"0": "不收费", "1": "收费", "false": "不收费", "true": "收费"}.get(value.lower(), value)


def mentions_guide_labels(page: Page) -> bool:
    """A cheap look before reading labels: does the page's text name at least three guide elements?"""
    text = page.visible_text
    return sum(1 for words in _ELEMENT_WORDS if words.search(text)) >= GUIDE_MIN_ELEMENTS


_ELEMENT_WORDS = [re.compile("|".join(map(re.escape, words))) for words in {**KEY_LABELS, **GUIDE_ELEMENTS}.values()]


def find_guide_links(page: Page, scope: Scope, items_only: bool = False) -> list[str]:
    """Links to guide pages from a 办事服务 / 办事指南 list page: anchors whose URL looks like a guide item, and (unless
    `items_only`: a page not named as a service entry) anchors named like a guide (办事指南, 详情) and the anchors of
    the page's main repeated list. Offsite links are kept only when the URL itself is a guide item (a 政务服务网 item page)."""
    sel = page.selector
    rows: dict[str, list[tuple[str, str]]] = {}
    found: list[str] = []
    for a in sel.xpath("//body//a[@href]"):
        url = page.absolute(a.attrib.get("href", ""))
        if not url or url.split("#")[0] == page.url or is_attachment(url):
            continue
        text = clean(" ".join(a.xpath(".//text()").getall())) or clean(a.attrib.get("title", ""))
        in_scope = scope.contains(url)
        named = not items_only and _GUIDE_TEXT.search(text) and len(text) <= 12
        if _GUIDE_URL.search(url) or (in_scope and named):
            found.append(url)
            continue
        if items_only or not in_scope or len(text) < 4:
            continue
        row = a.xpath("ancestor::*[self::li or self::tr or self::dd][1]")
        if row:
            parent = row[0].root.getparent()
            rows.setdefault(parent.getroottree().getpath(parent), []).append((url, text))
    # The largest group of sibling rows with titled links is the item list.
    biggest = max(rows.values(), key=len, default=[])
    if len(biggest) >= 3 and not items_only:
        found.extend(url for url, _ in biggest)
    return list(dict.fromkeys(found))
