"""Hypothesis state machine over the consent services: grant, revoke, time, expire, require.

A small model keeps, for each consent, who gave it, for what, when it expires
and whether it was revoked or marked expired; every step runs the real
services on the real database (both backends) and checks them against the
model. Invariants: revocation is terminal and immediate, an expired consent
can never be revoked or used, ``require_active`` permits exactly what the
model says is active, and the stored status always agrees with the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.orm import Session

from gateway.consent import services
from gateway.consent.models import Consent
from gateway.identity import customer_ref

PEPPER = "state-machine-pepper"
VERSION = "2026-11-01"
START = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)
PURPOSES = ("prequalification", "credit_inquiry", "marketing")
POLICY = services.ConsentPolicy()
TENANT = services.Tenant("demo-mall", "sandbox", "cli_machine", {"zh-CN": "商城", "en": "Mall"})


@dataclass
class Modelled:
    """What the model knows of one consent."""

    customer: int
    purpose: str
    granted_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None
    marked_expired: bool = False

    def status(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.marked_expired or self.expires_at <= now:
            return "expired"
        return "active"


def _phone(customer: int) -> str:
    return f"+86137{customer:08d}"


@pytest.fixture
def ctx(app: Flask, db_session: Session) -> Iterator[Session]:
    with app.app_context():
        yield db_session


def test_consent_services_agree_with_the_model(ctx: Session) -> None:
    db = ctx
    runs = {"n": 0}

    class ConsentMachine(RuleBasedStateMachine):
        consents = Bundle("consents")

        def __init__(self) -> None:
            super().__init__()
            runs["n"] += 1
            # Each run gets its own customers: the database is shared by all runs.
            self.base = runs["n"] * 10
            self.now = START
            self.model: dict[str, Modelled] = {}

        @rule(
            target=consents,
            customer=st.integers(0, 2),
            purposes=st.lists(st.sampled_from(PURPOSES), min_size=1, max_size=3, unique=True),
        )
        def grant(self, customer: int, purposes: list[str]) -> Any:
            recorded = services.record_consents(
                db,
                TENANT,
                pepper=PEPPER,
                phone=_phone(self.base + customer),
                id_number=None,
                grants=[services.Grant(p, True, VERSION) for p in purposes],
                evidence=services.Evidence(captured_at=self.now, channel="web", locale="en"),
                policy=POLICY,
                issuer="https://gateway.test",
                now=self.now,
            )
            assert [c.purpose for c in recorded.consents] == purposes
            for consent in recorded.consents:
                lifetime = dt.timedelta(days=POLICY.lifetime_days[consent.purpose])
                assert consent.status == "active"
                assert consent.expires_at == self.now + lifetime
                assert consent.receipt_id == recorded.receipt.id
                self.model[consent.id] = Modelled(
                    self.base + customer, consent.purpose, self.now, self.now + lifetime
                )
            return st.sampled_from([c.id for c in recorded.consents])

        @rule(consent_ids=consents, data=st.data())
        def revoke(self, consent_ids: Any, data: st.DataObject) -> None:
            consent_id = data.draw(consent_ids)
            known = self.model[consent_id]
            consent = services.get_consent(db, "demo-mall", "sandbox", consent_id)
            before = known.status(self.now)
            if before == "expired":
                with pytest.raises(services.ConsentNotActive):
                    services.revoke(db, consent, actor="cli_machine", now=self.now)
                return
            revoked = services.revoke(db, consent, actor="cli_machine", now=self.now)
            assert revoked.status == "revoked"
            if before == "active":
                known.revoked_at = self.now
            assert revoked.revoked_at == known.revoked_at  # a second revocation changes nothing

        @rule(days=st.integers(0, 40), minutes=st.integers(0, 120))
        def time_passes(self, days: int, minutes: int) -> None:
            self.now += dt.timedelta(days=days, minutes=minutes)

        @rule()
        def expire_due(self) -> None:
            expired = {c.id for c in services.expire_due(db, now=self.now)}
            due = {
                cid
                for cid, m in self.model.items()
                if m.revoked_at is None and not m.marked_expired and m.expires_at <= self.now
            }
            assert expired >= due
            assert not (expired - due) & set(self.model), "expired something not due"
            for cid in due:
                self.model[cid].marked_expired = True

        @rule(customer=st.integers(0, 2), purpose=st.sampled_from(PURPOSES), named=st.booleans())
        def require_active(self, customer: int, purpose: str, named: bool) -> None:
            mine = {
                cid: m
                for cid, m in self.model.items()
                if m.customer == self.base + customer and m.purpose == purpose
            }
            active = {cid: m for cid, m in mine.items() if m.status(self.now) == "active"}
            consent_id = None
            if named and mine:
                consent_id = max(mine, key=lambda cid: (mine[cid].granted_at, cid))
                active = {cid: m for cid, m in active.items() if cid == consent_id}
            kwargs = {
                "partner_id": "demo-mall",
                "environment": "sandbox",
                "customer_ref": customer_ref(PEPPER, _phone(self.base + customer)),
                "purpose": purpose,
                "consent_id": consent_id,
                "now": self.now,
            }
            if not active:
                with pytest.raises(services.ConsentRequired):
                    services.require_active(db, **kwargs)
                return
            found = services.require_active(db, **kwargs)
            latest = max(m.granted_at for m in active.values())
            assert found.id in active and active[found.id].granted_at == latest

        @invariant()
        def stored_status_agrees_with_the_model(self) -> None:
            if not self.model:
                return
            rows = db.query(Consent).filter(Consent.id.in_(list(self.model))).all()
            assert len(rows) == len(self.model)
            for row in rows:
                expected = self.model[row.id].status(self.now)
                assert row.status_at(self.now) == expected, (row.id, row.status, expected)
                if expected == "revoked":
                    assert row.revoked_at == self.model[row.id].revoked_at

    run_state_machine_as_test(
        ConsentMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
