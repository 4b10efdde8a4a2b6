"""The SDK's DPoP path against the real gateway: bound tokens, proofs, server nonces."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import instalments
import pytest
from flask import Flask
from instalments import Client
from joserfc.jwk import ECKey
from sqlalchemy.orm import Session

from gateway.config import Settings
from gateway.oauth import credentials
from gateway.partners import services as partners
from gateway.partners.config import PartnerConfig
from tests.gateway.partners.samples import environment, partner_config

from .conftest import IN_PROCESS_URL


@pytest.fixture
def dpop_credentials(db_session: Session) -> tuple[str, str]:
    """A sandbox partner whose config says ``token_binding: dpop``."""
    data = partner_config("dpop-shop", sandbox=environment(token_binding="dpop"))
    partners.apply(db_session, {"dpop-shop": PartnerConfig.model_validate(data)})
    db_session.commit()
    issued = credentials.issue(db_session, "dpop-shop", "sandbox")
    db_session.commit()
    assert issued.client_secret is not None
    return issued.client_id, issued.client_secret


@pytest.fixture
def dpop_key() -> ECKey:
    return ECKey.generate_key("P-256", private=True)


@pytest.fixture
def dpop_sdk(app: Flask, dpop_credentials: tuple[str, str], dpop_key: ECKey) -> Iterator[Client]:
    client_id, secret = dpop_credentials
    with Client(
        client_id=client_id,
        client_secret=secret,
        base_url=IN_PROCESS_URL,
        http_client=httpx.Client(transport=httpx.WSGITransport(app=app)),
        dpop_key=dpop_key.as_dict(private=True),
    ) as client:
        yield client


def _use_the_api(client: Client) -> None:
    products = client.products.list(amount=Decimal("3999.00"), currency="CNY")
    assert products.data
    notice = client.consent_notices.retrieve("prequalification")
    assert notice.purpose == "prequalification"


def test_the_sdk_calls_the_gateway_with_a_dpop_bound_token(app: Flask, dpop_sdk: Client) -> None:
    _use_the_api(dpop_sdk)
    token = dpop_sdk._auth._token
    assert token is not None
    # The token alone, without the key, is worth nothing.
    stolen = httpx.Client(transport=httpx.WSGITransport(app=app))
    for scheme in ("Bearer", "DPoP"):
        response = stolen.get(
            f"{IN_PROCESS_URL}/v1/products", headers={"Authorization": f"{scheme} {token}"}
        )
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("DPoP ")


def test_without_its_key_the_sdk_gets_no_token(
    app: Flask, dpop_credentials: tuple[str, str]
) -> None:
    client_id, secret = dpop_credentials
    client = Client(
        client_id=client_id,
        client_secret=secret,
        base_url=IN_PROCESS_URL,
        http_client=httpx.Client(transport=httpx.WSGITransport(app=app)),
    )
    with pytest.raises(instalments.APIStatusError) as refused:
        client.products.list()
    assert refused.value.status_code == 400


class TestWithServerNonces:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.replace(dpop_require_nonce=True)

    def test_the_sdk_picks_up_the_nonce_and_retries(self, dpop_sdk: Client) -> None:
        _use_the_api(dpop_sdk)
        assert dpop_sdk._auth._dpop is not None
        assert dpop_sdk._auth._dpop.nonce
