"""Tenant isolation for lookups: a row of another partner or environment is not found.

Every resource a partner can name by id belongs to one partner in one
environment. A lookup that finds another tenant's row answers exactly as if
there were none (404, never 403), so ids cannot be probed across tenants.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.errors import NotFound


class Owned(Protocol):
    """A row that belongs to one partner in one environment."""

    partner_id: Any
    environment: Any


RowT = TypeVar("RowT", bound=Owned)


def belongs_to(row: Owned | None, partner_id: object, environment: object) -> bool:
    """Whether ``row`` exists and is this partner's in this environment."""
    return row is not None and (row.partner_id, row.environment) == (partner_id, environment)


def get_owned(
    session: Session,
    model: type[RowT],
    key: str,
    partner_id: str,
    environment: str,
    not_found: NotFound,
    *,
    lock: bool = False,
) -> RowT:
    """The row of ``model`` with primary key ``key``, if it is this tenant's.

    Args:
        session: the unit of work.
        model: a mapped class with ``id``, ``partner_id`` and ``environment``.
        key: the id the partner named.
        partner_id: the calling partner.
        environment: ``sandbox`` or ``live``.
        not_found: the error to raise when it is missing or another tenant's.
        lock: take the row ``FOR UPDATE`` and refresh it from the database.

    Raises:
        NotFound: ``not_found``, for a missing row and another tenant's alike.
    """
    if lock:
        query = select(model).where(model.id == key)  # type: ignore[attr-defined]
        query = query.with_for_update().execution_options(populate_existing=True)
        row: RowT | None = session.scalars(query).first()
    else:
        row = session.get(model, key)
    if row is None or not belongs_to(row, partner_id, environment):
        raise not_found
    return row
