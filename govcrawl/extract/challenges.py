"""Web application firewall challenges: the small pages a WAF answers a first visit with instead of the site.

Two kinds. A *script* challenge is cleared by any visitor's browser without the visitor doing anything: its script
computes a cookie from a value in the page (or has the server set one after a script-driven hop) and reloads;
govcrawl lets Chromium run that same script once per host (spiders/challenges.py). A *person* challenge (image
CAPTCHA, slider, SMS code) needs a human: govcrawl never attempts it, the site is `incomplete` with that reason.

Either way the site answered: a challenge is never evidence that a site is unreachable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from govcrawl.vocabulary import VOCABULARY

# A challenge page is small: the script and a line of text. Real homepages are far larger.
MAX_CHALLENGE_BYTES = 64 * 1024
_SHORT_TEXT = 600  # visible characters


@dataclass(frozen=True)
class Challenge:
    kind: str            # jsl-521 | script-412 | yunsuo | safedog | script-cookie | captcha | slider | sms
    label: str           # how the report names it
    needs_person: bool   # True: never attempted

    def describe(self) -> str:
        return f"{self.label}（需人工完成，govcrawl不代为完成）" if self.needs_person else self.label


JSL_521 = Challenge("jsl-521", "加速乐HTTP 521脚本验证", False)
SCRIPT_412 = Challenge("script-412", "HTTP 412混淆脚本验证", False)
YUNSUO = Challenge("yunsuo", "云锁脚本验证", False)
SAFEDOG = Challenge("safedog", "安全狗脚本验证", False)
SCRIPT_COOKIE = Challenge("script-cookie", "脚本写入Cookie后重新加载", False)
CAPTCHA = Challenge("captcha", "图形验证码", True)
SLIDER = Challenge("slider", "滑块验证", True)
SMS = Challenge("sms", "短信验证码", True)

# Person challenges first: a CAPTCHA page usually carries a WAF's name and scripts as well.
# (vocabulary.toml [challenges]; its markers are substrings, lower case, without which no pattern can match)
_PERSON = tuple((challenge, VOCABULARY.regex(f"challenges.{challenge.kind}")) for challenge in (SMS, SLIDER, CAPTCHA))
_PERSON_MARKERS = VOCABULARY.words("challenges.markers")
_SCRIPT_MARKERS = ("cookie", "jsl_", "$_ts", "r='m'", 'r="m"', "yunsuo", "security_", "safedog", "安全狗", "go({")
_SETS_COOKIE = re.compile(r"document\s*\[?\s*['\"]?cookie|\bcookie\s*=", re.I)
_RELOADS = re.compile(r"location\s*(?:\.\s*(?:reload|replace|href|assign)|\[|=)|window\s*\.\s*location|"
                      r"document\s*\.\s*location|history\s*\.\s*go", re.I)
_JSL = re.compile(r"__jsl_clearance|jsl_clearance_s|_?go\(\{\s*['\"]?bts", re.I)
_RUISHU = re.compile(r"\$_ts\s*=|\$_ts\[|r=['\"]m['\"]", re.I)
_YUNSUO = re.compile(r"yunsuo_session|security_verify_data|security_session_verify", re.I)
_SAFEDOG = re.compile(r"safedog|安全狗", re.I)
_VISIBLE = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.I | re.S)


def visible_length(html: str) -> int:
    return len(re.sub(r"\s+", "", _VISIBLE.sub(" ", html)))


def classify_challenge(status: int | None, html: str, set_cookies: str = "") -> Challenge | None:
    """The challenge a response is, or None for an ordinary page. `set_cookies`: the Set-Cookie headers joined.
    Every response of a crawl passes here: plain substring tests rule out ordinary pages before any regex runs."""
    if len(html) > MAX_CHALLENGE_BYTES:
        return None
    low = html.lower()
    scripted = "<script" in low
    person = any(m in low for m in _PERSON_MARKERS) and (scripted or "<form" in low or "<input" in low)
    if not (person or scripted and (any(m in low for m in _SCRIPT_MARKERS) or status in (412, 521)
                                    or "yunsuo" in set_cookies)):
        return None
    if visible_length(html) > _SHORT_TEXT:
        return None
    if person:
        # a person challenge shows a form or widget; the words alone in a page of text prove nothing
        for challenge, pattern in _PERSON:
            if pattern.search(html):
                return challenge
    if not scripted:
        return None
    if _YUNSUO.search(html) or _YUNSUO.search(set_cookies):
        return YUNSUO
    if _JSL.search(html) or (status == 521 and (_SETS_COOKIE.search(html) or _RELOADS.search(html))):
        return JSL_521
    if _RUISHU.search(html) or status == 412:
        return SCRIPT_412
    if _SAFEDOG.search(html) and _RELOADS.search(html):
        return SAFEDOG
    if _SETS_COOKIE.search(html) and _RELOADS.search(html):
        return SCRIPT_COOKIE
    return None
