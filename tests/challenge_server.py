"""A replay proxy with web application firewalls in front of some hosts, for the challenge tests.

Each gated host answers a request without a valid clearance cookie with a challenge page in the style of a real
WAF; the cookie is COMPUTED by the page's script from a value in the page and CHECKED here, so only a client that
runs the script gets through (a static cookie replayed from a file would not). Behind the gate the demo fixture
answers as usual. Counters per host: challenges served, clearances redeemed (first good use of a cookie value),
expiries (a cookie presented after its last allowed use).
"""
from __future__ import annotations

import hashlib
import secrets
import threading
from urllib.parse import parse_qs, urlsplit

from govcrawl.replay.http11 import send_body_response
from govcrawl.replay.proxy import ReplayServer

JSL_NAME = "__jsl_clearance"
RS_NAME = "FSSBBIl1UgzbN7N80T"
DOG_NAME = "safedog-flow-item"


def cookies_of(request) -> dict[str, str]:
    jar = {}
    for part in (request.header("Cookie") or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            jar[name] = value
    return jar


def jsl_hash(seed: str) -> int:
    h = 0
    for ch in seed:
        h = (h * 31 + ord(ch)) % 1000000007
    return h


def rs_value(token: str) -> str:
    reversed_ = token[::-1]
    x = 0
    for i, ch in enumerate(reversed_):
        x ^= (ord(ch) << (i % 8)) & 0xFFFFFFFF
    return f"{reversed_}.{x:x}"


def hex_of(text: str) -> str:
    return "".join(f"{ord(c):x}" for c in text)


class Gate:
    """One host's WAF. `page(request)` is the challenge; `value(seed)` the cookie its script computes."""
    cookie = ""

    def __init__(self, per_visit: bool = False, max_uses: int = 0):
        self.per_visit = per_visit
        self.max_uses = max_uses
        self.fixed_seed = secrets.token_hex(6)
        self.issued: set[str] = set()
        self.uses: dict[str, int] = {}
        self.expired_values: set[str] = set()
        self.counts = {"served": 0, "redeemed": 0, "expired": 0, "passed": 0}

    def seed(self) -> str:
        seed = secrets.token_hex(6) if self.per_visit else self.fixed_seed
        self.issued.add(seed)
        return seed

    def valid_values(self) -> dict[str, str]:
        return {self.value(s): s for s in self.issued}

    def admit(self, request) -> bool:
        value = cookies_of(request).get(self.cookie)
        if value is None or value not in self.valid_values() or value in self.expired_values:
            return False
        used = self.uses.get(value, 0)
        if self.max_uses and used >= self.max_uses:
            self.expired_values.add(value)
            self.counts["expired"] += 1
            self.fixed_seed = secrets.token_hex(6)   # the next challenge carries a new value
            return False
        if used == 0:
            self.counts["redeemed"] += 1
        self.uses[value] = used + 1
        return True

    def special(self, request) -> tuple[int, list, bytes] | None:
        return None


class Jsl521(Gate):
    """加速乐: HTTP 521, a script that assembles the cookie name from pieces and hashes the seed."""
    cookie = JSL_NAME
    status = 521

    def value(self, seed):
        return f"{seed}|{jsl_hash(seed)}"

    def page(self, request):
        seed = self.seed()
        name = "+".join(f"('{c}')" for c in JSL_NAME)
        script = (f"var _s='{seed}';var h=0;for(var i=0;i<_s.length;i++){{h=(h*31+_s.charCodeAt(i))%1000000007;}}"
                  f"document.cookie={name}+'='+_s+'|'+h+';max-age=3600;path=/';"
                  "location.href=location.pathname+location.search")
        body = f"<html><body><script>{script}</script></body></html>"
        tracking = f"__jsluid_h={secrets.token_hex(8)}; max-age=31536000; path=/; HttpOnly"
        return self.status, [("Set-Cookie", tracking)], body


class Script412(Gate):
    """瑞数-like: HTTP 412, a meta token and an escaped script that derives the cookie from it and reloads."""
    cookie = RS_NAME

    def value(self, seed):
        return rs_value(seed)

    def page(self, request):
        token = self.seed()
        names = ",".join('"' + "".join(f"\\x{ord(c):02x}" for c in w) + '"' for w in ("cookie", "content", RS_NAME))
        script = (f"var $_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd=84620;(function(){{var _0x=[{names}];"
                  "var m=document.getElementById('9DhefwqGPrzGxEp9hPaoag')[_0x[1]];"
                  "var r=m.split('').reverse().join('');"
                  "var x=0;for(var i=0;i<r.length;i++){x^=(r.charCodeAt(i)<<(i%8));}"
                  "document[_0x[0]]=_0x[2]+'='+r+'.'+(x>>>0).toString(16)+'; path=/';location.reload();})();")
        body = (f"<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
                f"<meta id=\"9DhefwqGPrzGxEp9hPaoag\" content=\"{token}\" r='m'><script type=\"text/javascript\" r='m'>"
                f"{script}</script></head><body></body></html>")
        return 412, [], body


class Yunsuo(Gate):
    """云锁: HTTP 200, a session cookie set by the server; the script navigates to ?security_verify_data=<hex of the
    page's value and the screen size>; the server checks it and sets the clearance cookie (HttpOnly) with a 302."""
    cookie = "security_session_verify"

    def value(self, seed):
        return hashlib.sha256(f"verified:{seed}".encode()).hexdigest()[:32]

    def page(self, request):
        seed = self.seed()
        script = ("function stringToHex(str){var val='';"
                  "for(var i=0;i<str.length;i++){val+=str.charCodeAt(i).toString(16);}return val;}var screendate=document.getElementById('yunsuo').getAttribute('data-v')+','+"
                  "screen.width+','+screen.height;var curlocation=window.location.pathname;"
                  "window.location.href=curlocation+'?security_verify_data='+stringToHex(screendate);")
        body = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><div id=\"yunsuo\" data-v=\"{seed}\">"
                f"</div><script type=\"text/javascript\">{script}</script></body></html>")
        return 200, [("Set-Cookie", f"yunsuo_session_verify={seed}; path=/; HttpOnly")], body

    def special(self, request):
        parts = urlsplit(request.url)
        data = parse_qs(parts.query).get("security_verify_data")
        if not data:
            return None
        seed = cookies_of(request).get("yunsuo_session_verify", "")
        ok = seed in self.issued and data[0].startswith(hex_of(seed + ","))
        if not ok:
            return 403, [("Content-Type", "text/plain")], b"verify failed"
        cleared = f"{self.cookie}={self.value(seed)}; path=/; HttpOnly"
        return 302, [("Location", parts.path), ("Set-Cookie", cleared)], b""


class SafeDog(Gate):
    """安全狗-style: HTTP 200, the value changes with every visit, cookie set by script, then a reload."""
    cookie = DOG_NAME

    def value(self, seed):
        return hashlib.md5(seed.encode()).hexdigest()[:16] + seed[::-1]

    def page(self, request):
        seed = self.seed()
        # the page carries half the value; the script reverses the seed for the other half
        script = (f"var v='{seed}';var r=v.split('').reverse().join('');"
                  f"document.cookie='{DOG_NAME}='+'{hashlib.md5(seed.encode()).hexdigest()[:16]}'+r+'; path=/';"
                  "window.location.reload();")
        body = (f"<html><head><title>网站防火墙</title></head><body><p>safedog 正在验证您的浏览器</p>"
                f"<script>{script}</script></body></html>")
        return 200, [], body


class Captcha(Gate):
    """A page that needs a person: an image CAPTCHA form. Never passes."""
    cookie = "captcha_passed"

    def value(self, seed):
        return secrets.token_hex(16)   # nothing a client could compute

    def page(self, request):
        body = ("<html><head><title>安全验证</title></head><body><form method=\"post\" action=\"/waf/verify\">"
                "<p>请输入验证码后继续访问</p><img src=\"/waf/captcha.jpg\"><input name=\"captcha\"><button>提交</button>"
                "</form><script src=\"/waf/captcha.js\"></script></body></html>")
        return 200, [], body


class ChallengeServer(ReplayServer):
    def __init__(self, fixtures_dir, gates: dict[str, Gate]):
        super().__init__(fixtures_dir)
        self.gates = gates
        self.lock = threading.Lock()

    async def respond(self, request, writer):
        gate = self.gates.get((urlsplit(request.url).hostname or "").lower())
        if gate is None:
            return await super().respond(request, writer)
        with self.lock:
            special = gate.special(request)
            admitted = special is None and gate.admit(request)
            if special is None and not admitted:
                gate.counts["served"] += 1
                status, headers, body = gate.page(request)
                special = status, [("Content-Type", "text/html; charset=utf-8"), *headers], body.encode()
            elif admitted:
                gate.counts["passed"] += 1
        if special is not None:
            status, headers, body = special
            await send_body_response(writer, status, headers, body, head=request.method == "HEAD",
                                     keep_alive=request.keep_alive)
            return True
        return await super().respond(request, writer)

