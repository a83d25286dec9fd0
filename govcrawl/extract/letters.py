"""互动交流: interaction channels on a page, letter lists (HTML rows, tables, JSON APIs) and letter detail pages.

Everything is read by vocabulary (labels 来信时间/回复时间/状态…, status words 已办结/办理中…) and structure (repeated
rows carrying one title link), never by class names: the CMS families differ from city to city.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from govcrawl.dates import DateParser, fold_width, from_epoch
from govcrawl.extract.guides import clean, label_key, label_pairs, parse_root
from govcrawl.extract.page import Page
from govcrawl.scope import Scope
from govcrawl.vocabulary import VOCABULARY as NAMES, Vocabulary

# --- channels -----------------------------------------------------------------------------------------------------
_ONCLICK_URL = re.compile(r"['\"]((?:https?:)?//[^'\"\s]+|/[^'\"\s]+)['\"]")


@dataclass
class Channel:
    name: str
    url: str
    kind: str            # consultation | petition | report
    offsite: bool = False


def channel_kind(name: str, vocabulary: Vocabulary = NAMES) -> str | None:
    """consultation / petition / report for a channel name, None when the text is no channel (names: the
    vocabulary's [channels] lists). 咨询投诉 is consultation; 纪委书记信箱 is a report channel; 信访 never counts as
    consultation."""
    if vocabulary.pattern("channels.report_strong").search(name):
        return "report"
    if vocabulary.pattern("channels.petition").search(name):
        return "petition"
    if vocabulary.pattern("channels.report").search(name) and not vocabulary.pattern("channels.not_report").search(
            name):
        return "report"
    return "consultation" if vocabulary.pattern("channels.consultation").search(name) else None


def find_channels(page: Page, scope: Scope, vocabulary: Vocabulary = NAMES) -> list[Channel]:
    """Links named like an interaction channel (short link texts, images by alt/title). Offsite platforms
    (12345, 互动 platforms) are kept and marked offsite."""
    found: dict[str, Channel] = {}
    not_channel = vocabulary.pattern("channels.not_channel")
    for a in page.selector.xpath("//a"):
        name = clean(" ".join(a.xpath(".//text()").getall())) or clean(a.attrib.get("title", "")) \
            or clean(" ".join(a.xpath(".//img/@alt | .//img/@title").getall()))
        if not name or len(name) > 14 or not_channel.search(name):
            continue
        kind = channel_kind(name, vocabulary)
        if kind is None:
            continue
        url = page.absolute(a.attrib.get("href", ""))
        if url is None:
            m = _ONCLICK_URL.search(a.attrib.get("onclick", "") + " " + a.attrib.get("href", ""))
            url = page.absolute(m.group(1)) if m else None
        if url and url not in found:
            found[url] = Channel(name, url, kind, offsite=not scope.contains(url))
    return list(found.values())


# --- vocabulary ---------------------------------------------------------------------------------------------------
_PENDING = NAMES.pattern("letters.pending")  # vocabulary.toml [letters]
_ANSWERED = NAMES.pattern("letters.answered")
LABELS = {
    "title": ("标题", "信件标题", "主题", "留言标题", "来信标题", "咨询标题", "信件主题"),
    "asked": ("来信时间", "咨询时间", "留言时间", "提交时间", "反映时间", "发起时间", "写信时间", "提问时间", "投诉时间",
              "来信日期", "留言日期", "提交日期", "发布时间"),
    "answered": ("回复时间", "处理时间", "答复时间", "反馈时间", "办结时间", "回复日期", "答复日期", "办结日期"),
    "status": ("状态", "受理状态", "处理状态", "办理状态", "处理情况", "办理情况", "信件状态", "回复状态"),
    "reply": ("回复内容", "答复内容", "处理结果", "答复情况", "办理结果", "处理意见", "答复意见", "回复意见", "回复"),
    "other": ("编号", "信件编号", "来信人", "咨询人", "留言人", "网友", "类型", "信件类型", "咨询类型", "所属类型",
              "受理单位", "办理单位", "承办单位", "处理部门", "答复部门", "转办单位", "回复单位", "答复单位",
              "信件内容", "来信内容", "咨询内容", "留言内容", "满意度", "浏览量", "附件", "序号", "信件类别"),
}
VOCABULARY = {label_key(x) for labels in LABELS.values() for x in labels}
_FIELD_OF = {label_key(x): f for f, labels in LABELS.items() for x in labels}
_DATEISH = re.compile(r"^[\[(（【]?\s*(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[-/月]\s*\d{1,2})")
_EMPTY = {"", "无", "暂无", "暂无回复", "-", "—", "/"}


def normalize_status(text: str | None) -> str | None:
    """answered | pending | None. Pending words are checked first: 未回复 contains 回复."""
    text = clean(text)
    if not text or len(text) > 12:
        return None
    if _PENDING.search(text):
        return "pending"
    return "answered" if _ANSWERED.search(text) else None


def _date(text: str | None, dates: DateParser):
    text = clean(text)
    return dates.parse(text) if text and _DATEISH.match(fold_width(text)) else None


# --- lists --------------------------------------------------------------------------------------------------------
@dataclass
class LetterRow:
    title: str
    url: str
    asked_on: object = None       # date | None
    answered_on: object = None    # date | None
    status: str | None = None     # answered | pending | None
    status_text: str | None = None


def _cells(el) -> list:
    tags = ("td", "th") if el.tag == "tr" else None
    while tags is None and (only := _sole_wrapper(el)) is not None:
        el = only  # <li><font>cells…</font></li>: a presentational wrapper holds the row's cells
    return [c for c in el if isinstance(c.tag, str) and (tags is None or c.tag in tags)
            and c.tag not in ("script", "style")]


def _sole_wrapper(el):
    """The one element child of `el` when it is all `el` holds (and no link), else None."""
    kids = [c for c in el if isinstance(c.tag, str)]
    if len(kids) != 1 or kids[0].tag == "a" or clean(el.text) or clean(kids[0].tail):
        return None
    return kids[0]


def _title_link(el, page: Page):
    best = None
    for a in el.iter("a"):
        url = page.absolute(a.get("href", ""))
        text = clean(a.get("title")) if clean(a.text_content()).endswith(("...", "…")) and a.get("title") else \
            clean(a.text_content()) or clean(a.get("title"))
        if url and text and (best is None or len(text) > len(best[0])):
            best = (text, url)
    return best


def _read_row(el, page: Page, dates: DateParser, header: list[str | None] | None) -> LetterRow | None:
    link = _title_link(el, page)
    if link is None:
        return None
    row = LetterRow(title=link[0], url=link[1])
    found = []
    for i, cell in enumerate(_cells(el)):
        text = clean(cell.text_content())
        field = header[i] if header and i < len(header) else None
        if field in ("asked", "answered"):
            setattr(row, f"{field}_on", _date(text, dates))
        elif field == "status" or (field is None and normalize_status(text)):
            row.status_text, row.status = text or None, normalize_status(text)
        elif field is None and (day := _date(text, dates)):
            found.append(day)
    if found and row.asked_on is None:  # unlabeled dates: the earliest is the letter, a later one the reply
        row.asked_on = min(found)
        if row.answered_on is None and len(set(found)) > 1:
            row.answered_on = max(found)
    if row.answered_on and row.status is None:
        row.status = "answered"
    # Without a labelled header, a row must show a date or a status to be a letter (menus show neither).
    return row if (header or row.asked_on or row.answered_on or row.status_text) else None


def _header(el) -> list[str | None] | None:
    """A row of labels (no link) naming the columns of the rows below it."""
    if el is None or el.find(".//a[@href]") is not None:
        return None
    keys = [label_key(c.text_content()) for c in _cells(el)]
    fields = [_FIELD_OF.get(k) for k in keys]
    return fields if sum(f is not None for f in fields) >= 2 else None


def extract_letter_list(page: Page, dates: DateParser) -> list[LetterRow]:
    text = page.text.strip()
    if text[:1] in "{[" or re.match(r"^[\w$.]+\s*\(\s*[{\[]", text):
        return _letters_from_json(text, page, dates)
    root = parse_root(page.text)
    if root is None:
        return []
    groups: dict[object, list[LetterRow]] = {}
    for parent in root.iter():
        if not isinstance(parent.tag, str):
            continue
        rows = [c for c in parent if isinstance(c.tag, str) and c.tag in ("li", "tr", "dd", "div", "dl") and len(_cells(c)) >= 2]
        if not rows:
            continue
        header = _header(rows[0])
        read = [r for r in (_read_row(el, page, dates, header) for el in rows[1 if header else 0:]) if r]
        if read:
            groups[parent] = read
    if not groups:
        return []
    # The letter list is the group with most rows; status-bearing rows break ties with dated sidebars.
    best = max(groups.values(), key=lambda rows: (len(rows), sum(1 for r in rows if r.status_text)))
    return list({r.url: r for r in best}.values())


_JSON_FIELDS = {
    "title": ("lettertitle", "title", "subject", "mailtitle", "theme", "zt", "bt", "lettersubject"),
    "url": ("url", "link", "href", "detailurl"),
    "id": ("originalid", "mailid", "letterid", "transactid", "id"),
    "asked": ("fomatewritedate", "formatwritedate", "writedate", "createdate", "createtime", "asktime", "submittime",
              "time", "lettertime", "sendtime", "addtime", "lxsj", "zxsj", "tjsj"),
    "answered": ("replydate", "replytime", "answertime", "answerdate", "dealtime", "posttime", "hfsj", "clsj", "finishtime"),
    "status": ("status", "state", "processstatus", "replystatus", "handlestatus", "blzt", "clzt"),
}


def _records(obj) -> list[dict]:
    """The largest list of dicts anywhere in the JSON that carries titles; a single detail dict counts as one."""
    best: list[dict] = []
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
            if any(_norm_key(k) in _JSON_FIELDS["title"] for k in item) and not best:
                best = [item]
        elif isinstance(item, list):
            dicts = [x for x in item if isinstance(x, dict)]
            if dicts and any(_norm_key(k) in _JSON_FIELDS["title"] for k in dicts[0]) and len(dicts) >= len(best):
                best = dicts
            stack.extend(item)
    return best


def _norm_key(key: str) -> str:
    return re.sub(r"[_\-\s]", "", str(key)).lower()


def _json_date(value, dates: DateParser):
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{10}|\d{13}", str(value).strip()):
        return from_epoch(int(value)).date()
    return dates.parse(str(value))


def _letters_from_json(text: str, page: Page, dates: DateParser) -> list[LetterRow]:
    body = re.sub(r"^[\w$.]+\s*\(\s*|\s*\)\s*;?\s*$", "", text)
    try:
        obj = json.loads(body)
    except ValueError:
        return []
    out = []
    for rec in _records(obj):
        values = {}
        for key, value in rec.items():
            for field, keys in _JSON_FIELDS.items():
                if _norm_key(key) in keys and field not in values:
                    values[field] = value
        title = clean(str(values.get("title") or ""))
        url = page.absolute(str(values["url"])) if values.get("url") else None
        if not url and values.get("id") not in (None, ""):
            url = f"{page.url}#{values['id']}"
        status_text = clean(str(values.get("status") or "")) or None
        row = LetterRow(title, url or page.url, _json_date(values.get("asked"), dates),
                        _json_date(values.get("answered"), dates), normalize_status(status_text), status_text)
        if row.answered_on and row.status is None:
            row.status = "answered"
        if title:
            out.append(row)
    return out


# --- detail pages -------------------------------------------------------------------------------------------------
@dataclass
class LetterDetail:
    title: str
    asked_on: object = None       # date | None
    answered_on: object = None    # date | None
    status: str | None = None     # answered | pending | None
    reply_text_present: bool = False
    status_text: str | None = None


# Semantic ids (English or pinyin initials) some templates put on value elements instead of labels.
_ID_FIELDS = {
    "title": re.compile(r"^(title|lettertitle|xjbt|bt|subject)$"),
    "asked": re.compile(r"^(zxsj|lxsj|lysj|tjsj|fqsj|asktime|createtime|createdate|writetime|writedate|sendtime|submittime|lettertime)$"),
    "answered": re.compile(r"^(replytime|replydate|hfsj|clsj|dfsj|answertime|answerdate|dealtime|fksj)$"),
    "status": re.compile(r"^(state|status|clqk|blzt|clzt|handlestate|replystate)$"),
    "reply": re.compile(r"^(replycontent|replytext|hfnr|dfnr|cljg|answercontent)$"),
}
_REPLY_BLOCK = {label_key(x) for x in ("回复单位", "答复单位", "答复部门", "回复时间", "答复时间", "处理时间", "反馈时间")}


def _only_child(el) -> bool:
    up = el.getparent()
    return up is not None and up.tag != "body" and not clean(up.text) and \
        [c for c in up if isinstance(c.tag, str)] == [el] and not clean(el.tail)


def _text_after(el) -> bool:
    """Is there reply prose after a reply label: a following sibling of the label or of its parent with ≥ 6 chars?"""
    parent = el.getparent()
    while parent is not None and _only_child(parent):  # a wrapper (<font>, a bare <div>) around the block is no block
        parent = parent.getparent()
    # After the label or after its block; or before its block (a reply text above its 回复时间 line).
    for node, step in ((el, "getnext"), (parent, "getnext"), (parent, "getprevious")):
        sib = getattr(node, step)() if node is not None else None
        while sib is not None:
            if isinstance(sib.tag, str) and sib.tag not in ("script", "style", "br"):
                text = clean(sib.text_content())
                if len(text) >= 6 and not _FIELD_OF.get(label_key(re.split(r"[：:]", text)[0])) \
                        and not _DATEISH.match(text):
                    return True
            sib = getattr(sib, step)()
    return False


def extract_letter_detail(page: Page, dates: DateParser) -> LetterDetail:
    root = parse_root(page.text)
    found: dict[str, str] = {}
    reply_present = False
    for pair in label_pairs(root, VOCABULARY):
        field = _FIELD_OF.get(pair.label)
        if field is None or field == "other" and pair.label not in _REPLY_BLOCK:
            continue
        if field == "status" and not normalize_status(pair.value):
            field = "reply" if len(pair.value) > 12 else field  # 处理情况 sometimes holds the reply itself
        if pair.label in _REPLY_BLOCK and (pair.value or _text_after(pair.element)):
            reply_present = reply_present or _text_after(pair.element)
        if field != "other" and (field not in found or not found[field]):
            found[field] = pair.value
    for el in root.iter() if root is not None else ():
        ident = _norm_key(el.get("id", "")) if isinstance(el.tag, str) else ""
        for field, pattern in _ID_FIELDS.items():
            if ident and pattern.match(ident) and not found.get(field):
                found[field] = clean(el.text_content())
    if root is not None and not (found.get("asked") and found.get("status")):
        _bare_fields(root, found)
    reply_present = reply_present or found.get("reply", "") not in _EMPTY
    asked, answered = _date(found.get("asked"), dates), _date(found.get("answered"), dates)
    status_text = found.get("status") or None
    status = normalize_status(status_text)
    if status is None and (answered or reply_present):
        status = "answered"
    elif status is None and "reply" in found:
        status = "pending"  # the reply field is on the page and empty
    return LetterDetail(found.get("title") or _detail_title(page), asked, answered, status, reply_present, status_text)


# a whole status, not any short text that starts like one (vocabulary.toml [letters] status_verbs)
_STATUS_WORD = re.compile(f"(?:已|未|待|正在)?(?:{NAMES.pattern('letters.status_verbs').pattern})中?")


def _bare_fields(root, found: dict[str, str]) -> None:
    """A detail page that prints its values without labels (a template that named them only in ids): the first
    element holding nothing but a date is when the letter came, the first holding nothing but a status word is its
    status."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "a") or len(el):
            continue
        text = clean(el.text)
        if not found.get("asked") and 8 <= len(text) <= 25 and _DATEISH.match(fold_width(text)) \
                and not re.search(r"[\u4e00-\u9fff]{2}", text):
            found["asked"] = text
        elif not found.get("status") and _STATUS_WORD.fullmatch(text) and normalize_status(text):
            found["status"] = text


def _first_heading_block(root) -> str:
    """The first short text block of the body that is no link, label or date: a letter page's title, whatever
    the class its template gave it."""
    body = root.find("body") if root is not None else None
    for el in body.iter() if body is not None else ():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "a") or el.find(".//a") is not None:
            continue
        text = clean(el.text_content())
        if 4 <= len(text) <= 80 and not re.search(r"[：:]", text) and not _DATEISH.match(fold_width(text)) \
                and not any(isinstance(c.tag, str) and clean(c.text_content()) == text for c in el):
            return text
    return ""


def _detail_title(page: Page) -> str:
    sel = page.selector
    # A table whose first row is one header cell is titled by it (positional letter tables).
    for xp in ("//h1", "//h2", "//*[contains(@class,'title') and string-length(normalize-space()) > 3]", "//caption",
               "//table//tr[1][count(*)=1]/th"):
        text = clean(" ".join(sel.xpath(xp + "[1]//text()").getall()))
        if text:
            return text
    return _first_heading_block(sel.root) or clean(" ".join(sel.xpath("//title[1]//text()").getall()))


# --- does a channel work? -----------------------------------------------------------------------------------------
_WRITE = NAMES.pattern("letters.write")


def channel_status(page: Page | None, rows: list[LetterRow], http_status: int) -> tuple[bool, str | None]:
    """(working, note) for a consultation channel's page: it works when it publishes letters or offers a way to
    write; a dead link, an empty page or a 维护中 notice does not count as a channel."""
    if page is None or http_status >= 400:
        return False, f"HTTP {http_status}"
    if rows:
        return True, None
    text = clean(" ".join(page.selector.xpath("//body//text()[not(ancestor::script or ancestor::style)]").getall()))
    down = NAMES.pattern("maintenance.words").search(text)
    if down:
        return False, down.group(0)
    sel = page.selector
    if sel.xpath("//form[.//textarea or .//input[not(@type) or @type='text']]") or any(
            _WRITE.search(clean(" ".join(a.xpath(".//text()").getall())) or "") for a in sel.xpath("//a")):
        return True, None
    return False, "页面无信件也无写信入口"
