"""Request parameters: ``TypedDict``\\ s, plain dicts checked by your type checker.

Re-exported by :mod:`instalments.types`; import them from there.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal, NotRequired, TypedDict

from ._consent_types import Purpose

Channel = Literal["web", "app", "widget", "call_centre", "in_store"]
ScenarioType = Literal["ecommerce", "travel", "education"]


class DeclaredParam(TypedDict, total=False):
    """What the customer declared at checkout (all optional)."""

    monthly_income: Decimal | str
    employment_type: str
    age: int


class CustomerParam(TypedDict):
    """The customer: by phone (hashed by the gateway at the edge), or by the
    ``customer_ref`` one of your consents returned (yours alone: pairwise)."""

    phone: NotRequired[str]
    customer_ref: NotRequired[str]
    id_number: NotRequired[str]
    declared: NotRequired[DeclaredParam]


class DeviceParam(TypedDict):
    """The customer's device, for the bank's fraud checks (hashed by the gateway on arrival)."""

    fingerprint: str
    ip: NotRequired[str]


class GrantParam(TypedDict):
    """One purpose's consent: ``granted`` must be ``True`` (never pre-ticked)."""

    purpose: Purpose
    granted: bool
    notice_version: str


class EvidenceParam(TypedDict):
    """How and where the consent was captured."""

    captured_at: datetime | str
    channel: Channel
    locale: str
    ip: NotRequired[str]
    user_agent: NotRequired[str]
    page_url: NotRequired[str]


class ScenarioParam(TypedDict):
    """What is being bought; the fields after ``currency`` depend on ``type``."""

    type: ScenarioType
    amount: Decimal | str
    currency: str
    merchant_order_ref: NotRequired[str]
    item_category: NotRequired[str]
    departure_date: NotRequired[date | str]
    destination: NotRequired[str]
    institution: NotRequired[str]
    term_start: NotRequired[date | str]
