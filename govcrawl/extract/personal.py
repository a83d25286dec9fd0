"""Personal data published in page text (review code personal_data): resident ID numbers, mobile numbers next to a
name, bank card numbers near 卡号/银行. Every value leaves this module masked (only its last four characters
shown), with the surrounding words masked the same way; `mask_personal_data` masks any text for an output."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from govcrawl.vocabulary import VOCABULARY

CONTEXT = 16        # characters of surrounding words on each side
CARD_WINDOW = 300   # how far before a card number 卡号/银行 may stand (a table header)
# GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit sequence, ISO 7064 MOD 11-2 check character
_ID = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})((?:18|19|20)\d{2})(\d{2})(\d{2})\d{3}[0-9Xx](?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
              54, 61, 62, 63, 64, 65, 71, 81, 82}
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")
# a name: after a label, or a 2–4 character name right before/after the number (张三 13812345678)
_NAME_LABEL = VOCABULARY.regex("personal_data.name_label")  # vocabulary.toml [personal_data]
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_NUMBER_SHAPES = re.compile(r"(?<![0-9A-Za-z])(?:1[3-9]\d{9}|\d{15}|\d{17}[\dXx]|\d{16,19})(?![0-9A-Za-z])")
_CARD_WORDS = VOCABULARY.regex("personal_data.card_words")


@dataclass(frozen=True)
class PersonalDatum:
    kind: str        # id_number | mobile | bank_card
    masked: str      # the value with all but its last four characters as *
    context: str     # the surrounding words, every number in them masked


def mask(value: str) -> str:
    """Every digit or letter but the last four as *, separators kept (the length never changes)."""
    keep = len(value)
    for _ in range(4):
        keep = next((i for i in range(keep - 1, -1, -1) if value[i].isalnum()), 0)
    return "".join("*" if i < keep and ch.isalnum() else ch for i, ch in enumerate(value))


def id_check_ok(number: str) -> bool:
    """ISO 7064 MOD 11-2 over the first 17 digits gives the 18th character."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _plausible_birth(year: str, month: str, day: str, today: date) -> bool:
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


def _ids(text: str, today: date):
    for m in _ID.finditer(text):
        if int(m.group(1)[:2]) in _PROVINCES and _plausible_birth(m.group(2), m.group(3), m.group(4), today) \
                and id_check_ok(m.group(0)):
            yield "id_number", m


def _record_before(text: str, start: int, width: int) -> str:
    """The text before `start` in the same record: at most `width` characters, back to a sentence end or line."""
    return re.split(r"[。；;\n]", text[max(0, start - width):start])[-1]


def _is_name(token: str | None) -> bool:
    return bool(token) and token[0] in _SURNAMES and not _CARD_WORDS.search(token)


def _near_name(text: str, start: int, end: int) -> bool:
    """A labelled name earlier in the record (申请人张伟，身份证号…，联系电话…), or a 2–3 character name standing alone
    before the number in the record (a table row: 张桂兰 430521… 139…) or right after it."""
    before = _record_before(text, start, 40)
    if _NAME_LABEL.search(before):
        return True
    alone = re.findall(r"(?<![\u4e00-\u9fa5])([\u4e00-\u9fa5]{2,3})(?![\u4e00-\u9fa5])", before[-30:])
    after = re.match(r"[\s)）,，]*([\u4e00-\u9fa5]{2,3})(?![\u4e00-\u9fa5])", text[end:end + 8])
    return any(_is_name(t) for t in alone) or _is_name(after.group(1) if after else None)


def _mobiles(text: str):
    for m in _MOBILE.finditer(text):
        if _near_name(text, m.start(), m.end()):
            yield "mobile", m


def _cards(text: str):
    for m in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(0))
        # the word right before the number, or a table's column header earlier on
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and _CARD_WORDS.search(text[max(0, m.start() - CARD_WINDOW):m.start()]):
            yield "bank_card", m


def _matches(text: str, today: date):
    found = sorted([*_ids(text, today), *_mobiles(text), *_cards(text)], key=lambda km: km[1].start())
    taken: list[tuple[int, int]] = []
    for kind, m in found:  # an ID number is not also read as a card
        if not any(a < m.end() and m.start() < b for a, b in taken):
            taken.append((m.start(), m.end()))
            yield kind, m


def find_personal_data(text: str, today: date) -> list[PersonalDatum]:
    """Every resident ID (valid check digit, plausible birth date), mobile number next to a name and bank card
    number (Luhn, 16–19 digits, near 卡号/银行) in `text`, masked. `today` bounds plausible birth dates."""
    found = list(_matches(text, today))
    if not found:
        return []
    masked = mask_personal_data(text, today)  # same length as text: contexts are cut from it, never from text
    return [PersonalDatum(kind, mask(m.group(0)), masked[max(0, m.start() - CONTEXT):m.end() + CONTEXT])
            for kind, m in found]


_URL = re.compile(r"https?://\S+\Z")
_ANY_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_url(url: str) -> str:
    """A link with ID numbers (by their check digit) and mobile numbers masked, and nothing else: the long ids of
    posts and containers (weibo.cn/status/4391234567890123) must stay whole for the link to lead to the evidence."""
    ids = (m for m in _ANY_ID.finditer(url) if id_check_ok(m.group(0)))
    spans = sorted((m.start(), m.end()) for m in (*ids, *_MOBILE.finditer(url)))
    out, last = [], 0
    for a, b in spans:
        out += [url[last:a], mask(url[a:b])]
        last = b
    return "".join(out) + url[last:]


def mask_personal_data(text: str, today: date | None = None) -> str:
    """`text` with every ID, mobile and card number it holds masked; also anything shaped like one (an ID with a
    wrong check digit, a mobile with no name, a card failing Luhn): an output never shows such a number whole."""
    if not text:
        return text
    if _URL.match(text):
        return mask_url(text)
    today = today or date.today()
    spans = sorted((m.start(), m.end()) for _, m in _matches(text, today))
    out, last = [], 0
    for a, b in spans:
        out += [text[last:a], mask(text[a:b])]
        last = b
    out.append(text[last:])
    return _NUMBER_SHAPES.sub(lambda m: mask(m.group(0)), "".join(out))
