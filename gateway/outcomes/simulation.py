"""``gateway outcomes simulate``: repayment behaviour for sandbox loans, from the true process.

A sandbox customer with no stored profile *is* a draw of the synthetic
population's documented process (:mod:`gateway.profiles.synthetic`), so its
true 12-month default probability is known. Each funded sandbox loan defaults
with that probability — never with the model's own PD, or the calibration
check would only measure itself. A defaulting loan misses an instalment in a
month drawn uniformly from the first ``min(tenor, 10)`` (so it reaches 60 days
past due inside the 12-month performance window), then goes 30, 60 and 90
days past due and is charged off at 180. Other loans pay each instalment on or
a few days after its due date (one in twenty misses it first and cures within
three weeks) and pay off at the end. Only events up to ``as_of`` are sent.
The draws are seeded by the application id: running it again sends the same
event ids, which are recorded once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.outcomes.events import LoanEventIn
from gateway.outcomes.services import record_events
from gateway.profiles.models import CustomerProfile
from gateway.profiles.synthetic import sandbox_true_default_probability

DEFAULT_MONTH_LIMIT = 10
CURED_MISS_SHARE = 0.05
_BATCH_LOANS = 200


@dataclass(frozen=True)
class LoanTerms:
    """What the simulation needs of a funded loan."""

    application_id: str
    funded_at: dt.datetime
    due_dates: tuple[dt.date, ...]
    payments: tuple[Decimal, ...]


@dataclass(frozen=True)
class SimulationSummary:
    """Loans simulated, skipped (no known true PD), events recorded and already known."""

    loans: int
    skipped: int
    recorded: int
    duplicates: int
    defaulted: int


def _rng(application_id: str, seed: int) -> np.random.Generator:
    digest = hashlib.sha256(f"{seed}:{application_id}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _at(day: dt.date, days: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC) + dt.timedelta(days=days)


def simulate_loan(
    terms: LoanTerms, p_default: float, as_of: dt.datetime, seed: int = 0
) -> tuple[list[LoanEventIn], bool]:
    """The events of one loan up to ``as_of``, and whether it defaults.

    Args:
        terms: the loan's schedule.
        p_default: its true 12-month default probability.
        as_of: events after this moment are not sent (not happened yet).
        seed: varies the draws; the same seed gives the same events.
    """
    rng = _rng(terms.application_id, seed)
    defaults = bool(rng.random() < p_default)
    tenor = len(terms.due_dates)
    default_month = int(rng.integers(1, min(tenor, DEFAULT_MONTH_LIMIT) + 1)) if defaults else 0
    events: list[LoanEventIn] = []

    def add(kind: str, when: dt.datetime, **fields: object) -> None:
        event_id = f"sim_{terms.application_id}_{len(events) + 1:03d}"
        events.append(LoanEventIn(event_id, terms.application_id, kind, when, **fields))  # type: ignore[arg-type]

    for number, (due, payment) in enumerate(zip(terms.due_dates, terms.payments, strict=True), 1):
        if number == default_month:
            add("missed_payment", _at(due, 1), instalment=number)
            for days in (30, 60, 90):
                add("days_past_due", _at(due, days), days_past_due=days)
            add("charge_off", _at(due, 180))
            break
        if rng.random() < CURED_MISS_SHARE:
            add("missed_payment", _at(due, 1), instalment=number)
            paid = _at(due, int(rng.integers(5, 22)))
        else:
            paid = _at(due, int(rng.integers(0, 4)))
        add("repayment", paid, instalment=number, amount=payment)
        if number == tenor:
            add("payoff", paid)
    return [e for e in events if e.occurred_at <= as_of], defaults


def _terms(application: Application) -> LoanTerms:
    rows = application.schedule or []
    return LoanTerms(
        application.id,
        application.funded_at or application.created_at,
        tuple(dt.date.fromisoformat(str(r["due_date"])) for r in rows),
        tuple(Decimal(str(r["payment"])) for r in rows),
    )


def simulate(
    session: Session, *, since: dt.datetime, as_of: dt.datetime, seed: int = 0
) -> SimulationSummary:
    """Send simulated events for every sandbox loan funded since ``since``.

    Loans of customers with a stored profile are skipped: their true default
    probability is not known. The caller commits.
    """
    applications = session.scalars(
        select(Application)
        .where(
            Application.environment == "sandbox",
            Application.funded_at.is_not(None),
            Application.funded_at >= since,
        )
        .order_by(Application.funded_at, Application.id)
    ).all()
    refs = sorted({a.customer_ref for a in applications})
    stored: set[str] = set()
    for start in range(0, len(refs), 500):
        stored.update(
            session.scalars(
                select(CustomerProfile.customer_ref).where(
                    CustomerProfile.customer_ref.in_(refs[start : start + 500])
                )
            )
        )
    known = [a for a in applications if a.customer_ref not in stored and a.schedule]
    recorded = duplicates = defaulted = 0
    for start in range(0, len(known), _BATCH_LOANS):
        batch: list[LoanEventIn] = []
        for application in known[start : start + _BATCH_LOANS]:
            p_true = sandbox_true_default_probability(application.customer_ref)
            events, defaults = simulate_loan(_terms(application), p_true, as_of, seed)
            batch.extend(events)
            defaulted += defaults
        if batch:
            result = record_events(session, batch, source="simulation")
            recorded += result.recorded
            duplicates += result.duplicates
    return SimulationSummary(
        len(known), len(applications) - len(known), recorded, duplicates, defaulted
    )


__all__: Sequence[str] = ("LoanTerms", "SimulationSummary", "simulate", "simulate_loan")
