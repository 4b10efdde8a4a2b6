"""Wire the offers domain to the consent domain's events."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from gateway.consent.signals import consent_revoked
from gateway.offers.services import void_offers_for_consent


def _on_consent_revoked(consent: Any, *, session: Session, **_: Any) -> None:
    void_offers_for_consent(
        session, consent.id, reason="consent_revoked", actor=consent.revoked_by or "system"
    )


def init_app(app: Flask) -> None:
    """Void open offers in the same transaction as the consent revocation."""
    consent_revoked.connect(_on_consent_revoked)
