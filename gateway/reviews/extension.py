"""Wire the review domain: consent revocation withdraws cases; the queue goes on /metrics."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from gateway.consent.signals import consent_revoked
from gateway.reviews.metrics import ReviewQueueCollector
from gateway.reviews.services import withdraw_for_consent


def _on_consent_revoked(consent: Any, *, session: Session, **_: Any) -> None:
    withdraw_for_consent(session, consent.id, actor=consent.revoked_by or "system")


def init_app(app: Flask) -> None:
    """Withdraw pending cases in the revocation's transaction; export the queue's gauges."""
    consent_revoked.connect(_on_consent_revoked)
    metrics = app.extensions.get("gateway.metrics")
    if metrics is not None:
        metrics.add_collector(ReviewQueueCollector(lambda: app.extensions["gateway.db"]))
