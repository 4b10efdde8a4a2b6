"""Report consent revocations to the partner, in the revocation's transaction."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from gateway.consent.schemas import consent_view
from gateway.consent.signals import consent_revoked
from gateway.webhooks.outbox import emit


def _on_consent_revoked(consent: Any, *, session: Session, **_: Any) -> None:
    emit(
        session,
        "consent.revoked",
        partner_id=consent.partner_id,
        environment=consent.environment,
        resource_id=consent.id,
        obj=consent_view(consent, "revoked"),
        now=consent.revoked_at,
    )


def init_app(app: Flask) -> None:
    """Write a ``consent.revoked`` event whenever a consent is revoked."""
    consent_revoked.connect(_on_consent_revoked)
