"""A loan's servicing state, replayed from its events (pure; no database).

Events are applied in time order (ties by event id), so the feed may send them
late or out of order and the state still comes out the same. Rules:

- ``repayment`` pays an instalment and brings the loan current (the core
  system sends ``days_past_due`` when a loan stays in arrears after paying);
- ``missed_payment`` makes a current loan 1 day past due;
- ``days_past_due`` sets the days past due as the core system counts them;
- ``prepayment`` adds to the amount paid, nothing else;
- ``payoff`` closes the loan as ``paid_off``; ``charge_off`` as ``charged_off``
  (and counts as reaching 60+ days past due, if it had not already);
- after a loan is closed, later events are stored but change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

EVENT_TYPES = (
    "repayment",
    "missed_payment",
    "days_past_due",
    "prepayment",
    "payoff",
    "charge_off",
)
STATES = (
    "current",
    "dpd_1_30",
    "dpd_31_60",
    "dpd_61_90",
    "dpd_90_plus",
    "charged_off",
    "paid_off",
)
BAD_DAYS_PAST_DUE = 60


@dataclass(frozen=True)
class EventFacts:
    """What the replay reads of one event."""

    id: str
    type: str
    occurred_at: dt.datetime
    instalment: int | None = None
    amount: Decimal | None = None
    days_past_due: int | None = None


@dataclass
class Servicing:
    """The replayed state of one loan."""

    state: str = "current"
    days_past_due: int = 0
    max_days_past_due: int = 0
    first_60_at: dt.datetime | None = None
    paid_instalments: int = 0
    paid_amount: Decimal = Decimal("0.00")
    closed_at: dt.datetime | None = None
    last_event_at: dt.datetime | None = None
    _paid: set[int] = field(default_factory=set, repr=False)


def state_for(days_past_due: int) -> str:
    """The arrears bucket of an open loan."""
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "dpd_1_30"
    if days_past_due <= 60:
        return "dpd_31_60"
    if days_past_due <= 90:
        return "dpd_61_90"
    return "dpd_90_plus"


def replay(events: Iterable[EventFacts]) -> Servicing:
    """Apply ``events`` in time order and return the loan's state."""
    loan = Servicing()
    for event in sorted(events, key=lambda e: (e.occurred_at, e.id)):
        loan.last_event_at = event.occurred_at
        if loan.closed_at is not None:
            continue
        _apply(loan, event)
        loan.max_days_past_due = max(loan.max_days_past_due, loan.days_past_due)
        if loan.days_past_due >= BAD_DAYS_PAST_DUE and loan.first_60_at is None:
            loan.first_60_at = event.occurred_at
        if loan.closed_at is None:
            loan.state = state_for(loan.days_past_due)
    loan.paid_instalments = len(loan._paid)
    return loan


def _apply(loan: Servicing, event: EventFacts) -> None:
    amount = event.amount or Decimal("0.00")
    if event.type == "repayment":
        if event.instalment is not None:
            loan._paid.add(event.instalment)
        loan.paid_amount += amount
        loan.days_past_due = 0
    elif event.type == "missed_payment":
        loan.days_past_due = max(loan.days_past_due, 1)
    elif event.type == "days_past_due":
        loan.days_past_due = int(event.days_past_due or 0)
    elif event.type == "prepayment":
        loan.paid_amount += amount
    elif event.type == "payoff":
        loan.paid_amount += amount
        loan.days_past_due = 0
        loan.state, loan.closed_at = "paid_off", event.occurred_at
    elif event.type == "charge_off":
        loan.state, loan.closed_at = "charged_off", event.occurred_at
        if loan.first_60_at is None:
            loan.first_60_at = event.occurred_at
