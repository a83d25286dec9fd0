"""Pages that are not what they claim: error pages served with 200, and WAF interstitials that block a crawler.

Both must not be read as content: an error page is a broken page, a WAF page means the data is missing
(the site is `incomplete`, never judged on it).
"""
from __future__ import annotations

import re

from govcrawl.extract.page import Page

# 创宇云防御 / 安全狗 / 云锁 / 宝塔 / 阿里云盾 / 腾讯云 WAF / 360网站卫士 and generic challenge pages
_WAF = re.compile(
    r"创宇云防御|云防御|知道创宇|安全狗|网站防火墙|云锁|宝塔|阿里云盾|云盾|腾讯云\s*WAF|360网站卫士|加速乐|安全防护"
    r"|访问被拦截|拦截了您的访问|您的访问请求可能对网站造成安全威胁|访问过于频繁|请求过于频繁|疑似攻击|非法请求"
    r"|请开启JavaScript并刷新|正在验证您的浏览器|Checking your browser|Access Denied|Request blocked", re.I)
_WAF_SCRIPT = re.compile(r"__jsl_clearance|_waf_|waf\.js|yunsuo_session|safedog|jiasule|cdn-cgi/challenge", re.I)
_ERROR = re.compile(
    r"404\s*Not\s*Found|页面不存在|您(?:所)?访问的页面(?:不存在|已删除|找不到)|找不到(?:该|此)?页面|无法找到该页|页面未找到"
    r"|服务器(?:内部)?错误|Internal Server Error|Service (?:Temporarily )?Unavailable|Bad Gateway|系统(?:繁忙|出错)"
    r"|网站正在维护|系统维护中|访问出错|出错了|该信息已(?:删除|过期)|栏目不存在|文章不存在", re.I)
_SHORT_PAGE = 1500  # visible characters; a real content page of a government site is longer


def _title(page: Page) -> str:
    return " ".join(page.selector.xpath("//title//text()").getall())


def waf_block(page: Page) -> str | None:
    """The WAF or challenge wording when the page is an interstitial, else None."""
    text = page.visible_text
    if len(text) > _SHORT_PAGE:
        return None
    found = _WAF.search(_title(page) + " " + text) or _WAF_SCRIPT.search(page.text[:20000])
    return found.group(0) if found else None


def error_page(page: Page) -> str | None:
    """The error wording when a page served as 200 is an error page (short, says 404/页面不存在/…), else None."""
    text = page.visible_text
    if len(text) > _SHORT_PAGE:
        return None
    found = _ERROR.search(_title(page)) or _ERROR.search(text)
    return found.group(0) if found else None
