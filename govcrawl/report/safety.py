"""The report's content-safety part: the 需人工核实 list (open findings with their evidence, masked) and the
confirmations of the ones an inspector confirmed (they fail the site and appear in 附件2). Dismissed findings are
kept in the database and left out of the report."""
from __future__ import annotations

import json
from dataclasses import dataclass

from govcrawl.extract.personal import mask_personal_data
from govcrawl.report.table import Table
from govcrawl.report.text import map_strings
from govcrawl.rules.safety import KIND_NAMES, SAFETY_CODES
from govcrawl.rules.wording import phrase


@dataclass
class ReviewRow:
    """A finding of a site as a list row: review codes, undecided codes, and (VerifyRow) content-safety findings."""
    site_code: str
    name: str
    unit: str
    indicator: str
    problem: str
    detail: str
    evidence_url: str


@dataclass
class VerifyRow(ReviewRow):
    evidence: str      # the evidence items, one per line, masked
    decision: str      # open | confirmed
    note: str          # who confirmed, when, why


def reviewed_findings(findings: list[dict]) -> list[dict]:
    """The findings the report shows: dismissed ones left out, confirmed ones with their confirmation in the detail."""
    out = []
    for f in findings:
        review = f.get("review")
        if review == "dismissed":
            continue
        if review == "confirmed" and f.get("review_note"):
            f = {**f, "detail": f"{f['detail']}（人工核实：{f['review_note']}）"}
        out.append(f)
    return out


def evidence_text(evidence: str | None) -> str:
    """One line per evidence item: the page, and what is on it (link target and why hidden, masked value and its
    context, the wrong form and the right one, both versions of a cloaked homepage)."""
    try:
        items = (json.loads(evidence or "{}") or {}).get("items") or []
    except ValueError:
        return ""
    lines = []
    for i in items[:10]:
        if "target" in i:
            what = f"隐藏链接“{i.get('text', '')}”→{i['target']}（{i.get('why', '')}）"
        elif "masked" in i:
            what = f"{KIND_NAMES.get(i.get('kind'), i.get('kind', ''))}{i['masked']}：…{i.get('context', '')}…"
        elif "wrong" in i:
            what = f"“{i['wrong']}”应为“{i['right']}”：…{i.get('context', '')}…"
        elif "variant" in i:
            what = (f"正常访问《{i['normal'].get('title', '')}》{i['normal'].get('url', '')}；"
                    f"搜索引擎访问《{i['variant'].get('title', '')}》{i['variant'].get('url', '')}（{i.get('why', '')}）")
        elif "script" in i:
            what = f"脚本：{i['script']}"
        else:
            what = f"《{i.get('title', '')}》{i.get('where', '')}含{'、'.join(i.get('terms', []))}"
        lines.append(f"{i.get('page', '')} {what}".strip())
    return mask_personal_data("\n".join(lines))


def verification_rows(findings: list[dict], sites: dict[str, dict]) -> list[VerifyRow]:
    """Open and confirmed content-safety findings, in site order."""
    rows = []
    for f in findings:
        if f["indicator"] not in SAFETY_CODES or f.get("review") == "dismissed":
            continue
        s = sites.get(f["site_code"], {})
        rows.append(VerifyRow(f["site_code"], s.get("name") or "", s.get("unit") or "", f["indicator"],
                              phrase(f["indicator"]), mask_personal_data(f["detail"] or ""), f["evidence_url"] or "",
                              evidence=evidence_text(f["evidence"]), decision=f.get("review") or "open",
                              note=f.get("review_note") or ""))
    return rows


def verification_tables(rows: list[VerifyRow]) -> list[Table]:
    """需人工核实: every open finding with its evidence; then the confirmed ones with their confirmation."""
    out = []
    pending = [r for r in rows if r.decision != "confirmed"]
    confirmed = [r for r in rows if r.decision == "confirmed"]
    if pending:
        out.append(Table("verify", "需人工核实（安全、泄密事故等严重问题，确认前不计入合格率）",
                         ["网站标识码", "网站名称", "单位", "问题", "详情", "证据"],
                         [[r.site_code, r.name, r.unit, r.indicator, r.detail, r.evidence] for r in pending],
                         "由检查人员核实后以 govcrawl review confirm|dismiss 确认或排除；确认的问题列入附件2。"))
    if confirmed:
        out.append(Table("confirmed", "经人工核实确认的安全、泄密事故等严重问题（已列入附件2）",
                         ["网站标识码", "网站名称", "单位", "问题", "核实情况", "证据"],
                         [[r.site_code, r.name, r.unit, r.problem, r.note, r.evidence] for r in confirmed]))
    return out


def mask_report(value):
    """Every string of a report (dataclasses, lists, dicts) with personal data masked: the last guard before a
    writer, whatever a crawled title or detail holds."""
    return map_strings(value, mask_personal_data)
    if isinstance(value, list):
        return [mask_report(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_report(v) for k, v in value.items()}
    return value
