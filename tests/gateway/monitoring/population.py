"""Decisions on a synthetic population, made in bulk through the prequalification service.

Profiles are stored and consents inserted directly (neither is under test
here); every decision then goes through :func:`gateway.prequal.services.prequalify`,
so it stores its features, score and shadow score exactly as a live request would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
from flask import Flask
from sqlalchemy import insert
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.consent.models import Consent, ConsentReceipt
from gateway.partners.services import request_partner_config
from gateway.prequal import services
from gateway.profiles.models import CustomerProfile
from gateway.profiles.synthetic import Columns, generate_population, profile_from_columns
from gateway.scoring.registry import active_scorer, shadow_scorer

PARTNER = "demo-mall"
ENVIRONMENT = "live"


def shifted(count: int, seed: int, change: Callable[[Columns], None] | None = None) -> Columns:
    """``count`` customers of the process, with ``change`` applied to their columns."""
    columns, _ = generate_population(count, seed)
    if change is not None:
        change(columns)
    return columns


def decide_all(
    app: Flask,
    db: Session,
    columns: Columns | None,
    *,
    prefix: str,
    at: dt.datetime,
    count: int = 0,
    environment: str = ENVIRONMENT,
) -> list[Any]:
    """Store each customer's profile (unless ``columns`` is ``None``: sandbox customers
    are then the synthetic population's own) and consent, then prequalify each at ``at``."""
    count = len(columns["age"]) if columns is not None else count
    refs = [f"{prefix}-{i:05d}" for i in range(count)]
    if columns is not None:
        profiles = []
        for i, ref in enumerate(refs):
            profile = profile_from_columns(ref, columns, i).__dict__.copy()
            profile.pop("synthetic")
            profiles.append(
                {**profile, "id_number_hash": None, "source": "generated", "updated_at": at}
            )
        db.execute(insert(CustomerProfile), profiles)
    receipt = f"rcp_{prefix}"
    db.execute(
        insert(ConsentReceipt),
        [{"id": receipt, "partner_id": PARTNER, "environment": environment,
          "customer_ref": refs[0], "issued_at": at, "token": "-"}],
    )  # fmt: skip
    db.execute(
        insert(Consent),
        [
            {
                "id": f"cns_{prefix}_{i:05d}", "partner_id": PARTNER, "environment": environment,
                "customer_ref": ref, "id_number_hash": None, "purpose": "prequalification",
                "status": "active", "notice_version": "v1", "notice_hash": "-", "locale": "en",
                "granted_at": at, "expires_at": at + dt.timedelta(days=30), "revoked_at": None,
                "revoked_by": None, "revocation_reason": None, "receipt_id": receipt,
                "granted_by": "test", "evidence": {},
            }
            for i, ref in enumerate(refs)
        ],
    )  # fmt: skip
    db.flush()
    settings = app.extensions["gateway.settings"]
    with app.app_context():
        engine = services.Engine(
            pepper=settings.identifier_pepper,
            issuer="https://gateway.test",
            scorer=active_scorer(db),
            shadow=shadow_scorer(db),
        )
        config = request_partner_config(db, PARTNER)
        caller = services.Caller(PARTNER, environment, "test")
        outcomes = []
        rng = np.random.default_rng(len(prefix))
        for i, ref in enumerate(refs):
            request = services.PrequalRequest(
                consent_id=f"cns_{prefix}_{i:05d}",
                phone=None,
                customer_ref=ref,
                amount=Decimal(int(rng.integers(5, 60)) * 100),
                currency="CNY",
                scenario_type="shopping",
                requested_tenors=(12,),  # one offer each: signing is most of the cost
            )
            outcomes.append(services.prequalify(db, caller, config, request, engine, now=at))
    db.commit()
    return outcomes


def fund_all(db: Session, outcomes: list[Any], at: dt.datetime) -> int:
    """A funded application for every decision with an offer (the first), funded at ``at``.

    Application ids follow the decisions' order, so the simulated repayment
    (seeded by application id) is the same on every run.
    """
    rows = []
    for index, outcome in enumerate(outcomes):
        if not outcome.offers:
            continue
        pq, offer = outcome.prequalification, outcome.offers[0]
        rows.append(
            {
                "id": f"app_{index:06d}", "offer_id": offer.id, "prequalification_id": pq.id,
                "partner_id": pq.partner_id, "environment": pq.environment,
                "customer_ref": pq.customer_ref, "credit_inquiry_consent_id": pq.consent_id,
                "status": "funded", "currency": "CNY", "principal": offer.principal,
                "underwriting_decision": "approved", "decision_reasons": [],
                "funded_amount": offer.principal, "outstanding_principal": offer.principal,
                "refunded_amount": Decimal("0.00"), "schedule": offer.schedule,
                "cancel_reason": None, "created_at": at, "updated_at": at,
                "review_started_at": None, "decided_at": at, "funded_at": at,
                "cancelled_at": None,
            }
        )  # fmt: skip
    db.execute(insert(Application), rows)
    db.commit()
    return len(rows)
