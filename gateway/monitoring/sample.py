"""Read the decisions (and their loans' outcomes) a report is computed over.

Storage only: rows come out as plain values; the figures are computed by the
pure modules. Decisions of sandbox personas (forced outcomes, no model) are
never read; new-to-bank decisions are kept but marked, because the
development sample holds bank customers only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.outcomes.models import LoanServicing
from gateway.prequal.models import Prequalification


@dataclass(frozen=True)
class Decision:
    """One model decision as monitoring sees it."""

    id: str
    partner_id: str
    environment: str
    scenario_type: str
    segment: str | None
    status: str
    score: int | None
    pd: float | None
    score_band: str | None
    model_version: str
    new_to_bank: bool
    features: dict[str, Any] | None
    reasons: tuple[str, ...]
    shadow_model_version: str | None
    shadow_score: int | None
    shadow_pd: float | None
    created_at: dt.datetime


@dataclass(frozen=True)
class Loan:
    """A funded loan's outcome joined to the decision it came from."""

    decision: Decision
    funded_at: dt.datetime
    first_60_at: dt.datetime | None
    state: str


_COLUMNS = (
    Prequalification.id,
    Prequalification.partner_id,
    Prequalification.environment,
    Prequalification.scenario_type,
    Prequalification.segment,
    Prequalification.status,
    Prequalification.score,
    Prequalification.pd,
    Prequalification.score_band,
    Prequalification.model_version,
    Prequalification.new_to_bank,
    Prequalification.features,
    Prequalification.reasons,
    Prequalification.shadow_model_version,
    Prequalification.shadow_score,
    Prequalification.shadow_pd,
    Prequalification.created_at,
)


def _decision(row: Sequence[Any]) -> Decision:
    values = list(row)
    values[12] = tuple(r["code"] for r in values[12] or ())
    return Decision(*values)


def _filters(
    since: dt.datetime, until: dt.datetime | None, partner: str | None, environment: str | None
) -> list[Any]:
    conditions: list[Any] = [
        Prequalification.created_at >= since,
        Prequalification.sandbox_persona.is_(None),
        Prequalification.features.is_not(None),
    ]
    if until is not None:
        conditions.append(Prequalification.created_at < until)
    if partner is not None:
        conditions.append(Prequalification.partner_id == partner)
    if environment is not None:
        conditions.append(Prequalification.environment == environment)
    return conditions


def decisions(
    session: Session,
    *,
    since: dt.datetime,
    until: dt.datetime | None = None,
    partner: str | None = None,
    environment: str | None = None,
) -> list[Decision]:
    """Model decisions made in ``[since, until)``, oldest first."""
    query = (
        select(*_COLUMNS)
        .where(*_filters(since, until, partner, environment))
        .order_by(Prequalification.created_at, Prequalification.id)
    )
    return [_decision(row) for row in session.execute(query)]


def loans(
    session: Session,
    *,
    since: dt.datetime,
    partner: str | None = None,
    environment: str | None = None,
) -> list[Loan]:
    """Funded loans with an outcome record, of decisions made since ``since``."""
    query = (
        select(*_COLUMNS, LoanServicing.funded_at, LoanServicing.first_60_at, LoanServicing.state)
        .join(LoanServicing, LoanServicing.prequalification_id == Prequalification.id)
        .where(*_filters(since, None, partner, environment))
        .order_by(LoanServicing.funded_at, LoanServicing.application_id)
    )
    found = []
    for row in session.execute(query):
        values = list(row)
        found.append(Loan(_decision(values[:17]), values[17], values[18], values[19]))
    return found
