"""A loan event as received, and the rules each event type's fields must follow."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from gateway.outcomes.servicing import EVENT_TYPES, EventFacts

# Fields each event type needs beyond id, application_id, type and occurred_at.
REQUIRED: dict[str, tuple[str, ...]] = {
    "repayment": ("instalment", "amount"),
    "missed_payment": ("instalment",),
    "days_past_due": ("days_past_due",),
    "prepayment": ("amount",),
    "payoff": (),
    "charge_off": (),
}
assert set(REQUIRED) == set(EVENT_TYPES)


@dataclass(frozen=True)
class LoanEventIn:
    """One event from the bank's core system (feed or file).

    Attributes:
        id: the sender's event id; the same id twice is one event.
        application_id: the funded application (``app_…``) the loan came from.
        type: one of :data:`gateway.outcomes.servicing.EVENT_TYPES`.
        occurred_at: when it happened (for a repayment, when it was paid).
        instalment: the instalment number (repayment, missed payment).
        amount: money paid (repayment, prepayment, payoff), CNY to the fen.
        days_past_due: the core system's count (``days_past_due`` events).
    """

    id: str
    application_id: str
    type: str
    occurred_at: dt.datetime
    instalment: int | None = None
    amount: Decimal | None = None
    days_past_due: int | None = None

    def facts(self) -> EventFacts:
        """The part the servicing replay reads."""
        return EventFacts(
            self.id, self.type, self.occurred_at, self.instalment, self.amount, self.days_past_due
        )

    def payload_hash(self) -> str:
        """SHA-256 of the canonical content, to tell a replay from a conflicting reuse of an id."""
        content = {
            "application_id": self.application_id,
            "type": self.type,
            "occurred_at": self.occurred_at.astimezone(dt.UTC).isoformat(),
            "instalment": self.instalment,
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "days_past_due": self.days_past_due,
        }
        raw = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(raw).hexdigest()


def field_errors(event: LoanEventIn) -> dict[str, str]:
    """What is wrong with one event's fields, by field name (empty when it is valid)."""
    errors: dict[str, str] = {}
    if event.type not in REQUIRED:
        errors["type"] = f"must be one of {', '.join(EVENT_TYPES)}"
        return errors
    if event.occurred_at.tzinfo is None:
        errors["occurred_at"] = "needs a time zone (RFC 3339)"
    for name in REQUIRED[event.type]:
        if getattr(event, name) is None:
            errors[name] = f"required for a {event.type} event"
    if event.instalment is not None and event.instalment < 1:
        errors["instalment"] = "must be 1 or more"
    if event.amount is not None and (
        event.amount <= 0 or event.amount != event.amount.quantize(Decimal("0.01"))
    ):
        errors["amount"] = "must be positive, to the fen"
    if event.days_past_due is not None and not 0 <= event.days_past_due <= 3650:
        errors["days_past_due"] = "must be between 0 and 3650"
    return errors
