"""Everything a prequalification reads about its customer, in one statement.

The consent gate, the customer's exposure (and the partner's, when the
partner has a limit), the velocity and identity windows with the bank's ID
record, the 30-day offer count and the bank's profile used to be six
statements, each paying SQLAlchemy's per-statement cost and, on PostgreSQL, a
round trip. Here they are one ``SELECT`` over the consent row: scalar
subqueries for the counts and sums, the profile joined to it. The consent
is the ``FROM``: without an active consent the statement returns no row and
nothing else about the customer is read (:class:`ConsentRequired`).

With ``lock`` the consent row is held ``FOR SHARE OF c`` on PostgreSQL, as
:func:`gateway.consent.gate.require_active_id` holds it: a revocation racing
the decision waits for it, or commits first and the row no longer matches.
SQLite has no row locks; there the write transaction (``BEGIN IMMEDIATE``)
re-reads the consent and the count with :func:`read` again.

Each statement is SQL text, built once per shape (which parts a request
needs) and kept: a Core select of this many subqueries costs more to key for
the statement cache than the database takes to answer it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Float, Integer, String, TextClause, bindparam, column, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.selectable import TextualSelect

from gateway.consent.types import ConsentRequired
from gateway.db import Money, UTCDateTime
from gateway.profiles.profile import FEATURE_FIELDS, FLAG_FIELDS, INT_FIELDS, MONEY_FIELDS, Profile
from gateway.risk.exposure import PENDING
from gateway.risk.rules import Counts

OFFERING = ("approved", "partially_approved")
RECENT_DAYS = 30


@dataclass(frozen=True)
class Shape:
    """Which parts a request reads besides the consent."""

    lock: bool = False
    exposure: bool = False
    partner: bool = False  # the partner's outstanding (it has a limit)
    windows: bool = False  # the velocity and identity windows, the bank's ID record
    recent: bool = False  # the 30-day offer count
    profile: bool = False


@dataclass(frozen=True)
class Snapshot:
    """What the statement read (``None``: not asked for)."""

    consent_id: str
    exposure: Decimal | None = None
    partner_outstanding: Decimal | None = None
    counts: Counts | None = None
    recent: int = 0
    profile: Profile | None = None


def _sums(key: str, prefix: str) -> list[str]:
    base = f"FROM applications a WHERE a.{key} = :{key} AND a.environment = :environment"
    pending = ", ".join(f"'{status}'" for status in PENDING)
    return [
        f"(SELECT coalesce(sum(a.principal), 0) {base} AND a.status IN ({pending})) "
        f"AS {prefix}pending",
        f"(SELECT coalesce(sum(a.outstanding_principal), 0) {base} AND a.status = 'funded') "
        f"AS {prefix}funded",
    ]


# Each window counts the *other* customers (this one is added by the rules).
_WINDOWS = [
    "(SELECT count(*) FROM risk_observations WHERE environment = :environment"
    " AND customer_ref = :customer_ref AND created_at > :velocity_since) AS velocity",
    "(SELECT count(DISTINCT NULLIF(customer_ref, :customer_ref)) FROM risk_observations"
    " WHERE environment = :environment AND id_number_hash = :id_hash"
    " AND created_at > :phones_since) AS phones",
    "(SELECT count(DISTINCT NULLIF(customer_ref, :customer_ref)) FROM risk_observations"
    " WHERE environment = :environment AND device_hash = :device"
    " AND created_at > :device_since) AS devices",
]
# Every piece of SQL here is built from this module's constants, never from input.
_RECENT = (  # noqa: S608
    "(SELECT count(*) FROM prequalifications q WHERE q.customer_ref = :customer_ref"
    " AND q.environment = :environment AND q.status IN ({}) AND q.created_at > :since) AS recent"
).format(", ".join(f"'{status}'" for status in OFFERING))


def _profile_type(name: str) -> Any:
    if name in MONEY_FIELDS:
        return Money()
    if name in FLAG_FIELDS:
        return Boolean()
    if name in INT_FIELDS:
        return Integer()
    return String() if name == "employment_type" else Float()


@cache
def statement(dialect: str, shape: Shape) -> TextualSelect:
    """The statement for one shape on one dialect (built once)."""
    parts = ["c.id AS consent_id"]
    columns: list[ColumnClause[Any]] = [column("consent_id", String())]
    if shape.exposure:
        parts += _sums("customer_ref", "")
        columns += [column("pending", Money()), column("funded", Money())]
    if shape.partner:
        parts += _sums("partner_id", "partner_")
        columns += [column("partner_pending", Money()), column("partner_funded", Money())]
    if shape.windows:
        parts += _WINDOWS
        parts.append(
            "p.id_number_hash AS bank_id_hash"
            if shape.profile
            else "(SELECT id_number_hash FROM customer_profiles"
            " WHERE customer_ref = :customer_ref) AS bank_id_hash"
        )
        columns += [column(name, Integer()) for name in ("velocity", "phones", "devices")]
        columns.append(column("bank_id_hash", String()))
    if shape.recent:
        parts.append(_RECENT)
        columns.append(column("recent", Integer()))
    source = "consents c"
    if shape.profile:
        parts.append("p.customer_ref AS profile_ref")
        parts += [f"p.{name}" for name in FEATURE_FIELDS]
        columns.append(column("profile_ref", String()))
        columns += [column(name, _profile_type(name)) for name in FEATURE_FIELDS]
        source += " LEFT OUTER JOIN customer_profiles p ON p.customer_ref = c.customer_ref"
    # Constants only; every value is a bound parameter.
    sql = (
        f"SELECT {', '.join(parts)} FROM {source}"  # noqa: S608
        " WHERE c.id = :consent_id AND c.partner_id = :partner_id"
        " AND c.environment = :environment AND c.customer_ref = :customer_ref"
        " AND c.purpose = :purpose AND c.status = 'active' AND c.expires_at > :now"
    )
    if shape.lock and dialect == "postgresql":
        sql += " FOR SHARE OF c"
    clause: TextClause = text(sql).bindparams(
        *(
            bindparam(name, type_=UTCDateTime())
            for name in ("now", "since", "velocity_since", "phones_since", "device_since")
            if f":{name}" in sql
        )
    )
    return clause.columns(*columns)


def read(
    connection: Connection,
    shape: Shape,
    params: dict[str, Any],
    *,
    id_number_hash: str | None = None,
    device_hash: str | None = None,
) -> Snapshot:
    """Run the shape's statement; ``params`` names the consent, customer and windows.

    Raises:
        ConsentRequired: the consent is not active for this customer, partner and purpose.
    """
    if shape.recent:
        params["since"] = params["now"] - dt.timedelta(days=RECENT_DAYS)
    row = connection.execute(statement(connection.dialect.name, shape), params).first()
    if row is None:
        purpose = params["purpose"]
        raise ConsentRequired(
            f"an active '{purpose}' consent from this customer is required",
            extra={"purpose": purpose},
        )
    found = row._mapping
    return Snapshot(
        consent_id=found["consent_id"],
        exposure=_outstanding(found, "") if shape.exposure else None,
        partner_outstanding=_outstanding(found, "partner_") if shape.partner else None,
        counts=(
            Counts(
                customer_prequalifications=int(found["velocity"] or 0),
                id_number_other_phones=int(found["phones"] or 0) if id_number_hash else 0,
                device_other_customers=int(found["devices"] or 0) if device_hash else 0,
                bank_id_number_hash=found["bank_id_hash"],
            )
            if shape.windows
            else None
        ),
        recent=int(found["recent"] or 0) if shape.recent else 0,
        profile=(
            Profile(customer_ref=found["profile_ref"], **{n: found[n] for n in FEATURE_FIELDS})
            if shape.profile and found["profile_ref"] is not None
            else None
        ),
    )


def _outstanding(found: Any, prefix: str) -> Decimal:
    pending, funded = found[f"{prefix}pending"], found[f"{prefix}funded"]
    return ((pending or Decimal(0)) + (funded or Decimal(0))).quantize(Decimal("0.01"))
