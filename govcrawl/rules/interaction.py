"""Interaction rules: no_consultation_channel and letters_unanswered (docs/indicators.md, "Website single-veto codes").

A letter marked answered but with no reply date (佳木斯 shows an empty 处理时间 on answered letters) is treated as
answered at an unknown date: it never counts as unanswered, and it is listed in the evidence.
A letter with neither a status nor a reply date is undetermined and also only listed.

A consultation channel satisfies no_consultation_channel only when its page answered with content (working True), on
whatever host it lives. One seen not to work (an HTTP error or no answer after retries, 维护中, no letters and no way
to write) does not; one that could not be checked (not visited, letters filled by a script that did not run) does
not either, and when no channel works and some could not be checked the indicator is UNDECIDED. "No channel at all"
needs a homepage that was read.
"""
from __future__ import annotations

from datetime import date

from govcrawl.rules.base import (
    FAIL, NOT_APPLICABLE, PASS, UNDECIDED, UNKNOWN, Outcome, iso, listed, months_after, months_before,
)
from govcrawl.rules.facts import LetterFact, SiteFacts
from govcrawl.rules.settings import RuleSettings

KIND_NAMES = {"consultation": "咨询建言", "petition": "网上信访", "report": "纪检举报"}


def no_consultation_channel(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    consultation = [c for c in facts.channels if c.kind == "consultation"]
    working = [c for c in consultation if c.working is True]
    unchecked = [c for c in consultation if c.working is None]
    evidence = {"channels": [{"name": c.name, "url": c.url, "kind": c.kind, "offsite": c.offsite,
                              "working": c.working, "note": c.note} for c in facts.channels]}
    if working:
        return Outcome(PASS, f"提供咨询建言渠道：{listed([c.name for c in working], 8)}", working[0].url, evidence)
    if unchecked:
        names = listed([f"{c.name}（{c.note or '未核验'}）" for c in unchecked], 8)
        return Outcome(UNDECIDED, f"咨询建言渠道未能核验是否可用：{names}", unchecked[0].url, evidence)
    if not consultation and facts.homepage_unread:
        return Outcome(UNDECIDED, f"未发现咨询建言渠道，但{facts.homepage_unread}", facts.homepage_url, evidence)
    dead = [f"{c.name}（{c.note or '无法使用'}）" for c in consultation]
    others = [f"{c.name}（{KIND_NAMES.get(c.kind, c.kind)}）" for c in facts.channels if c.kind != "consultation"]
    found = "；".join(part for part in (
        f"咨询渠道不可用：{listed(dead, 8)}" if dead else "",
        f"仅有专门渠道：{listed(others, 8)}" if others else "") if part)
    where = consultation[0].url if consultation else facts.homepage_url
    return Outcome(FAIL, "未提供网上有效咨询建言渠道" + (f"（{found}）" if found else "（网站未发现领导信箱、咨询、留言、建言等渠道）"),
                   where, evidence)


def _letter_row(letter: LetterFact, verdict: str) -> dict:
    return {"title": letter.title, "url": letter.url, "asked_on": iso(letter.asked_on),
            "answered_on": iso(letter.answered_on), "status": letter.status, "channel": letter.channel,
            "verdict": verdict}


def judge_letter(letter: LetterFact, as_of: date, s: RuleSettings) -> str:
    """late | overdue | timely | pending | answered-undated | undetermined (for a letter asked inside the window)."""
    deadline = months_after(letter.asked_on, s.letters_reply_months)
    replied = letter.answered_on is not None and letter.answered_on <= as_of
    if replied:
        return "late" if letter.answered_on > deadline else "timely"
    if letter.answered_on is None and letter.status == "answered":
        return "answered-undated"
    if letter.answered_on is None and letter.status is None:
        return "undetermined"
    # Unanswered at T (pending, or replied only after T).
    return "overdue" if letter.asked_on < months_before(as_of, s.letters_reply_months) else "pending"


def letters_unanswered(facts: SiteFacts, as_of: date, s: RuleSettings) -> Outcome:
    start = months_before(as_of, s.letters_window_months)
    consultation = [x for x in facts.letters if x.kind == "consultation"]
    in_window = sorted((x for x in consultation if x.asked_on and start <= x.asked_on <= as_of),
                       key=lambda x: x.asked_on)
    judged = [(x, judge_letter(x, as_of, s)) for x in in_window]
    bad = [(x, v) for x, v in judged if v in ("late", "overdue")]
    evidence = {"window_start": iso(start), "letters": len(consultation), "in_window": len(in_window),
                "undated": sum(1 for x in consultation if not x.asked_on),
                "failing": [_letter_row(x, v) for x, v in bad],
                "answered_undated": [_letter_row(x, v) for x, v in judged if v == "answered-undated"],
                "undetermined": [_letter_row(x, v) for x, v in judged if v == "undetermined"]}
    if bad:
        parts = [f"《{x.title}》来信{iso(x.asked_on)}，" + (f"{iso(x.answered_on)}答复" if v == "late" else "至今未答复")
                 for x, v in bad]
        return Outcome(FAIL, f"互动回应不及时，监测时间点前1年内，对公众信件存在超过三个月未回应的现象"
                             f"（共{len(bad)}封：{listed(parts, 10)}）", bad[0][0].url, evidence)
    if in_window:
        undated = len(evidence["answered_undated"]) + len(evidence["undetermined"])
        note = f"（其中{undated}封答复日期不明）" if undated else ""
        return Outcome(PASS, f"监测时间点前1年内公开信件{len(in_window)}封{note}，无超过{s.letters_reply_months}个月未回应的信件",
                       in_window[-1].url, evidence)
    if consultation:
        return Outcome(PASS, "监测时间点前1年内无公开的网民信件", consultation[0].url, evidence)
    if any(c.kind == "consultation" for c in facts.channels):
        return Outcome(UNKNOWN, "咨询渠道未公开信件列表，无法判断答复情况", facts.homepage_url, evidence)
    return Outcome(NOT_APPLICABLE, "网站无咨询类栏目", facts.homepage_url, evidence)
