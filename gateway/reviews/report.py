"""Review counts for the funnel report: referrals, customer requests and what came of them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.prequal.models import Prequalification
from gateway.reviews.models import PENDING, ReviewCase

COLUMNS = ("referred", "review_requests", "approved", "upheld", "withdrawn", "pending")


def review_counts(
    session: Session,
    *,
    since: dt.datetime,
    until: dt.datetime,
    partner_id: str | None = None,
    environment: str | None = None,
) -> list[dict[str, Any]]:
    """Per partner, for decisions made in ``[since, until)``: referred decisions,
    customer requests for review, and the reviews' outcomes so far.

    Returns:
        One row per partner with any, by partner id: ``partner`` and :data:`COLUMNS`.
    """
    query = (
        select(
            Prequalification.partner_id,
            Prequalification.status,
            ReviewCase.kind,
            ReviewCase.status,
            ReviewCase.outcome,
        )
        .outerjoin(ReviewCase, ReviewCase.prequalification_id == Prequalification.id)
        .where(
            Prequalification.created_at >= since,
            Prequalification.created_at < until,
            (Prequalification.status == "referred") | ReviewCase.id.is_not(None),
        )
    )
    if partner_id is not None:
        query = query.where(Prequalification.partner_id == partner_id)
    if environment is not None:
        query = query.where(Prequalification.environment == environment)
    rows: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for partner, decision, kind, status, outcome in session.execute(query):
        row = rows[partner]
        row["referred"] += decision == "referred"
        row["review_requests"] += kind == "customer_request"
        if status in PENDING:
            row["pending"] += 1
        elif status == "withdrawn":
            row["withdrawn"] += 1
        elif outcome in ("approved", "upheld"):
            row[outcome] += 1
    return [{"partner": partner, **counts} for partner, counts in sorted(rows.items())]
