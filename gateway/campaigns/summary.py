"""The build's summary: how many customers each eligibility step kept, by segment and grade."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from gateway.campaigns.assess import STEPS, Plan

LISTED = "listed"


def summarise(
    plan: Plan,
    assessed: Iterable[Mapping[str, Any]],
    listed: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    """Counts from the job's two small aggregates.

    Args:
        plan: the campaign.
        assessed: rows of ``excluded_at, segment, grade, count`` (customers).
        listed: rows of ``scenario, partner, count`` (contacts in the list).

    Returns:
        ``steps`` (customers left after each step, in order), ``excluded``
        per step, ``by_segment`` and ``by_grade`` (profiles and eligible
        customers) and ``contacts`` per scenario and partner.
    """
    excluded: Counter[str] = Counter()
    total = 0
    by_segment: dict[str, Counter[str]] = {}
    by_grade: dict[str, Counter[str]] = {}
    for row in assessed:
        count = int(row["count"])
        total += count
        step = row["excluded_at"] or LISTED
        excluded[step] += count
        for table, key in ((by_segment, row["segment"]), (by_grade, row["grade"] or "none")):
            cell = table.setdefault(str(key), Counter())
            cell["profiles"] += count
            cell["eligible"] += count if step == LISTED else 0
    left = total
    steps = [{"step": "profiles", "customers": total}]
    for step in STEPS:
        left -= excluded[step]
        steps.append({"step": step, "customers": left})
    contacts = sorted(
        (
            {"scenario": r["scenario"], "partner": r["partner"], "contacts": int(r["count"])}
            for r in listed
        ),
        key=lambda r: (r["scenario"], r["partner"]),
    )
    return {
        "campaign_id": plan.campaign_id,
        "model_version": plan.artefact["version"],
        "built_at": plan.built_at.isoformat(),
        "expires_at": plan.expires_at.isoformat(),
        "steps": steps,
        "excluded": {step: excluded[step] for step in STEPS},
        "eligible_customers": excluded[LISTED],
        "contacts": contacts,
        "by_segment": {k: dict(v) for k, v in sorted(by_segment.items())},
        "by_grade": {k: dict(v) for k, v in sorted(by_grade.items())},
    }
