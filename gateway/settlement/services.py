"""Compute a day's settlement per partner and environment, one line per application.

For a UTC calendar day ``D`` and a partner in one environment, every
application with money movement that day gets a line:

- ``funded_amount``: the principal disbursed on the partner's behalf, if the
  application was funded on ``D`` (else ``0.00``);
- ``refunded_amount``: the refunds the partner recorded on ``D``;
- ``merchant_subsidy``: what the merchant owes the bank for an interest-free
  plan funded on ``D`` (merchant rate × principal, fixed at funding and not
  returned by later refunds);
- ``net``: ``funded - refunded - merchant_subsidy``, what the bank pays the
  partner for that application (negative: the partner pays the bank).

Totals are the sums of the lines, in ``Decimal`` to the fen, so they
reconcile with funded minus refunded exactly. Three statements whatever the
number of applications.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application, Refund
from gateway.offers.models import Offer

ZERO = Decimal("0.00")


@dataclass
class Line:
    """One application's money on the day."""

    application_id: str
    prequalification_id: str
    currency: str
    funded_amount: Decimal = ZERO
    refunded_amount: Decimal = ZERO
    merchant_subsidy: Decimal = ZERO
    funded_at: dt.datetime | None = None

    @property
    def net(self) -> Decimal:
        """What the bank pays the partner for this application on the day."""
        return self.funded_amount - self.refunded_amount - self.merchant_subsidy


@dataclass
class Settlement:
    """A partner's day in one environment."""

    date: dt.date
    partner_id: str
    environment: str
    currency: str = "CNY"
    lines: list[Line] = field(default_factory=list)

    def total(self, name: str) -> Decimal:
        """The sum of one column over the lines (``net`` included)."""
        return sum((getattr(line, name) for line in self.lines), ZERO)

    @property
    def totals(self) -> dict[str, Decimal | int]:
        """Funded, refunded, merchant subsidy and net, and the number of lines."""
        return {
            "applications": len(self.lines),
            "funded_amount": self.total("funded_amount"),
            "refunded_amount": self.total("refunded_amount"),
            "merchant_subsidy": self.total("merchant_subsidy"),
            "net": self.total("net"),
        }


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[00:00, next 00:00)`` of a UTC calendar day."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=1)


def settle(
    session: Session,
    day: dt.date,
    *,
    partner_id: str | None = None,
    environment: str | None = None,
) -> list[Settlement]:
    """The settlements of ``day``, one per partner and environment with movement.

    Args:
        session: a session (read only).
        day: the UTC calendar day.
        partner_id: only this partner (the API passes the caller's).
        environment: only this environment.

    Returns:
        Settlements ordered by partner and environment, lines by application id.
    """
    start, end = day_bounds(day)
    tenant = []
    if partner_id is not None:
        tenant.append(Application.partner_id == partner_id)
    if environment is not None:
        tenant.append(Application.environment == environment)
    lines: dict[str, Line] = {}
    owners: dict[str, tuple[str, str]] = {}
    funded = session.execute(
        select(Application, Offer.merchant_subsidy)
        .join(Offer, Offer.id == Application.offer_id)
        .where(Application.funded_at >= start, Application.funded_at < end, *tenant)
    )
    for app, subsidy in funded:
        line = _line(lines, owners, app)
        line.funded_amount = app.funded_amount or ZERO
        line.merchant_subsidy = subsidy or ZERO
        line.funded_at = app.funded_at
    refunds = session.execute(
        select(Application, Refund.amount)
        .join(Refund, Refund.application_id == Application.id)
        .where(Refund.created_at >= start, Refund.created_at < end, *tenant)
    )
    for app, amount in refunds:
        _line(lines, owners, app).refunded_amount += amount
    grouped: dict[tuple[str, str], Settlement] = {}
    for app_id in sorted(lines):
        key = owners[app_id]
        if key not in grouped:
            grouped[key] = Settlement(date=day, partner_id=key[0], environment=key[1])
        grouped[key].lines.append(lines[app_id])
    return [grouped[key] for key in sorted(grouped)]


def _line(lines: dict[str, Line], owners: dict[str, tuple[str, str]], app: Application) -> Line:
    if app.id not in lines:
        lines[app.id] = Line(app.id, app.prequalification_id, app.currency)
        owners[app.id] = (app.partner_id, app.environment)
    return lines[app.id]


def for_tenant(session: Session, day: dt.date, partner_id: str, environment: str) -> Settlement:
    """One tenant's settlement of ``day`` (empty lines when nothing moved)."""
    found = settle(session, day, partner_id=partner_id, environment=environment)
    return (
        found[0] if found else Settlement(date=day, partner_id=partner_id, environment=environment)
    )


def settlement_view(settlement: Settlement) -> dict[str, object]:
    """A settlement as the API and ``--json`` show it (money as two-place strings)."""
    totals = settlement.totals
    return {
        "object": "settlement",
        "date": settlement.date.isoformat(),
        "partner_id": settlement.partner_id,
        "environment": settlement.environment,
        "currency": settlement.currency,
        "totals": {k: v if isinstance(v, int) else f"{v:.2f}" for k, v in totals.items()},
        "lines": [
            {
                "application_id": line.application_id,
                "prequalification_id": line.prequalification_id,
                "currency": line.currency,
                "funded_at": line.funded_at,
                "funded_amount": f"{line.funded_amount:.2f}",
                "refunded_amount": f"{line.refunded_amount:.2f}",
                "merchant_subsidy": f"{line.merchant_subsidy:.2f}",
                "net": f"{line.net:.2f}",
            }
            for line in settlement.lines
        ],
    }
