"""A partner whose clock is off by ±60 s still authenticates with ``private_key_jwt``.

docs/authentication.md: "the gateway allows 60 seconds either way: an
assertion whose ``exp`` passed less than 60 s ago is still accepted, and
``exp`` may be up to 5 min + 60 s ahead of the gateway's clock." A client
builds every time claim (``iat``, ``nbf``, ``exp``) from its own skewed clock,
as a real client library does; past the documented skew it is refused.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from authlib.oauth2.rfc7523.client import ASSERTION_TYPE
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import ECKey
from sqlalchemy.orm import Session

from gateway.oauth import credentials
from gateway.partners import services as partners
from gateway.partners.config import PartnerConfig
from tests.gateway.partners.samples import environment, partner_config

KID = "skewed-key-1"


@pytest.fixture
def skewed_partner(db_session: Session) -> tuple[str, ECKey]:
    """A ``private_key_jwt`` sandbox client: its id and its private key."""
    key = ECKey.generate_key("P-256", private=True, parameters={"kid": KID})
    jwks = {"keys": [{**key.as_dict(private=False), "kid": KID}]}
    config = partner_config("skewed", sandbox=environment("private_key_jwt", jwks=jwks))
    partners.apply(db_session, {"skewed": PartnerConfig.model_validate(config)})
    db_session.commit()
    issued = credentials.issue(db_session, "skewed", "sandbox")
    db_session.commit()
    return issued.client_id, key


def _token_request(
    client: FlaskClient, client_id: str, key: ECKey, skew: int, lifetime: int
) -> Any:
    client_now = int(time.time()) + skew
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": "http://localhost/oauth/token",
        "jti": uuid.uuid4().hex,
        "iat": client_now,
        "nbf": client_now,
        "exp": client_now + lifetime,
    }
    assertion = jwt.encode({"alg": "ES256", "kid": KID}, claims, key)
    return client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        },
    )


@pytest.mark.parametrize(
    ("skew", "lifetime"),
    [
        (+60, 300),  # ahead: exp is 5 min + 60 s ahead of the gateway, iat/nbf 60 s ahead
        (+60, 30),
        (-60, 30),  # behind: exp passed 30 s ago by the gateway's clock
        (-60, 300),
    ],
)
def test_assertions_from_a_clock_60_seconds_off_are_accepted(
    client: FlaskClient, skewed_partner: tuple[str, ECKey], skew: int, lifetime: int
) -> None:
    client_id, key = skewed_partner
    response = _token_request(client, client_id, key, skew, lifetime)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["token_type"].lower() == "bearer"


@pytest.mark.parametrize(
    ("skew", "lifetime"),
    [
        (+90, 300),  # exp 6.5 min ahead: beyond 5 min + 60 s
        (-90, 20),  # exp passed 70 s ago: beyond the 60 s allowed
    ],
)
def test_assertions_from_a_clock_further_off_are_refused(
    client: FlaskClient, skewed_partner: tuple[str, ECKey], skew: int, lifetime: int
) -> None:
    client_id, key = skewed_partner
    response = _token_request(client, client_id, key, skew, lifetime)
    # Every client-authentication failure is the same 401 invalid_client
    # (docs/authentication.md; issue 22 made assertion failures agree with it).
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.json["error"] == "invalid_client"
