"""The phrase 附件2 / 附件4 print for each code (docs/indicators.md, "Report wording"), and how several are joined."""
from __future__ import annotations

PHRASES: dict[str, str] = {
    "site_unreachable": "站点无法访问",
    "homepage_url_mismatch": "网站首页地址与全国政府网站信息报送系统填报地址不一致",
    "homepage_not_updated": "首页不更新，监测时间点前2周内首页无信息更新",
    "columns_not_updated": "栏目不更新，动态、要闻类栏目及通知公告、政策文件类栏目累计超过(含)5个未更新",
    "columns_long_stale": "应更新但长期未更新的栏目数量超过(含)10个",
    "blank_columns": "空白栏目数量超过(含)5个",
    "no_consultation_channel": "未提供网上有效咨询建言渠道",
    "letters_unanswered": "互动回应不及时，监测时间点前1年内，对公众信件存在超过三个月未回应的现象",
    "no_service": "未提供办事服务",
    "guide_elements_missing": "办事指南重点要素类别(办理材料、办理地点、办理机构、收费标准、办理时间)均缺失4类及以上",
    "account_not_updated": "超过2周未更新",
    "account_no_interaction": "未提供有效互动功能",
    # Review codes: not in the notice; worded in its style for the review list.
    "broken_links": "存在不可用链接",
    "footer_incomplete": "网站底部信息不完整",
    "sitecode_mismatch": "网站标识码与填报信息不一致",
    "domain_nonconforming": "网站域名不符合规范",
    "future_dated": "存在发布日期晚于监测时间点的信息",
    "tls_invalid": "网站HTTPS证书无效",
    # 安全、泄密事故等严重问题 (19号 single veto), printed in 附件2 once an inspector confirms the finding.
    "hidden_links": "存在安全、泄密事故等严重问题，网页被植入指向赌博、色情等网站的隐藏链接",
    "cloaking_redirect": "存在安全、泄密事故等严重问题，网站遭攻击，来自搜索引擎的访问被劫持跳转",
    "tampered_content": "存在安全、泄密事故等严重问题，网站遭攻击，网页内容被篡改",
    "personal_data": "存在安全、泄密事故等严重问题，泄露公民个人信息",
    "wording_error": "存在安全、泄密事故等严重问题，存在严重表述错误",
}
# On WeChat accounts the notice words the stale-account problem differently.
_PLATFORM_PHRASES = {("account_not_updated", "wechat"): "监测时间点前2周内无更新"}

SITE_SEPARATOR = "；"      # 附件2 joins a site's problems with this
ACCOUNT_SEPARATOR = "，"   # 附件4 joins an account's problems with this


def phrase(code: str, platform: str | None = None) -> str:
    """The report wording of an indicator code; KeyError for a code that does not exist."""
    if platform and (code, platform.lower()) in _PLATFORM_PHRASES:
        return _PLATFORM_PHRASES[(code, platform.lower())]
    try:
        return PHRASES[code]
    except KeyError:
        raise KeyError(f"unknown indicator code {code!r}") from None


def phrase_or_code(code: str) -> str:
    """The report wording of a code, or the code itself for one this version does not know (an older database)."""
    try:
        return phrase(code)
    except KeyError:
        return code


def problems_text(codes: list[str], account: bool = False, platform: str | None = None) -> str:
    """The 存在的突出问题 cell: the phrases of `codes` in the given order, joined as the notice does."""
    return (ACCOUNT_SEPARATOR if account else SITE_SEPARATOR).join(phrase(c, platform) for c in codes)
