"""The rows of the notice's tables that the website and the new-media parts of a report share."""
from __future__ import annotations

from dataclasses import dataclass, field

from govcrawl.report import order


@dataclass
class UnitRow:
    number: str            # 序号, '' on the 合计 row
    unit: str
    run: int               # 实际运行网站数 / 抽查政务新媒体数
    checked: int
    failing: int
    share: str             # 占检查数比例


@dataclass
class ProblemRow:
    number: int
    unit: str              # 市州/部门 as the notice prints it (省直 for the provincial departments)
    name: str
    problems: str          # 存在的突出问题
    code: str              # 网站标识码, or the account's platform in 附件4
    codes: list[str] = field(default_factory=list)
    ident: str = ""        # site_code / account_id


@dataclass
class Apart:
    """A site or account not (fully) checked, listed apart from the verdict tables."""
    ident: str
    name: str
    unit: str
    status: str
    reason: str


def unit_rows(groups: dict[str, tuple[int, int, int]], regions: dict[str, str]) -> list[UnitRow]:
    """groups: unit -> (run, checked, failing); returns the ordered rows and the 合计 row."""
    rows = []
    for number, unit in enumerate(sorted(groups, key=lambda u: order.unit_sort_key(u, regions)), 1):
        run, checked, failing = groups[unit]
        rows.append(UnitRow(str(number), order.table_label(unit), run, checked, failing,
                            order.percent(failing, checked)))
    run, checked, failing = (sum(g[i] for g in groups.values()) for i in range(3))
    rows.append(UnitRow("合计", "", run, checked, failing, order.percent(failing, checked)))
    return rows
