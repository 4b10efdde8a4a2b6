"""The mix: approval rate, decline reasons and mean PD by partner, scenario, segment, week."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from gateway.monitoring.sample import Decision

APPROVED = ("approved", "partially_approved")


def _summary(group: Sequence[Decision]) -> dict[str, Any]:
    approved = sum(d.status in APPROVED for d in group)
    pds = [d.pd for d in group if d.pd is not None]
    declines = Counter(code for d in group if d.status == "declined" for code in d.reasons)
    return {
        "decisions": len(group),
        "approval_rate": round(approved / len(group), 4) if group else 0.0,
        "referral_rate": round(sum(d.status == "referred" for d in group) / len(group), 4)
        if group
        else 0.0,
        "mean_pd": round(sum(pds) / len(pds), 6) if pds else None,
        "decline_reasons": dict(declines.most_common(5)),
    }


def _by(decisions: Sequence[Decision], key: Callable[[Decision], str]) -> dict[str, Any]:
    groups: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        groups[key(decision)].append(decision)
    return {name: _summary(groups[name]) for name in sorted(groups)}


def _week(moment: dt.datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def mix(decisions: Sequence[Decision]) -> dict[str, Any]:
    """Overall, per partner, per scenario, per segment, new to bank, and per ISO week."""
    return {
        "overall": _summary(decisions),
        "partners": _by(decisions, lambda d: d.partner_id),
        "scenarios": _by(decisions, lambda d: d.scenario_type),
        "segments": _by(decisions, lambda d: d.segment or "unknown"),
        "new_to_bank": _by(
            decisions, lambda d: "new_to_bank" if d.new_to_bank else "bank_customer"
        ),
        "weeks": _by(decisions, lambda d: _week(d.created_at)),
    }
