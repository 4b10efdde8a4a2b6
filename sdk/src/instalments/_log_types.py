"""Response models of the event log, test deliveries and settlements (re-exported by ``types``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime

from ._model import Model

WebhookEventStatus = Literal["pending", "delivered", "dead"]


class DeliveryAttempt(Model):
    """One attempt to deliver a webhook event to your endpoint."""

    number: int
    attempted_at: AwareDatetime
    outcome: Literal["delivered", "failed"]
    duration_ms: int
    url: str | None = None
    #: Your endpoint's HTTP status (``None`` when it could not be reached).
    status_code: int | None = None
    error: str | None = None


class LoggedEvent(Model):
    """A webhook event as the event log shows it: payload, status, attempts."""

    id: str
    type: str
    status: WebhookEventStatus
    created_at: AwareDatetime
    sequence: int
    resource_id: str
    #: The JSON body exactly as signed and sent.
    payload: dict[str, Any]
    attempts: list[DeliveryAttempt]
    next_attempt_at: AwareDatetime | None = None
    delivered_at: AwareDatetime | None = None
    last_error: str | None = None


class PingResult(Model):
    """What happened to a sandbox test delivery."""

    delivered: bool
    duration_ms: int
    event: LoggedEvent
    status_code: int | None = None
    error: str | None = None


class SettlementTotals(Model):
    """Sums of a settlement's lines (they reconcile to the fen)."""

    applications: int
    funded_amount: Decimal
    refunded_amount: Decimal
    merchant_subsidy: Decimal
    net: Decimal


class SettlementLine(Model):
    """One application's money on the day."""

    application_id: str
    funded_amount: Decimal
    refunded_amount: Decimal
    merchant_subsidy: Decimal
    net: Decimal
    prequalification_id: str | None = None
    currency: str | None = None
    funded_at: AwareDatetime | None = None


class Settlement(Model):
    """A day's settlement: funded, refunded, merchant subsidy owed, net."""

    date: date
    partner_id: str
    environment: str
    currency: str
    totals: SettlementTotals
    lines: list[SettlementLine]
