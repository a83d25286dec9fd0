"""Decoding pages whose charset is missing, wrong or contradictory."""
import codecs

import pytest

from govcrawl.encoding import decode_html

TEXT = "湖南省人民政府 通知公告 2019年06月10日 喆"  # 喆 is outside GB2312: only GBK/GB18030 have it
GBK = f"<html><head>{{meta}}</head><body>{TEXT}</body></html>"


@pytest.mark.parametrize("meta, header, encoding", [
    ("", None, "gbk"),                                             # no charset anywhere
    ("", "text/html", "gbk"),
    ('<meta charset="gb2312">', None, "gbk"),                       # meta says gb2312, body uses a GBK-only character
    ('<meta charset="gb2312">', "text/html; charset=utf-8", "gbk"),  # header contradicts meta and is wrong
    ('<meta charset="utf-8">', "text/html; charset=iso-8859-1", "gbk"),  # both wrong
    ('<meta http-equiv="Content-Type" content="text/html; charset=GB18030">', None, "gb18030"),
    ('<meta charset="utf-8">', None, "utf-8"),
    ("", "text/html; charset=gbk", "utf-8"),                         # header says gbk, bytes are utf-8
    ("", "text/html; charset=windows-1252", "utf-8"),
])
def test_text_is_read_right(meta, header, encoding):
    body = GBK.replace("{meta}", meta).encode(encoding)
    text, _ = decode_html(body, header)
    assert TEXT in text


def test_utf8_bom():
    text, used = decode_html(codecs.BOM_UTF8 + GBK.replace("{meta}", "").encode("utf-8"), "text/html; charset=gbk")
    assert TEXT in text and used == "utf-8" and not text.startswith("\ufeff")


def test_damaged_gbk_keeps_most_of_the_text():
    body = GBK.replace("{meta}", '<meta charset="gbk">').encode("gbk")
    damaged = body[:60] + b"\xff" + body[60:]
    text, used = decode_html(damaged, None)
    assert used == "gb18030" and "通知公告" in text


def test_unknown_declared_charset_is_ignored():
    text, _ = decode_html(TEXT.encode("gbk"), "text/html; charset=x-unknown")
    assert text == TEXT
