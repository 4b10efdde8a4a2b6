"""Retention periods per data category, as the consent notices promise.

Each category names its tables, what starts its clock, and its default
period; ``docs/privacy.md`` has the same table against the notices' words.
Periods are configured in days with ``GATEWAY_RETENTION_DAYS``
(``webhook_payloads=60,widget_sessions=7``), parsed by :func:`parse_periods`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

FIVE_YEARS = 5 * 365 + 1


@dataclass(frozen=True)
class Category:
    """One kind of data and how long it is kept."""

    name: str
    default_days: int
    tables: tuple[str, ...]
    clock: str
    minimum_days: int = 1


CATEGORIES: tuple[Category, ...] = (
    Category(
        "consent_evidence",
        FIVE_YEARS,
        ("consents", "consent_receipts"),
        "the consent's end (revoked, or expired)",
        minimum_days=FIVE_YEARS,
    ),
    Category(
        "decision_inputs",
        FIVE_YEARS,
        ("prequalifications", "offers", "risk_hits"),
        "the decision, for decisions that led to no application",
        minimum_days=FIVE_YEARS,
    ),
    Category(
        "risk_signals",
        90,
        ("risk_observations",),
        "the prequalification (the longest rule window is 30 days)",
        minimum_days=31,
    ),
    Category(
        "idempotency_records",
        2,
        ("idempotency_records",),
        "the key's first use (replays are promised for 24 hours)",
        minimum_days=1,
    ),
    Category(
        "webhook_payloads",
        90,
        ("webhook_events", "webhook_attempts"),
        "the event, once delivered or dead-lettered (pending ones are kept)",
        minimum_days=4,
    ),
    Category(
        "widget_sessions",
        30,
        ("widget_checkout_sessions",),
        "the session's expiry (15 minutes after it opened)",
        minimum_days=1,
    ),
)

BY_NAME: Mapping[str, Category] = MappingProxyType({c.name: c for c in CATEGORIES})
DEFAULT_PERIODS: Mapping[str, int] = MappingProxyType({c.name: c.default_days for c in CATEGORIES})


class InvalidPeriods(ValueError):
    """A retention period that is unknown, not a number, or shorter than the law allows."""


def parse_periods(text: str, base: Mapping[str, int] = DEFAULT_PERIODS) -> dict[str, int]:
    """``category=days,…`` over the defaults.

    Raises:
        InvalidPeriods: an unknown category, a non-integer, or a period below the
            category's minimum (consent evidence and decisions: five years).
    """
    periods = dict(base)
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, days = item.partition("=")
        category = BY_NAME.get(name.strip())
        if category is None:
            raise InvalidPeriods(f"unknown retention category {name.strip()!r}")
        if not days.strip().isdigit():
            raise InvalidPeriods(f"{category.name}: days must be a whole number")
        if int(days) < category.minimum_days:
            raise InvalidPeriods(
                f"{category.name}: at least {category.minimum_days} days ({category.clock})"
            )
        periods[category.name] = int(days)
    return periods
