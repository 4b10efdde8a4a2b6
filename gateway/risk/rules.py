"""Velocity and identity rules: count the windows, then evaluate (pure).

:func:`count_windows` reads every window a prequalification needs in one
statement of indexed range scans over ``risk_observations``;
:func:`evaluate` turns the counts into hits without touching the database,
so each rule is tested in isolation and the cost stays within 0.3 ms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from gateway.db import UTCDateTime
from gateway.risk.config import RiskRules, Rule
from gateway.risk.reasons import RISK_REASONS


@dataclass(frozen=True)
class Subject:
    """Who is asking, as keyed hashes (never the numbers)."""

    environment: str
    partner_id: str
    customer_ref: str
    id_number_hash: str | None = None
    device_hash: str | None = None
    ip_hash: str | None = None
    bank_id_number_hash: str | None = None  # the bank's record for this phone


@dataclass(frozen=True)
class Counts:
    """What the windows hold before this prequalification (itself not included)."""

    customer_prequalifications: int = 0
    id_number_other_phones: int = 0  # customers (phones) other than this one
    device_other_customers: int = 0
    bank_id_number_hash: str | None = None  # the bank's record for this phone


@dataclass(frozen=True)
class Hit:
    """One rule that hit: what it does and why (the detail is for bank staff only)."""

    rule: str
    mode: str
    action: str
    reason_code: str
    detail: str

    @property
    def enforced(self) -> bool:
        """Whether the hit changes the decision (``monitor`` only counts)."""
        return self.mode == "enforce"


# Built once, as SQL text: every prequalification runs it, and a Core select
# of subqueries costs more to key for the statement cache than SQLite takes
# to answer it. Each window is one range scan of an index of
# risk_observations (environment, key, created_at) counting the *other*
# customers (this one is added in Python); the last column is the bank's ID
# record for the phone.
_COUNTS = text(
    """
    SELECT
      (SELECT count(*) FROM risk_observations
        WHERE environment = :environment AND customer_ref = :ref
          AND created_at > :velocity_since),
      (SELECT count(DISTINCT NULLIF(customer_ref, :ref)) FROM risk_observations
        WHERE environment = :environment AND id_number_hash = :id_hash
          AND created_at > :phones_since),
      (SELECT count(DISTINCT NULLIF(customer_ref, :ref)) FROM risk_observations
        WHERE environment = :environment AND device_hash = :device
          AND created_at > :device_since),
      (SELECT id_number_hash FROM customer_profiles WHERE customer_ref = :ref)
    """
).bindparams(
    bindparam("velocity_since", type_=UTCDateTime()),
    bindparam("phones_since", type_=UTCDateTime()),
    bindparam("device_since", type_=UTCDateTime()),
)

_FAR = dt.timedelta(days=1)


def count_windows(session: Session, rules: RiskRules, subject: Subject, now: dt.datetime) -> Counts:
    """Every window the rules need and the bank's ID record, in one statement.

    No statement at all when no rule is configured.
    """
    if not rules.rules:
        return Counts()
    params = window_params(rules, subject, now)
    params["ref"] = params.pop("customer_ref")
    # On the session's connection: a statement through the session costs more.
    row = session.connection().execute(_COUNTS, params).one()
    return Counts(
        customer_prequalifications=int(row[0] or 0),
        id_number_other_phones=int(row[1] or 0) if subject.id_number_hash else 0,
        device_other_customers=int(row[2] or 0) if subject.device_hash else 0,
        bank_id_number_hash=row[3],
    )


def window_params(rules: RiskRules, subject: Subject, now: dt.datetime) -> dict[str, Any]:
    """The parameters of the window counts (also read by :mod:`gateway.prequal.snapshot`)."""

    def since(name: str) -> dt.datetime:
        rule = rules.rule(name)
        # A rule not configured gets a window that can hold nothing.
        return now - rule.window if rule is not None and rule.window is not None else now + _FAR

    return {
        "environment": subject.environment,
        "customer_ref": subject.customer_ref,
        "id_hash": subject.id_number_hash or "",
        "device": subject.device_hash or "",
        "velocity_since": since("customer_velocity"),
        "phones_since": since("phones_per_id_number"),
        "device_since": since("customers_per_device"),
    }


def _hit(rule: Rule, detail: str) -> Hit:
    code = RISK_REASONS[(rule.rule, rule.action)].code
    return Hit(rule.rule, rule.mode, rule.action, code, detail)


def _window_text(rule: Rule) -> str:
    assert rule.window is not None
    hours = rule.window.total_seconds() / 3600
    return f"{hours:g}h" if hours < 48 else f"{hours / 24:g}d"


def evaluate(rules: RiskRules, subject: Subject, counts: Counts) -> list[Hit]:
    """The rules that hit, in file order (pure: no database, no clock)."""
    hits: list[Hit] = []
    for rule in rules.rules:
        if rule.rule == "customer_velocity":
            total = counts.customer_prequalifications + 1
            if total > rule.threshold:
                hits.append(
                    _hit(
                        rule,
                        f"{total} prequalifications across partners in "
                        f"{_window_text(rule)} (threshold {rule.threshold})",
                    )
                )
        elif rule.rule == "phones_per_id_number" and subject.id_number_hash:
            phones = counts.id_number_other_phones + 1
            if phones > rule.threshold:
                hits.append(
                    _hit(
                        rule,
                        f"{phones} distinct phones with one ID number "
                        f"in {_window_text(rule)} (threshold {rule.threshold})",
                    )
                )
        elif rule.rule == "customers_per_device" and subject.device_hash:
            customers = counts.device_other_customers + 1
            if customers > rule.threshold:
                hits.append(
                    _hit(
                        rule,
                        f"{customers} distinct customers from one device "
                        f"in {_window_text(rule)} (threshold {rule.threshold})",
                    )
                )
        elif (
            rule.rule == "id_number_mismatch"
            and subject.id_number_hash
            and (bank := subject.bank_id_number_hash or counts.bank_id_number_hash)
            and subject.id_number_hash != bank
        ):
            hits.append(_hit(rule, "ID number differs from the bank's record for this phone"))
    return hits
