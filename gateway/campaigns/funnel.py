"""Funnel attribution per campaign: contacts → checkouts → loans, by segment and grade.

A contact is a loaded list entry; a checkout is a prequalification that
honoured the campaign's pre-approval (:class:`~gateway.campaigns.models.CampaignDecision`);
from there an accepted offer is an application and a loan is a funded one.
Conversions are from the contacts (the campaign's yield) and from the
checkouts (how the pre-approved convert once they are at the checkout).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.campaigns.models import CampaignDecision, CampaignEntry
from gateway.funnel.stats import rate

STEPS = ("contacted", "checkout", "accepted", "funded")


def _steps(counts: Counter[str]) -> dict[str, Any]:
    out: dict[str, Any] = {step: counts[step] for step in STEPS}
    out["conversion"] = {
        "checkout_per_contact": round(rate(counts["checkout"], counts["contacted"]), 4),
        "loan_per_contact": round(rate(counts["funded"], counts["contacted"]), 4),
        "loan_per_checkout": round(rate(counts["funded"], counts["checkout"]), 4),
    }
    return out


def campaign_funnel(
    session: Session,
    *,
    since: dt.datetime,
    until: dt.datetime,
    partner_id: str | None = None,
    environment: str | None = None,
) -> list[dict[str, Any]]:
    """Each campaign's funnel, overall and by segment and grade.

    Contacts are the campaign's entries (whenever issued); checkouts are
    its decisions made in ``[since, until)``.
    """
    cells: dict[tuple[str, str, str], Counter[str]] = {}
    entries = select(
        CampaignEntry.campaign_id, CampaignEntry.segment, CampaignEntry.grade, func.count()
    ).group_by(CampaignEntry.campaign_id, CampaignEntry.segment, CampaignEntry.grade)
    decisions = (
        select(
            CampaignDecision.campaign_id,
            CampaignDecision.segment,
            CampaignDecision.grade,
            Application.id,
            Application.funded_at,
        )
        .outerjoin(
            Application, Application.prequalification_id == CampaignDecision.prequalification_id
        )
        .where(CampaignDecision.decided_at >= since, CampaignDecision.decided_at < until)
    )
    if partner_id is not None:
        entries = entries.where(CampaignEntry.partner_id == partner_id)
        decisions = decisions.where(CampaignDecision.partner_id == partner_id)
    if environment is not None:
        entries = entries.where(CampaignEntry.environment == environment)
        decisions = decisions.where(CampaignDecision.environment == environment)
    for campaign, segment, grade, count in session.execute(entries):
        cells.setdefault((campaign, segment, grade), Counter())["contacted"] += int(count)
    for campaign, segment, grade, application, funded_at in session.execute(decisions):
        cell = cells.setdefault((campaign, segment, grade), Counter())
        cell["checkout"] += 1
        cell["accepted"] += application is not None
        cell["funded"] += funded_at is not None
    report = []
    for campaign in sorted({key[0] for key in cells}):
        mine = {key: c for key, c in cells.items() if key[0] == campaign}
        by: dict[str, dict[str, Counter[str]]] = {"segment": {}, "grade": {}}
        total: Counter[str] = Counter()
        for (_, segment, grade), counts in mine.items():
            total.update(counts)
            by["segment"].setdefault(segment, Counter()).update(counts)
            by["grade"].setdefault(grade, Counter()).update(counts)
        report.append(
            {
                "campaign_id": campaign,
                **_steps(total),
                "by": {
                    dimension: [{"key": k, **_steps(v)} for k, v in sorted(groups.items())]
                    for dimension, groups in by.items()
                },
            }
        )
    return report
