"""Acceptance 4: a client token from a foreign origin, after expiry, or on the API is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient

from gateway.widget import tokens
from gateway.widget.models import CheckoutSession
from tests.gateway.widget.conftest import APPROVE, MALL_ORIGIN, Browser, create_session


def test_a_foreign_origin_is_refused_with_403_and_no_cors_headers(browser: Browser) -> None:
    browser.origin = "https://evil.example"
    response = browser.get("/notices")
    assert response.status_code == 403
    assert response.get_json()["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_request_without_origin_is_refused(browser: Browser, client: FlaskClient) -> None:
    response = client.get(
        f"/widget/v1/sessions/{browser.session_id}",
        headers={"Authorization": f"Bearer {browser.token}"},
    )
    assert response.status_code == 403


def test_the_allowed_origin_gets_cors_headers_even_on_errors(browser: Browser) -> None:
    ok = browser.get()
    assert ok.headers["Access-Control-Allow-Origin"] == MALL_ORIGIN
    assert "Origin" in ok.headers["Vary"]
    refused = browser.post("/prequalification")
    assert refused.status_code == 403
    assert refused.headers["Access-Control-Allow-Origin"] == MALL_ORIGIN


@pytest.mark.parametrize(
    ("origin", "allowed"), [(MALL_ORIGIN, True), ("http://localhost:5055", False)]
)
def test_preflight_answers_only_the_sessions_origin(
    browser: Browser, client: FlaskClient, origin: str, allowed: bool
) -> None:
    response = client.options(
        f"/widget/v1/sessions/{browser.session_id}/consents",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    if allowed:
        assert response.status_code == 204
        assert response.headers["Access-Control-Allow-Origin"] == origin
        assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    else:
        assert response.status_code == 403
        assert "Access-Control-Allow-Origin" not in response.headers


def test_an_expired_client_token_is_refused(browser: Browser, app: Any) -> None:
    database = app.extensions["gateway.db"]
    with app.app_context():
        db = database.new_session()
        checkout = db.get(CheckoutSession, browser.session_id)
        assert checkout is not None
        with pytest.raises(tokens.ClientTokenRefused, match="expired"):
            tokens.authenticate(
                db,
                browser.token,
                session_id=browser.session_id,
                origin=MALL_ORIGIN,
                issuer="http://localhost",
                now=checkout.expires_at + dt.timedelta(seconds=tokens.LEEWAY + 1),
            )
        db.close()


def test_an_expired_client_token_is_401_over_http(browser: Browser, app: Any) -> None:
    database = app.extensions["gateway.db"]
    with app.app_context():
        db = database.new_session()
        checkout = db.get(CheckoutSession, browser.session_id)
        assert checkout is not None
        checkout.created_at -= dt.timedelta(minutes=20)
        checkout.expires_at -= dt.timedelta(minutes=20)
        browser.token = tokens.mint(db, checkout, issuer="http://localhost")
        db.commit()
        db.close()
    response = browser.get()
    assert response.status_code == 401
    assert response.get_json()["code"] == "invalid_client_token"


def test_a_token_for_one_session_cannot_reach_another(
    browser: Browser, partner_api: Any, client: FlaskClient
) -> None:
    other = create_session(partner_api("demo-mall")).get_json()
    intruder = Browser(client, other["id"], browser.token, MALL_ORIGIN)
    assert intruder.get().status_code == 401


def test_a_tampered_client_token_is_refused(browser: Browser) -> None:
    head, payload, signature = browser.token.split(".")
    browser.token = ".".join((head, payload, signature[::-1]))
    assert browser.get().status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/v1/offers/{offer}/accept"),
        ("get", "/v1/offers/{offer}"),
        ("get", "/v1/prequalifications/{pq}"),
        ("post", "/v1/prequalifications"),
        ("post", "/v1/consents"),
        ("post", "/v1/checkout-sessions"),
    ],
)
def test_the_client_token_opens_no_partner_endpoint(
    browser: Browser, client: FlaskClient, method: str, path: str
) -> None:
    browser.consent(APPROVE, "prequalification", "credit_inquiry")
    decision = browser.post("/prequalification").get_json()
    offer = decision["offers"][0]["id"]
    url = path.format(offer=offer, pq=decision["id"])
    body = (
        {"decision_token": "x", "credit_inquiry_consent_id": "cns_x"} if method == "post" else None
    )
    response = getattr(client, method)(
        url,
        json=body,
        headers={"Authorization": f"Bearer {browser.token}", "Origin": MALL_ORIGIN},
    )
    assert response.status_code == 401
    assert response.get_json()["code"] == "invalid_token"
