"""At checkout: a customer on a loaded campaign list is pre-approved, within fresh checks.

:func:`pre_approval` is the one call the prequalification draft makes: it
finds the customer's unexpired entry for this partner's product (one indexed
query) and, when the fresh decision offers credit, honours the campaign's
limit as far as the fresh affordability allows (it can only lower it). The
fresh knock-outs, cut-off and referral rules have already run: a customer
they decline or refer is not pre-approved, whatever the list said.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from gateway.campaigns.models import CampaignDecision, CampaignEntry
from gateway.db import table_of
from gateway.prequal.affordability import LENDING_UNIT
from gateway.prequal.policy import PolicyDecision

OFFERING = ("approved", "partially_approved")
_entries = table_of(CampaignEntry)
_decisions = table_of(CampaignDecision)
_ENTRY = (
    select(
        _entries.c.campaign_id,
        _entries.c.limit_amount,
        _entries.c.segment,
        _entries.c.grade,
    )
    .where(
        _entries.c.customer_ref == bindparam("ref"),
        _entries.c.partner_id == bindparam("partner_id"),
        _entries.c.environment == bindparam("environment"),
        _entries.c.product_code == bindparam("product_code"),
        _entries.c.expires_at > bindparam("now"),
    )
    .order_by(_entries.c.limit_amount.desc(), _entries.c.issued_at.desc())
    .limit(1)
)


@dataclass(frozen=True)
class PreApproval:
    """A campaign's pre-approval as honoured by one decision."""

    campaign_id: str
    campaign_limit: Decimal
    limit: Decimal
    segment: str
    grade: str


def pre_approval(
    session: Session,
    *,
    customer_ref: str,
    partner_id: str,
    environment: str,
    product_code: str,
    now: dt.datetime,
    decision: PolicyDecision,
    headroom: Decimal | None = None,
) -> PreApproval | None:
    """The campaign pre-approval this decision honours, if any.

    Args:
        headroom: what the exposure cap leaves today (``None``: not checked).

    Returns:
        ``None`` when the customer is on no unexpired list for this product,
        or the fresh decision offers nothing; else the campaign's limit and
        the limit honoured: the lowest of it, the fresh affordability and
        the exposure headroom, in lending units.
    """
    if decision.status not in OFFERING:
        return None
    # On the session's connection: cheaper than through the session, on every offer.
    row = (
        session.connection()
        .execute(
            _ENTRY,
            {
                "ref": customer_ref,
                "partner_id": partner_id,
                "environment": environment,
                "product_code": product_code,
                "now": now,
            },
        )
        .first()
    )
    if row is None:
        return None
    fresh = max(decision.max_principal_by_tenor.values(), default=Decimal("0.00"))
    limit = min(row.limit_amount, fresh)
    if headroom is not None and headroom < limit:
        units = (headroom / LENDING_UNIT).to_integral_value(rounding=ROUND_DOWN)
        limit = (units * LENDING_UNIT).quantize(Decimal("0.01"))
    return PreApproval(
        campaign_id=row.campaign_id,
        campaign_limit=row.limit_amount,
        limit=limit,
        segment=row.segment,
        grade=row.grade,
    )


def record(session: Session, pq: dict[str, Any], honoured: PreApproval) -> None:
    """Attribute the stored decision ``pq`` to its campaign (the funnel reads this)."""
    session.execute(
        insert(_decisions),
        {
            "prequalification_id": pq["id"],
            "campaign_id": honoured.campaign_id,
            "partner_id": pq["partner_id"],
            "environment": pq["environment"],
            "customer_ref": pq["customer_ref"],
            "segment": honoured.segment,
            "grade": honoured.grade,
            "campaign_limit": honoured.campaign_limit,
            "honoured_limit": honoured.limit,
            "decided_at": pq["created_at"],
        },
    )


def honoured_for(session: Session, prequalification_id: str) -> PreApproval | None:
    """The pre-approval a stored decision honoured (for reading the decision back)."""
    row = session.get(CampaignDecision, prequalification_id)
    if row is None:
        return None
    return PreApproval(
        row.campaign_id, row.campaign_limit, row.honoured_limit, row.segment, row.grade
    )


def view(honoured: PreApproval | None) -> dict[str, Any]:
    """The decision's pre-approval fields on the wire."""
    if honoured is None:
        return {"pre_approved": False, "campaign_id": None, "pre_approved_limit": None}
    return {
        "pre_approved": True,
        "campaign_id": honoured.campaign_id,
        "pre_approved_limit": f"{honoured.limit:.2f}",
    }
