"""Consent values and errors: grants, evidence, policy, who is acting. No Flask, no queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gateway.caller import Caller
from gateway.errors import DomainError, NotFound

if TYPE_CHECKING:
    from gateway.consent.models import Consent, ConsentReceipt

CAPTURE_MAX_AGE = dt.timedelta(minutes=10)
CAPTURE_SKEW = dt.timedelta(seconds=30)
CHANNELS = ("web", "app", "widget", "call_centre", "in_store")


class ConsentRequired(DomainError):
    """No active consent for the purpose this operation needs."""

    code = "consent_required"
    kind = "forbidden"
    title = "Consent required"


class ConsentNotFound(NotFound):
    """No such consent for this partner and environment."""

    code = "consent_not_found"


class ConsentNotActive(DomainError):
    """The consent has expired; there is nothing to revoke."""

    code = "consent_not_active"
    kind = "conflict"
    title = "Consent is not active"


@dataclass(frozen=True)
class Grant:
    """One purpose the customer explicitly agreed to."""

    purpose: str
    granted: bool
    notice_version: str


@dataclass(frozen=True)
class Evidence:
    """How and when consent was captured."""

    captured_at: dt.datetime
    channel: str
    locale: str
    ip: str | None = None
    user_agent: str | None = None
    page_url: str | None = None


@dataclass(frozen=True)
class ConsentPolicy:
    """Lifetimes per purpose and the grace period for a superseded notice."""

    lifetime_days: Mapping[str, int] = field(
        default_factory=lambda: {"prequalification": 30, "credit_inquiry": 7, "marketing": 365}
    )
    notice_grace: dt.timedelta = dt.timedelta(minutes=60)


@dataclass(frozen=True)
class Tenant(Caller):
    """Who is acting, with the partner's display names for the notices."""

    partner_names: Mapping[str, str]


@dataclass(frozen=True)
class RecordedConsents:
    """The consents one request created and the receipt covering them."""

    consents: list[Consent]
    receipt: ConsentReceipt
