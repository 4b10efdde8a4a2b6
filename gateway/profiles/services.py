"""Profile services: read a profile, import rows, store a generated population.

Raw phone and ID numbers are turned into keyed hashes here, at the edge, and
then dropped: :class:`CustomerProfile` has no column that could hold them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.db import table_of
from gateway.errors import ValidationFailed
from gateway.identity import customer_ref, id_number_hash
from gateway.profiles.models import CustomerProfile
from gateway.profiles.profile import (
    EMPLOYMENT_TYPES,
    FEATURE_FIELDS,
    FLAG_FIELDS,
    INT_FIELDS,
    MONEY_FIELDS,
    OPTIONAL_FIELDS,
    Profile,
)

_TRUE = frozenset({"1", "true", "yes", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "f", ""})
_BATCH = 1000


@dataclass(frozen=True)
class ImportSummary:
    """What an import did."""

    rows: int
    inserted: int
    replaced: int


def get_profile(session: Session, customer_ref: str) -> Profile | None:
    """The stored profile of a customer.

    Args:
        session: a database session.
        customer_ref: from :func:`gateway.identity.customer_ref`.

    Returns:
        The profile, or ``None`` when the bank holds none (new to bank).
    """
    row = session.execute(_PROFILE, {"customer_ref": customer_ref}).first()
    if row is None:
        return None
    return Profile(**row._asdict())


_profiles = table_of(CustomerProfile)
# Built once: it runs on every model-scored prequalification.
_PROFILE = select(*(_profiles.c[name] for name in ("customer_ref", *FEATURE_FIELDS))).where(
    _profiles.c.customer_ref == bindparam("customer_ref")
)


def parse_profile_row(raw: Mapping[str, str], pepper: str, line: int) -> dict[str, Any]:
    """Validate one CSV row and hash its identifiers.

    Args:
        raw: the row by column name (a ``phone`` column; optional ``id_number``).
        pepper: ``Settings.identifier_pepper``.
        line: the CSV line, for error messages.

    Returns:
        Column values for :class:`CustomerProfile` (no raw identifier).

    Raises:
        ValidationFailed: keyed ``line N.column``; identifier values are never quoted.
    """
    errors: dict[str, str] = {}
    row: dict[str, Any] = {}
    try:
        row["customer_ref"] = customer_ref(pepper, raw.get("phone") or "")
    except ValidationFailed:
        errors[f"line {line}.phone"] = "must be a phone number in E.164 form"
    id_number = (raw.get("id_number") or "").strip()
    row["id_number_hash"] = None
    if id_number:
        try:
            row["id_number_hash"] = id_number_hash(pepper, id_number)
        except ValidationFailed:
            errors[f"line {line}.id_number"] = "must be an 18-character resident ID number"
    for name in FEATURE_FIELDS:
        try:
            row[name] = _field(name, (raw.get(name) or "").strip())
        except ValueError as exc:
            errors[f"line {line}.{name}"] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    return row


def _field(name: str, text: str) -> Any:
    if name in FLAG_FIELDS:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("must be true or false")
    if not text:
        if name in OPTIONAL_FIELDS:
            return None
        raise ValueError("is required")
    if name == "employment_type":
        if text not in EMPLOYMENT_TYPES:
            raise ValueError(f"must be one of {', '.join(EMPLOYMENT_TYPES)}")
        return text
    if name in MONEY_FIELDS:
        try:
            value = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise ValueError("must be an amount") from exc
        if not value.is_finite() or value < 0:
            raise ValueError("must be a non-negative amount")
        return value
    try:
        number = float(text)
    except ValueError as exc:
        raise ValueError("must be a number") from exc
    if number != number or number < 0:
        raise ValueError("must be a non-negative number")
    if name in INT_FIELDS:
        if not number.is_integer():
            raise ValueError("must be a whole number")
        return int(number)
    return number


def store_profiles(
    session: Session, rows: Iterable[Mapping[str, Any]], source: str
) -> ImportSummary:
    """Insert or replace profiles by customer reference, in batches (the caller commits).

    Args:
        session: a database session.
        rows: validated column values (from :func:`parse_profile_row`).
        source: ``import`` or ``generated``.

    Returns:
        How many rows were stored, and how many replaced an existing profile.
    """
    total = replaced = 0
    now = utcnow()
    for batch in _batches(rows):
        unique = {r["customer_ref"]: {**r, "source": source, "updated_at": now} for r in batch}
        refs = list(unique)
        existing = set(
            session.scalars(
                select(CustomerProfile.customer_ref).where(CustomerProfile.customer_ref.in_(refs))
            )
        )
        if existing:
            session.execute(
                delete(CustomerProfile).where(CustomerProfile.customer_ref.in_(existing))
            )
        session.execute(insert(CustomerProfile), list(unique.values()))
        total += len(unique)
        replaced += len(existing)
    session.flush()
    return ImportSummary(rows=total, inserted=total - replaced, replaced=replaced)


def _batches(rows: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
