"""On SQLite a prequalification decides in a read snapshot, then re-checks as it writes.

SQLite has one writer at a time. The decision's reads and work (profile,
scoring, pricing, signing) run in a snapshot that neither waits for nor holds
the write lock; the write transaction re-reads what the decision relied on.
These tests change the database *while* the decision is being drafted (real
commits from another session) and check the write phase notices. On
PostgreSQL the consent is held ``FOR SHARE`` from the first read instead
(``tests/gateway/consent/test_race.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from gateway import ids
from gateway.consent import services as consent_services
from gateway.consent.models import Consent
from gateway.db import Database, table_of
from gateway.offers.models import Offer
from gateway.prequal import services
from gateway.prequal.models import Prequalification
from tests.gateway.prequal.test_views import grant, prequal_body

MODEL_SCORED = [f"+8613912{i:05d}" for i in range(40)]

pytestmark = pytest.mark.committing


@pytest.fixture(autouse=True)
def _sqlite_only(backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL locks the consent at the first read (tests/gateway/consent)")


def _offered_customer(api: Any) -> tuple[str, str]:
    """A model-scored sandbox customer the model approves, and their consent."""
    for phone in MODEL_SCORED:
        consent_id = grant(api, phone)
        response = api.post("/v1/prequalifications", json=prequal_body(consent_id, phone))
        assert response.status_code == 201, response.get_json()
        if response.get_json()["offers"]:
            return phone, consent_id
    raise AssertionError("no model-scored sandbox customer was approved")


def _while_drafting(monkeypatch: pytest.MonkeyPatch, action: Any) -> list[services.Inputs]:
    """Run ``action`` (once) after the first draft; return the inputs of every draft."""
    real = services.draft
    seen: list[services.Inputs] = []

    def draft(session: Session, case: Any, inputs: services.Inputs) -> Any:
        made = real(session, case, inputs)
        seen.append(inputs)
        if len(seen) == 1:
            action(case)
        return made

    monkeypatch.setattr(services, "draft", draft)
    return seen


def test_consent_revoked_while_deciding_is_403_and_nothing_is_written(
    app: Flask, partner_api: Any, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = partner_api("demo-mall")
    phone = MODEL_SCORED[0]
    consent_id = grant(api, phone)
    database: Database = app.extensions["gateway.db"]

    def revoke(_case: Any) -> None:
        with database.new_session() as other:
            consent = other.get(Consent, consent_id)
            assert consent is not None
            consent_services.revoke(other, consent, actor="test:other-process")
            other.commit()

    drafts = _while_drafting(monkeypatch, revoke)
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, phone))
    assert len(drafts) == 1  # the decision was drafted, then refused as it was written
    assert response.status_code == 403
    assert response.get_json()["code"] == "consent_required"
    written = db_session.scalar(
        select(func.count())
        .select_from(Prequalification)
        .where(Prequalification.consent_id == consent_id)
    )
    assert written == 0
    assert db_session.scalars(select(Offer).where(Offer.consent_id == consent_id)).all() == []


def test_offers_made_elsewhere_while_deciding_are_counted_before_writing(
    app: Flask, partner_api: Any, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = partner_api("demo-mall")
    phone, consent_id = _offered_customer(api)
    database: Database = app.extensions["gateway.db"]
    table = table_of(Prequalification)

    def offers_elsewhere(case: Any) -> None:
        # Other checkouts (other processes) offer this customer credit meanwhile:
        # enough to pass any grade's contact-frequency cap.
        with database.new_session() as other:
            template = dict(
                other.execute(select(table).where(table.c.customer_ref == case.ref).limit(1))
                .mappings()
                .one()
            )
            copies = [{**template, "id": ids.new_id("pq")} for _ in range(10)]
            other.execute(insert(table), copies)
            other.commit()

    drafts = _while_drafting(monkeypatch, offers_elsewhere)
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, phone))
    assert response.status_code == 201, response.get_json()
    assert [d.recent for d in drafts] == [1, 11]  # redrafted with the count the write saw
    body = response.get_json()
    assert body["status"] == "declined"
    assert "contact_frequency_cap" in [r["code"] for r in body["reasons"]]
    stored = db_session.get(Prequalification, body["id"])
    assert stored is not None and stored.status == "declined"
    assert (
        db_session.scalars(select(Offer).where(Offer.prequalification_id == body["id"])).all() == []
    )


def test_an_undisturbed_decision_is_drafted_once(
    partner_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = partner_api("demo-mall")
    phone = MODEL_SCORED[1]
    consent_id = grant(api, phone)
    drafts = _while_drafting(monkeypatch, lambda _case: None)
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, phone))
    assert response.status_code == 201
    assert len(drafts) == 1
