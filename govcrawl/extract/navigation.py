"""Columns (栏目) of a government site, read from a homepage or a column page.

Navigation is found by structure, not by class names: a container whose children are menu items (short link
texts, no dates), near the top of the page; sub-menus are the further links inside one item. Left-hand menus and
信息公开 trees are menu-like containers with a side/tree hint or a nested (dl/dt/dd, ul-in-li) shape. Homepage
blocks give their heading links and their 更多/more targets. Class/id words are hints that add score only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from govcrawl.extract.page import Page
from govcrawl.scope import Scope, is_attachment, normalize_url
from govcrawl.text import collapse_spaces
from govcrawl.urls import is_article_url
from govcrawl.vocabulary import VOCABULARY

_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z\s&'.-]{3,}")
_DATE_TEXT = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\b\d{1,2}-\d{2}\b|\d{1,2}月\d{1,2}日")
_MORE = VOCABULARY.regex("navigation.more")
_NAME_JUNK = re.compile(r"更多|>>+|》+|»|more\s*>*$|^[\s|·•■▪◆◇●>\[\]【】]+|[\s|·•■▪◆◇●\[\]【】]+$", re.I)
_EXCLUDED_NAME = VOCABULARY.regex("navigation.excluded_names")  # vocabulary.toml; pager links are no columns
_EXCLUDED_URL = re.compile(r"sitemap|(?:^|[/.])rss|login|logout|register|/search|search\.|/big5|jiucuo", re.I)
_ROOT_PATH = re.compile(r"^/?(?:(?:index|default|main|home)\.\w+)?$", re.I)
_JS_URL = [re.compile(p, re.I) for p in (
    r"window\.open\(\s*['\"]([^'\"]+)['\"]",
    r"location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]",
    r"location\.(?:replace|assign)\(\s*['\"]([^'\"]+)['\"]",
    r"\w\s*\([^)]*?['\"]((?:https?://|/|\.\.?/)[^'\"]*|[^'\"\s]+\.(?:s?html?|jsp|aspx?|php)(?:\?[^'\"]*)?)['\"]",
)]
_NAV_HINT = re.compile(r"nav|menu|daohang|(?<![a-z])dh(?![a-z])|(?<![a-z])lm|column|channel", re.I)
_TREE_HINT = re.compile(r"left|side|tree|zuo|xxgk|gkml|catalog|(?<![a-z])ml(?![a-z])|menu|(?<![a-z])lm|subnav", re.I)
_FOOTER_HINT = re.compile(r"foot|bottom|copyright|(?<![a-z])db(?![a-z])|banquan|yqlj|friend", re.I)
_HEADING_HINT = re.compile(r"title|(?<![a-z])tit|(?<![a-z])hd(?![a-z])|head(?!er)|(?<![a-z])bt|biaoti|tab(?!le)|lmmc",
                           re.I)
_CRUMB = VOCABULARY.regex("navigation.crumb")
_SIDE_HINT = re.compile(r"left|side|tree|zuo|xxgk|gkml", re.I)
_ACTIVE = re.compile(r"(?<![a-z])(?:on|active|cur|current|hover|sel|selected)(?![a-z])", re.I)
_CONTAINERS = {"ul", "ol", "nav", "div", "table", "tbody", "tr", "td", "p", "dl", "span", "section", "li"}
_SUB_CONTAINERS = {"ul", "ol", "dl", "table", "tbody", "tr"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_MENU_REFS = ("rel", "data-menu", "data-target", "data-submenu", "data-sub")  # an item naming its sub-menu by id


@dataclass
class ColumnLink:
    name: str
    url: str
    first_level: bool   # top navigation item (or an 更多 target from a homepage block)
    parent: str | None  # name of the parent menu item for sub-menu / tree items
    source: str         # nav | submenu | more | tree | block | js


@dataclass
class _Link:
    el: object
    url: str
    text: str
    js: bool
    order: int


@dataclass
class _Item:
    top: _Link | None
    label: str
    subs: list[_Link]


def clean_name(text: str | None) -> str:
    """Link text as a column name: no whitespace runs, no 更多/>> decorations, no English subtitle
    (政务公开 ZHENGWUGONGKAI / Government Affairs)."""
    text = _NAME_JUNK.sub("", collapse_spaces(text)).strip()
    if len(_CJK.findall(text)) >= 2:
        text = _LATIN_RUN.sub(" ", text)
    return collapse_spaces(text)


def js_target(code: str) -> str | None:
    """The URL a javascript: href or onclick handler opens, when it is written as a string literal."""
    for pattern in _JS_URL:
        match = pattern.search(code or "")
        if match and not match.group(1).lower().startswith(("javascript:", "#")):
            return match.group(1)
    return None


def is_homepage_url(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.query and bool(_ROOT_PATH.match(parts.path))


def find_columns(page: Page, scope: Scope, is_homepage: bool | None = None) -> list[ColumnLink]:
    """Columns linked from `page`, in page order, deduplicated by URL (a later top-level sighting upgrades
    first_level). `is_homepage` decides whether 更多/block targets are first-level (homepage) or children of the
    page's column; by default: a root URL, or a page without breadcrumb whose 首页 link points to itself."""
    links = _collect_links(page)
    if not links:
        return []
    homepage = _looks_like_homepage(page, links) if is_homepage is None else is_homepage
    ctx = _Context(page, scope, links, homepage)
    found: list[tuple[int, ColumnLink]] = []
    taken: set[int] = set()  # ids of links already classified
    nav = ctx.top_navigation()
    for container in nav:
        found += ctx.menu_columns(container, taken, top_source="nav", top_parent=None, first_level=True)
    for container in ctx.trees(nav):
        found += ctx.menu_columns(container, taken, top_source="tree", top_parent=ctx.tree_heading(container),
                                  first_level=False)
    found += ctx.block_columns(taken)
    return _dedupe(sorted(found, key=lambda pair: pair[0]))


def find_offsite_links(page: Page, scope: Scope) -> list[tuple[str, str]]:
    """(text, url) of every http(s) link that leaves the site, deduplicated by URL; includes the
    <option value="http…"> entries of 友情链接/部门网站 drop-downs."""
    found = [(collapse_spaces(link.el.text_content()) or link.text, link.url)
             for link in _collect_links(page)]
    for option in page.selector.xpath("//select/option[starts-with(normalize-space(@value),'http')]"):
        url = page.absolute(option.attrib["value"])
        if url:
            found.append((collapse_spaces(option.xpath("string()").get()), url))
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for text, url in found:
        key = normalize_url(url)
        if not scope.contains(url) and key not in seen:
            seen.add(key)
            out.append((text, url))
    return out


def _looks_like_homepage(page: Page, links: list[_Link]) -> bool:
    """Root URL, or no breadcrumb and its own 首页 link points to itself (Hanweb /col/col1/index.html)."""
    if is_homepage_url(page.url):
        return True
    if page.selector.xpath("//body//text()[contains(.,'当前位置') or contains(.,'所在位置') or contains(.,'现在的位置')]"):
        return False
    here = _column_key(page.url)
    return any(re.fullmatch(r"(?:网站|返回)?首页", link.text) and _column_key(link.url) == here for link in links)


def _collect_links(page: Page) -> list[_Link]:
    links: list[_Link] = []
    for el in page.selector.root.iter():
        if not isinstance(el.tag, str) or (el.tag != "a" and not el.get("onclick")):
            continue
        href = el.get("href") or ""
        url, js = page.absolute(href) if el.tag == "a" else None, False
        if url is None:
            target = js_target(href) if href.strip().lower().startswith("javascript:") else None
            target = target or js_target(el.get("onclick") or "")
            url, js = (page.absolute(target), True) if target else (None, False)
        if url is None:
            continue
        text = clean_name(el.text_content()) or clean_name(el.get("title")) or clean_name(
            " ".join(el.xpath(".//img/@alt")))
        links.append(_Link(el, url, text, js, len(links)))
    return links


def _classes(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _ancestors(el, levels: int):
    parent = el.getparent()
    while parent is not None and levels > 0:
        yield parent
        parent, levels = parent.getparent(), levels - 1


def _column_key(url: str) -> str:
    return re.sub(r"/(?:index|default)\.\w+$", "/", normalize_url(url), flags=re.I)


def _dedupe(found: list[tuple[int, ColumnLink]]) -> list[ColumnLink]:
    by_key: dict[str, ColumnLink] = {}
    for _, col in found:
        key = _column_key(col.url)
        kept = by_key.get(key)
        if kept is None:
            by_key[key] = col
        elif col.first_level and not kept.first_level:
            kept.first_level = True  # the parent stays: it records where the menu put the column
    return list(by_key.values())


class _Context:
    def __init__(self, page: Page, scope: Scope, links: list[_Link], homepage: bool):
        self.page, self.scope, self.links, self.homepage = page, scope, links, homepage
        self.by_el = {link.el: link for link in links}
        self._footer: dict = {}
        self._links_in: dict = {}
        self._ids: dict | None = None
        self._named: set | None = None
        self._is_column: dict = {}

    # ---- link tests -------------------------------------------------------------------------------------
    def is_column(self, link: _Link, name: str | None = None) -> bool:
        name = link.text if name is None else name
        key = (link.order, name)  # menus are scored several times over: decide each link once
        if key not in self._is_column:
            self._is_column[key] = self._column_test(link, name)
        return self._is_column[key]

    def _column_test(self, link: _Link, name: str) -> bool:
        url = link.url
        if not name or _EXCLUDED_NAME.search(name) or _EXCLUDED_URL.search(url):
            return False
        if not self.scope.contains(url) or is_attachment(url) or is_article_url(url) or is_homepage_url(url):
            return False
        return not (self.homepage and _column_key(url) == _column_key(self.page.url))

    def in_footer(self, el) -> bool:
        if el not in self._footer:
            self._footer[el] = any(_FOOTER_HINT.search(_classes(a)) for a in [el, *_ancestors(el, 12)])
        return self._footer[el]

    def links_in(self, el) -> list[_Link]:
        """The links inside `el`, and those of a sub-menu an item names elsewhere on the page (DedeCMS
        `<li rel='dropmenu2'>` … `<ul id='dropmenu2'>`)."""
        if el not in self._links_in:
            found = []
            for d in el.iter():
                if d in self.by_el:
                    found.append(self.by_el[d])
                menu = self.menu_elsewhere(d) if isinstance(d.tag, str) else None
                if menu is not None:
                    found += [self.by_el[m] for m in menu.iter() if m in self.by_el]
            self._links_in[el] = found
        return self._links_in[el]

    def is_named_submenu(self, el) -> bool:
        if self._named is None:
            self._named = {(e.get(attr) or "").strip().lstrip("#") for e in self.page.selector.root.iter()
                           if isinstance(e.tag, str) for attr in _MENU_REFS if e.get(attr)}
        return bool(el.get("id")) and el.get("id") in self._named and any(
            isinstance(e.tag, str) and self.menu_elsewhere(e) is el for e in self.page.selector.root.iter())

    def nested_in_menu(self, el) -> bool:
        """A list inside an entry of another menu (the drop-down under that entry's label) is its sub-menu."""
        for entry in _ancestors(el, 4):
            container = entry.getparent() if entry.tag in ("li", "dd") else None
            if container is not None and self.menu_score(container, 10) is not None:
                return True
        return False

    def menu_elsewhere(self, el):
        """The element another attribute of `el` names by id (rel, data-menu, data-target …), when it is not
        inside `el` nor around it."""
        if self._ids is None:
            self._ids = {e.get("id"): e for e in self.page.selector.root.iter() if isinstance(e.tag, str) and e.get("id")}
        for attr in _MENU_REFS:
            target = self._ids.get((el.get(attr) or "").strip().lstrip("#"))
            if target is not None and target is not el and not any(a is el for a in _ancestors(target, 50)) \
                    and not any(a is target for a in _ancestors(el, 50)):
                return target
        return None

    # ---- menu structure ---------------------------------------------------------------------------------
    def items(self, container) -> list[_Item]:
        children = [c for c in container if isinstance(c.tag, str)]
        if container.tag == "dl":  # <dt> heads the <dd>s that follow it
            items: list[_Item] = []
            for child in children:
                found = self.links_in(child)
                if child.tag == "dt" or not items:
                    top = found[0] if found else None
                    items.append(_Item(top, top.text if top else clean_name(child.text_content()), found[1:]))
                else:
                    items[-1].subs += found
            return items
        return [item for c in children if self.links_in(c) for item in self._item(c)]

    def _item(self, el) -> list[_Item]:
        """One menu entry: its own link (or plain label) and the links of its sub-menu."""
        found = self.links_in(el)
        first = found[0]
        for between in _ancestors(first.el, 20) if first.el is not el else ():
            if between is el:
                break
            if between.tag in _SUB_CONTAINERS or len(self.links_in(between)) > 1:
                label = clean_name(_text_before(el, between))
                # no label of its own: a wrapper around a list (<li><dl>…</dl></li>), whose entries are the items
                return [_Item(None, label, found)] if label else self.items(between)
        return [_Item(first, first.text, found[1:])]

    def menu_score(self, container, max_len: int) -> tuple[float, list[_Item]] | None:
        """Menu-likeness of a container: enough short, dateless, column items; None when it is no menu."""
        entries = [c for c in container if isinstance(c.tag, str) and self.links_in(c)]
        items = self.items(container)
        if len(entries) < 2 or len(items) < 2:  # a lone wrapper is not a menu; its inner list may be
            return None
        short = [it for it in items if 2 <= len(it.label) <= max_len]
        valid = [it for it in short if (it.top and self.is_column(it.top)) or any(self.is_column(s) for s in it.subs)]
        dated = sum(1 for c in container if isinstance(c.tag, str) and _DATE_TEXT.search(c.text_content()))
        if len(short) < 0.7 * len(items) or dated > 0.2 * len(items) or not valid:
            return None
        with_subs = sum(1 for it in valid if any(self.is_column(s) for s in it.subs))
        return len(valid) + min(with_subs, 4), items

    def top_navigation(self) -> list:
        first_links = len(self.links)
        best, best_score = None, 0.0
        for el in self.page.selector.root.iter(*_CONTAINERS):
            found = self.links_in(el)
            if len(found) < 3 or self.in_footer(el) or _CRUMB.search(_classes(el) + _text_before(el, found[0].el)):
                continue
            if self.is_named_submenu(el) or self.nested_in_menu(el):  # a drop-down is a sub-menu, however long
                continue
            position = found[0].order / first_links
            classes = [_classes(a) for a in [el, *_ancestors(el, 2)]]
            hinted = any(_NAV_HINT.search(c) for c in classes) and not any(_SIDE_HINT.search(c) for c in classes)
            if position > (0.6 if hinted else 0.4):
                continue
            scored = self.menu_score(el, 10)
            if scored is None or scored[0] < 2 or sum(1 for it in scored[1] if it.top or it.label) < 3:
                continue
            score = scored[0] + (4 if hinted else 0) - 8 * position
            if score > best_score:
                best, best_score = el, score
        if best is None:
            return []
        # a menu split over sibling rows (two <ul>/<p> in one nav bar) counts as one navigation
        parent = best.getparent()
        rows = [best] if parent is None else [
            s for s in parent if s is best or (s.tag == best.tag and s.get("class") == best.get("class")
                                               and self.menu_score(s, 10) is not None)]
        return rows

    def trees(self, nav: list) -> list:
        taken = {d for n in nav for d in n.iter()}
        hint = _SIDE_HINT if self.homepage else _TREE_HINT  # homepage blocks are often called menu/lm
        out: list = []
        for el in self.page.selector.root.iter(*_CONTAINERS):
            if el in taken or self.in_footer(el):
                continue
            shaped = el.tag == "dl" or el.find("dl") is not None or el.xpath("./li/ul|./li/ol|./li/div/ul")
            hinted = any(hint.search(_classes(a)) for a in [el, *_ancestors(el, 4)])
            if not (shaped or hinted):
                continue
            scored = self.menu_score(el, 16)
            if scored is not None and (scored[0] >= 2 or el.tag == "dl"):
                out.append(el)
                taken.update(el.iter())  # nested lists belong to this tree
        return out

    def tree_heading(self, container) -> str | None:
        for el in [container, *_ancestors(container, 2)]:
            if el.tag in ("body", "html"):
                break
            for sib in el.itersiblings(preceding=True):
                text = clean_name(sib.text_content()) if isinstance(sib.tag, str) and sib.tag != "script" else ""
                if 2 <= len(text) <= 16 and len(self.links_in(sib)) <= 1:
                    return text
                if text:
                    break
        column, crumbs = self.page_column_name(), self.breadcrumb()
        names = {it.label for it in self.items(container)}
        # the tree lists the page's own column among its siblings: their parent is the crumb above it
        if column in names and len(crumbs) >= 2 and crumbs[-1] == column:
            return crumbs[-2]
        return column

    def breadcrumb(self) -> list[str]:
        """Names in the 当前位置 trail, without 首页."""
        sel = self.page.selector
        here = sel.xpath("(//body//*[contains(text(),'当前位置') or contains(text(),'所在位置') or "
                         "contains(text(),'现在的位置')])[1]")
        crumbs = here.xpath(".//a") or here.xpath("following-sibling::a")
        names = [clean_name(a.xpath("string()").get()) for a in crumbs]
        return [n for n in names if n and not _EXCLUDED_NAME.search(n)]

    def page_column_name(self) -> str | None:
        sel = self.page.selector
        meta = sel.xpath("//meta[translate(@name,'COLUMNAME','columname')='columnname']/@content").get()
        if meta and meta.strip():
            return meta.strip()
        crumbs = self.breadcrumb()
        if crumbs:
            return crumbs[-1]
        title = clean_name(sel.xpath("string(//title)").get())
        return re.split(r"[_|｜]| - |—|-", title)[0].strip() or None

    def menu_columns(self, container, taken: set[int], top_source: str, top_parent: str | None,
                     first_level: bool) -> list[tuple[int, ColumnLink]]:
        out = []
        for item in self.items(container):
            for link, is_top in ([(item.top, True)] if item.top else []) + [(s, False) for s in item.subs]:
                if id(link) in taken:
                    continue
                taken.add(id(link))
                if not self.is_column(link):
                    continue
                if is_top:
                    source, parent, level = top_source, top_parent, first_level
                else:
                    source, parent, level = ("submenu" if top_source == "nav" else top_source), item.label, False
                out.append((link.order, ColumnLink(link.text, link.url, level, parent or None,
                                                   "js" if link.js else source)))
        return out

    # ---- homepage blocks --------------------------------------------------------------------------------
    def block_columns(self, taken: set[int]) -> list[tuple[int, ColumnLink]]:
        parent = None if self.homepage else self.page_column_name()
        out = []
        for link in self.links:
            if id(link) in taken or self.in_footer(link.el):
                continue
            if _is_more(link):
                title = clean_name(link.el.get("title"))
                name = title if title and not _MORE.match(title) else self.block_heading(link.el)
                source = "more"
            elif 2 <= len(link.text) <= 12 and self._in_heading(link.el):
                name, source = link.text, "block"
            elif link.js and 2 <= len(link.text) <= 12:
                name, source = link.text, "js"
            else:
                continue
            if self.is_column(link, name or "?"):
                taken.add(id(link))
                scripted = source == "js"  # a scripted link outside menus and blocks: rank and parent unknown
                out.append((link.order, ColumnLink(name or "", link.url, self.homepage and not scripted,
                                                   None if scripted else parent,
                                                   "js" if link.js else source)))
        return out

    def _in_heading(self, el) -> bool:
        for anc in _ancestors(el, 3):
            if anc.tag in _HEADINGS or _HEADING_HINT.search(_classes(anc)):
                return len(self.links_in(anc)) <= 6 and not _DATE_TEXT.search(anc.text_content())
        return False

    def block_heading(self, more_el) -> str:
        """Heading text of the block a 更多 link closes: the nearest heading-like text before it."""
        el = more_el
        for _ in range(4):
            for sib in el.itersiblings(preceding=True):
                if not isinstance(sib.tag, str):
                    continue
                text = _heading_text(sib)
                if text:
                    return text
            if el.getparent() is None:
                break
            el = el.getparent()
            own = clean_name(el.text)
            if 2 <= len(own) <= 15 and not _MORE.match(own):
                return own
        return ""


def _is_more(link: _Link) -> bool:
    if _MORE.match(_SPACE.sub("", link.el.text_content() or "").strip("[]【】()（）")):
        return True
    if link.text and not _MORE.match(link.text):
        return False
    hint = _classes(link.el) + " ".join(link.el.xpath(".//img/@src|.//img/@alt|./@title"))
    return bool(re.search(r"more|更多", hint, re.I))


def _heading_text(el) -> str:
    """Short heading text of an element (the active tab of a tab bar), or '' when it is no heading.
    A list of dated or article links is the block's content, never its heading."""
    if _DATE_TEXT.search(el.text_content()) or any(is_article_url(h) for h in el.xpath(".//a/@href")):
        return ""
    kids = [c for c in el if isinstance(c.tag, str) and clean_name(c.text_content())]
    if len(kids) >= 2 and all(len(clean_name(c.text_content())) <= 12 for c in kids):
        active = [c for c in kids if _ACTIVE.search(_classes(c))]
        return _heading_text(active[0] if active else kids[0])
    text = clean_name(el.text_content())
    if 2 <= len(text) <= 15 and not _MORE.match(text) and not _DATE_TEXT.search(text):
        return text
    return ""


def _text_before(root, stop) -> str:
    out: list[str] = []

    def walk(e) -> bool:
        if e is stop:
            return True
        if isinstance(e.tag, str) and e.text:
            out.append(e.text)
        for child in e:
            if walk(child):
                return True
            if child.tail:
                out.append(child.tail)
        return False

    walk(root)
    return "".join(out)
