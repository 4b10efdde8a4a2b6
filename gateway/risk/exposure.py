"""A customer's exposure across partners, and the lock that keeps the cap.

Exposure = outstanding principal of funded loans + the principal of
applications accepted but not yet funded (``submitted``, ``under_review``,
``approved``), across every partner and product of one environment. Open,
unaccepted offers do not count: a prequalification must not use up the
headroom of the next one.

At acceptance the check runs under a per-customer lock so that two partners
accepting at the same moment queue: PostgreSQL takes a transaction-scoped
advisory lock on the customer (``pg_advisory_xact_lock``), and the second
acceptance re-reads the exposure after the first committed; SQLite's write
transactions (``BEGIN IMMEDIATE``) already run one at a time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    func,
    literal,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.db import Money, table_of
from gateway.errors import Conflict

PENDING = ("submitted", "under_review", "approved")
ZERO = Decimal("0.00")


class ExposureLimit(Conflict):
    """Accepting this offer would take the customer past the exposure cap."""

    code = "exposure_limit"
    title = "The customer's credit across partners would exceed the cap"


@dataclass(frozen=True)
class Exposure:
    """Where a customer (or a partner) stands against a cap."""

    outstanding: Decimal
    cap: Decimal

    @property
    def headroom(self) -> Decimal:
        """What may still be lent (never negative)."""
        return max(self.cap - self.outstanding, ZERO)


_apps = table_of(Application)


def _sum(status_is_funded: bool) -> ColumnElement[Decimal]:
    column = _apps.c.outstanding_principal if status_is_funded else _apps.c.principal
    return type_coerce(func.coalesce(func.sum(column), 0), Money())


def _statement(key_column: str) -> Select[Decimal, Decimal]:
    key = _apps.c[key_column]
    pending = or_(*(_apps.c.status == literal(s) for s in PENDING))
    funded = _apps.c.status == literal("funded")
    base = [key == bindparam("key"), _apps.c.environment == bindparam("environment")]
    return select(
        select(_sum(False)).where(*base, pending).scalar_subquery(),
        select(_sum(True)).where(*base, funded).scalar_subquery(),
    )


# Built once: the customer's runs on every prequalification and acceptance.
_CUSTOMER = _statement("customer_ref")
_PARTNER = _statement("partner_id")


def _outstanding(
    session: Session, statement: Select[Decimal, Decimal], key: str, environment: str
) -> Decimal:
    params = {"key": key, "environment": environment}
    pending, funded = session.connection().execute(statement, params).one()
    return ((pending or ZERO) + (funded or ZERO)).quantize(Decimal("0.01"))


def customer_exposure(
    session: Session, customer_ref: str, environment: str, cap: Decimal
) -> Exposure:
    """The customer's exposure across every partner of ``environment``."""
    return Exposure(_outstanding(session, _CUSTOMER, customer_ref, environment), cap)


def partner_outstanding(session: Session, partner_id: str, environment: str) -> Decimal:
    """Everything lent or about to be lent through one partner in ``environment``."""
    return _outstanding(session, _PARTNER, partner_id, environment)


def lock_customer(session: Session, customer_ref: str, environment: str) -> None:
    """Hold the customer's exposure lock until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock on a 63-bit key derived
    from the customer and environment. SQLite: nothing to do, the write
    transaction already excludes every other writer.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"exposure:{environment}:{customer_ref}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def check_acceptance(
    session: Session, *, customer_ref: str, environment: str, principal: Decimal, cap: Decimal
) -> Exposure:
    """Lock the customer, then refuse an acceptance that would pass the cap.

    Raises:
        ExposureLimit: ``outstanding + principal`` is above ``cap``.
    """
    lock_customer(session, customer_ref, environment)
    exposure = customer_exposure(session, customer_ref, environment, cap)
    if exposure.outstanding + principal > cap:
        # No amounts: the partner must not learn the customer's credit elsewhere.
        raise ExposureLimit(
            "accepting this offer would take the customer's credit across partners past "
            "the cap; ask for a new prequalification, which offers what is still possible"
        )
    return exposure
