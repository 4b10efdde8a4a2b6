"""The values of a prequalification: the question, the engine that answers it, the outcome.

Plain frozen dataclasses, no Flask and no database: views build them from
requests, services take and return them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gateway.caller import Caller
from gateway.errors import NotFound
from gateway.prequal.policy import DEFAULT_POLICY, PolicyConfig
from gateway.prequal.sandbox import Persona
from gateway.risk.config import DEFAULT_RULES, RiskRules

__all__ = ["Caller", "Declared", "Engine", "Outcome", "PrequalRequest", "PrequalificationNotFound"]


class PrequalificationNotFound(NotFound):
    """No such prequalification for this partner and environment."""

    code = "prequalification_not_found"


@dataclass(frozen=True)
class Declared:
    """What the partner declares about the customer (all optional)."""

    monthly_income: Decimal | None = None
    employment_type: str | None = None
    age: int | None = None


@dataclass(frozen=True)
class PrequalRequest:
    """A checkout's question: is this customer pre-approved for this purchase?"""

    consent_id: str
    phone: str | None
    amount: Decimal
    currency: str
    scenario_type: str
    scenario_fields: Mapping[str, Any] = field(default_factory=dict)
    id_number: str | None = None
    declared: Declared = field(default_factory=Declared)
    requested_tenors: Sequence[int] | None = None
    product_code: str | None = None
    customer_ref: str | None = None
    persona: Persona | None = None
    # The device it came from, already keyed hashes (gateway.identity.device_hash, ip_hash).
    device_hash: str | None = None
    ip_hash: str | None = None

    def __post_init__(self) -> None:
        if (self.phone is None) == (self.customer_ref is None):
            raise ValueError("give exactly one of phone or customer_ref")


@dataclass(frozen=True)
class Outcome:
    """What :func:`prequalify` decided and wrote.

    ``prequalification`` and ``offers`` are attribute views of the rows
    inserted (the models' column names and values), not session objects:
    the hot path writes them with Core statements. ``pre_approval`` is the
    campaign pre-approval the decision honoured (:mod:`gateway.campaigns.checkout`).
    """

    prequalification: Any
    offers: list[Any]
    fail_after_commit: bool = False
    review: Any = None  # the review case a referral opens (gateway.reviews)
    pre_approval: Any = None


@dataclass(frozen=True)
class Engine:
    """Everything a decision depends on besides the request."""

    pepper: str
    issuer: str
    scorer: Any
    policy: PolicyConfig = DEFAULT_POLICY
    offer_ttl: dt.timedelta = dt.timedelta(minutes=30)
    # The reviewed risk_rules.yaml: exposure cap, velocity and identity rules.
    risk: RiskRules = DEFAULT_RULES
    shadow: Any = None  # the shadow challenger's CompiledScorer: scores, decides nothing
