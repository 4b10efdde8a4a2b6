"""A gateway for the console's browser tests: partners applied, staff of every role, a
complete sandbox journey (so demo-mall's go-live checklist is green) and a dead webhook."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyotp
from flask import Flask

from tests.e2e.servers import Served, listen, write_partner_configs

PASSWORD = "console e2e password"
STAFF = {
    "admin": "admin",
    "viewer": "viewer",
    "suspender": "operator",
    "replayer": "operator",
    "requester": "operator",
    "approver": "compliance",
    "reviewer": "risk_officer",
    "checker": "risk_officer",
    "modeller": "risk_officer",
}


@dataclass
class Person:
    """A console user the browser signs in as."""

    email: str
    role: str
    totp_secret: str

    def code(self) -> str:
        """The current TOTP code."""
        return pyotp.TOTP(self.totp_secret).now()


@dataclass
class OpsStack:
    """The running gateway, its people, and the ids the tests act on."""

    gateway: Served
    app: Flask
    people: dict[str, Person]
    dead_event: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The gateway's origin."""
        return self.gateway.url


def _receiver(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The partner's webhook endpoint: 204 for everything."""
    start_response("204 No Content", [])
    return [b""]


def build(tmp: Path) -> tuple[OpsStack, Served]:
    """Create the gateway app and its data; the caller serves both servers."""
    from tests.e2e.conftest import _gateway_app

    gateway, receiver = listen(), listen()
    receiver.late.app = _receiver
    configs = write_partner_configs(tmp / "partner_configs", {"demo-mall": receiver.url})
    app = _gateway_app(tmp, gateway, configs)
    gateway.late.app = app
    people = _seed(app, configs)
    stack = OpsStack(gateway, app, people)
    stack.extra["challenger"] = _challenger(app)
    return stack, receiver


def _challenger(app: Flask) -> str:
    """A second model version (the bundled one renamed), set as the shadow challenger."""
    from gateway.scoring.artefact import BUNDLED_DIR, load_artefact, seal, write_artefact
    from gateway.scoring.registry import set_shadow
    from gateway.sessions import get_database

    model_dir = app.extensions["gateway.settings"].model_dir
    (bundled,) = sorted(BUNDLED_DIR.glob("*.json"))
    artefact = seal(load_artefact(bundled) | {"name": "challenger"})
    write_artefact(artefact, model_dir)
    with app.app_context(), get_database().new_session() as db:
        set_shadow(db, model_dir, artefact["version"])
        db.commit()
    return str(artefact["version"])


def _seed(app: Flask, configs: Path) -> dict[str, Person]:
    from gateway.ops import users
    from gateway.partners import services as partners
    from gateway.partners.loader import load_directory
    from gateway.sessions import get_database

    secret_key = app.extensions["gateway.settings"].secret_key
    people = {}
    with app.app_context(), get_database().new_session() as db:
        partners.apply(db, load_directory(configs).configs)
        for name, role in STAFF.items():
            made = users.add_user(
                db, f"{name}@bank.example", role, secret_key=secret_key, actor="e2e"
            )
            users.change_password(db, made.user, made.one_time_password, PASSWORD)
            people[name] = Person(made.user.email, role, made.totp_secret)
        db.commit()
    return people


def journey(stack: OpsStack) -> None:
    """A sandbox application of demo-mall, its webhook delivered with 204; a dead event."""
    from gateway.oauth import credentials
    from gateway.sessions import get_database
    from gateway.webhooks import delivery, secrets
    from gateway.webhooks.outbox import emit
    from tests.conftest import PartnerAPI
    from tests.gateway.offers.flow import accept, approved_offer

    app = stack.app
    secret_key = app.extensions["gateway.settings"].secret_key
    with app.app_context():
        with get_database().new_session() as db:
            issued = credentials.issue(db, "demo-mall", "sandbox")
            secrets.issue(db, secret_key, "demo-mall", "sandbox", actor="e2e")
            db.commit()
        assert issued.client_secret is not None
        api = PartnerAPI(
            app.test_client(), "demo-mall", "sandbox", issued.client_id, issued.client_secret
        )
        offer, credit = approved_offer(api)
        assert accept(api, offer, credit).status_code == 201
        stack.extra["case"] = _referral(api)
        _scored_decisions(api, 30)
        with httpx.Client(timeout=5) as http:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                report = delivery.deliver_due(get_database(), secret_key=secret_key, http=http)
                if report.delivered:
                    break
                time.sleep(0.2)
        with get_database().new_session() as db:
            event = emit(
                db,
                "application.approved",
                partner_id="demo-travel",
                environment="sandbox",
                resource_id="app_e2edead",
                obj={"id": "app_e2edead"},
            )
            event.status, event.attempts, event.last_error = "dead", 12, "HTTP 503"
            db.commit()
            stack.dead_event = event.id


def _referral(api: Any) -> str:
    """A referred decision of demo-mall: its review case's id."""
    from gateway.reviews.services import case_of
    from gateway.sessions import get_database
    from tests.gateway.reviews.flow import referred, requested

    requested(api)  # a customer's request on a decline: a second case in the queue
    body = referred(api)
    with get_database().new_session() as db:
        case = case_of(db, body["id"])
        assert case is not None
        return case.id


def _scored_decisions(api: Any, count: int) -> None:
    """Decisions the real model scores (synthetic profiles), so the model page has figures
    (and the shadow challenger scores beside the champion)."""
    from tests.gateway.prequal.test_views import prequalify

    for n in range(count):
        time.sleep(0.1)  # two requests each: well under the partner's 50 per second
        response = prequalify(api, f"+86139{n:08d}")
        assert response.status_code == 201, response.get_json()
