"""Partners with credentials, and tokens, for the OAuth tests."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc.jwk import ECKey
from sqlalchemy.orm import Session

from gateway.oauth import credentials
from gateway.partners import services as partners
from gateway.partners.config import PartnerConfig
from tests.gateway.partners.samples import environment, partner_config


@dataclass(frozen=True)
class Credentials:
    """A client's credentials as the partner would hold them."""

    partner_id: str
    environment: str
    client_id: str
    client_secret: str | None
    private_key: ECKey | None = None


@pytest.fixture
def partner_key() -> ECKey:
    """The private key of the ``private_key_jwt`` partner (``acme-jwt``)."""
    return ECKey.generate_key("P-256", private=True, parameters={"kid": "acme-key-1"})


@pytest.fixture
def onboard(db_session: Session, partner_key: ECKey) -> Callable[..., Credentials]:
    """Apply partner configs and issue credentials: ``onboard("acme", "sandbox")``.

    Partners: ``acme`` and ``rival`` (client_secret_basic, sandbox and live),
    ``acme-post`` (client_secret_post), ``acme-jwt`` (private_key_jwt, ES256).
    """
    public = {**partner_key.as_dict(private=False), "kid": "acme-key-1"}
    configs = {
        "acme": partner_config("acme", sandbox=environment(), live=environment()),
        "rival": partner_config("rival", sandbox=environment(), live=environment()),
        "acme-post": partner_config("acme-post", sandbox=environment("client_secret_post")),
        "acme-jwt": partner_config(
            "acme-jwt", sandbox=environment("private_key_jwt", jwks={"keys": [public]})
        ),
    }
    parsed = {pid: PartnerConfig.model_validate(data) for pid, data in configs.items()}
    partners.apply(db_session, parsed)
    db_session.commit()

    def _onboard(partner_id: str, env: str = "sandbox") -> Credentials:
        issued = credentials.issue(db_session, partner_id, env)
        db_session.commit()
        key = partner_key if partner_id == "acme-jwt" else None
        return Credentials(partner_id, env, issued.client_id, issued.client_secret, key)

    return _onboard


@pytest.fixture
def get_token(client: FlaskClient) -> Callable[..., str]:
    """Fetch an access token with ``client_secret_basic``."""

    def _get(creds: Credentials, scope: str | None = None) -> str:
        data = {"grant_type": "client_credentials"}
        if scope is not None:
            data["scope"] = scope
        assert creds.client_secret is not None
        response = client.post(
            "/oauth/token", data=data, auth=(creds.client_id, creds.client_secret)
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        token: str = response.json["access_token"]  # type: ignore[index]
        return token

    return _get


def decode_segment(segment: str) -> dict[str, Any]:
    """Decode one base64url JSON segment of a JWS."""
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return data


def encode_segment(data: dict[str, Any]) -> str:
    """Encode a JSON object as a base64url segment."""
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def protected_app(app: Flask) -> Flask:
    """The app plus a tiny protected ``/v1/test-notes`` resource, tenant-scoped.

    Notes are stored per tenant (partner:environment); reading another
    tenant's note is 404, exactly as the domain endpoints must behave.
    """
    from flask import Blueprint

    from gateway.api.operations import operation
    from gateway.errors import NotFound
    from gateway.principal import current_principal

    notes: dict[str, dict[str, str]] = {}
    bp = Blueprint("test_notes", __name__)

    @bp.post("/v1/test-notes/<note_id>")
    @operation(scope="events:write", status=201)
    def put_note(note_id: str) -> dict[str, str]:
        """Store a note for the caller's tenant."""
        notes[note_id] = {"id": note_id, "tenant": current_principal().tenant}
        return notes[note_id]

    @bp.get("/v1/test-notes/<note_id>")
    @operation(scope="offers:read")
    def get_note(note_id: str) -> dict[str, str]:
        """Read one of the caller's notes."""
        note = notes.get(note_id)
        if note is None or note["tenant"] != current_principal().tenant:
            raise NotFound("no such note")
        return note

    app.register_blueprint(bp)
    return app
