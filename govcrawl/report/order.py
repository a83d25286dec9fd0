"""How the report orders and formats things, defined once: units, problems, percentages, platforms."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PROVINCIAL_UNITS = ("省直", "省直部门")
PROVINCIAL_LABEL_TABLE = "省直部门"   # 附件1 / 附件3 print the provincial departments as 省直部门
PROVINCIAL_LABEL_LIST = "省直"        # 附件2 / 附件4 print them as 省直

# A site's problems in the notice's reading order (its 附件2 prints 湖南文化遗产网 as
# 互动回应不及时…；应更新但长期未更新…, i.e. letters before stale columns).
PROBLEM_ORDER: tuple[str, ...] = (
    "site_unreachable", "homepage_url_mismatch", "letters_unanswered", "no_consultation_channel",
    "homepage_not_updated", "columns_not_updated", "columns_long_stale", "blank_columns",
    "no_service", "guide_elements_missing",
    "account_not_updated", "account_no_interaction",
)

PLATFORM_NAMES = {"weibo": "新浪微博", "wechat": "微信", "douyin": "抖音", "toutiao": "今日头条",
                  "kuaishou": "快手", "bilibili": "哔哩哔哩", "app": "移动客户端"}


def is_provincial(unit: str) -> bool:
    return (unit or "").strip() in PROVINCIAL_UNITS


def problem_rank(code: str) -> int:
    try:
        return PROBLEM_ORDER.index(code)
    except ValueError:
        return len(PROBLEM_ORDER)


def ordered_problems(codes) -> list[str]:
    return sorted(set(codes), key=lambda c: (problem_rank(c), c))


def region_code(site_code: str) -> str | None:
    """The prefecture-level region code of a 标识码: first 4 digits + "00" (4305110001 -> 430500)."""
    code = (site_code or "").strip()
    return code[:4] + "00" if len(code) >= 4 and code[:4].isdigit() else None


def unit_regions(pairs) -> dict[str, str]:
    """unit -> its smallest region code, from (unit, site_code) pairs."""
    out: dict[str, str] = {}
    for unit, code in pairs:
        region = region_code(code)
        if region and (unit not in out or region < out[unit]):
            out[unit] = region
    return out


def unit_sort_key(unit: str, regions: dict[str, str]) -> tuple:
    """省直 first, then the cities by region code, then units without a code by name."""
    if is_provincial(unit):
        return (0, "", unit)
    region = regions.get(unit)
    return (1, region, unit) if region else (2, "", unit)


def table_label(unit: str) -> str:
    return PROVINCIAL_LABEL_TABLE if is_provincial(unit) else unit


def list_label(unit: str) -> str:
    return PROVINCIAL_LABEL_LIST if is_provincial(unit) else unit


def percent(part: int, whole: int) -> str:
    """占检查数比例 always with two decimals: '10.53%', '2.00%', '0.00%'."""
    if not part or not whole:
        return "0.00%"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def ratio(part: int, whole: int) -> float:
    """The same share as a number (0.1053), for numeric cells and charts."""
    return round(part / whole, 4) if whole else 0.0


def pass_rate(failing: int, checked: int) -> str:
    """合格率 = 1 - failing/checked, two decimals with %; '—' when nothing was checked."""
    if not checked:
        return "—"
    value = (Decimal(checked - failing) * 100 / Decimal(checked)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def platform_key(platform: str | None) -> str:
    """'微信' / 'WeChat' -> 'wechat': the key govcrawl.rules.wording uses for platform-specific wording."""
    value = (platform or "").strip()
    names = {name: key for key, name in PLATFORM_NAMES.items()}
    return names.get(value, value.lower())


def platform_name(platform: str | None) -> str:
    return PLATFORM_NAMES.get((platform or "").strip().lower(), platform or "")
