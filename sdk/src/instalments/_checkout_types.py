"""What a checkout shows and reports: products, widget sessions, funnel events.

Re-exported by :mod:`instalments.types`; import them from there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime

from ._model import Model

EventType = Literal["offer_displayed", "offer_selected", "checkout_completed", "checkout_abandoned"]


class ProductTeaser(Model):
    """The "from ¥X/month" line a checkout may show before any customer data."""

    monthly_payment_from: Decimal
    tenor_months: int
    apr_from: Decimal


class Product(Model):
    """An instalment product the partner offers."""

    code: str
    name: dict[str, str]
    currency: str
    min_amount: Decimal
    max_amount: Decimal
    tenors: list[int]
    repayment_methods: list[str]
    teaser: ProductTeaser | None = None


class ProductList(Model):
    """``{"data": [...]}``."""

    data: list[Product]


class FunnelEvent(Model):
    """A funnel event as the gateway recorded it."""

    id: str
    type: EventType
    offer_id: str
    occurred_at: AwareDatetime
    prequalification_id: str | None = None
    received_at: AwareDatetime | None = None
    #: True when this event id was reported before (and ignored this time).
    duplicate: bool = False


class CheckoutSession(Model):
    """A short-lived client token for the browser widget."""

    id: str
    client_token: str
    expires_at: AwareDatetime
