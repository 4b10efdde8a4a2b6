"""A browser's view of the widget API: a client token, an Origin, nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

MALL_ORIGIN = "http://127.0.0.1:5055"
APPROVE = "+8613800000001"
DECLINE = "+8613800000002"


class Browser:
    """Calls ``/widget/v1/sessions/{id}/…`` as the widget would, from ``origin``."""

    def __init__(self, client: FlaskClient, session_id: str, token: str, origin: str) -> None:
        self.client = client
        self.session_id = session_id
        self.token = token
        self.origin = origin

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Origin": self.origin}

    def get(self, path: str = "", **kwargs: Any) -> Any:
        """GET a path under the session."""
        url = f"/widget/v1/sessions/{self.session_id}{path}"
        return self.client.get(url, headers=self._headers(), **kwargs)

    def post(self, path: str, json: Any = None) -> Any:
        """POST JSON to a path under the session."""
        url = f"/widget/v1/sessions/{self.session_id}{path}"
        return self.client.post(url, json={} if json is None else json, headers=self._headers())

    def notice_versions(self) -> dict[str, str]:
        """The version of each purpose's current notice."""
        response = self.get("/notices?locale=en")
        assert response.status_code == 200, response.get_json()
        return {n["purpose"]: n["version"] for n in response.get_json()["data"]}

    def consent(self, phone: str, *purposes: str) -> Any:
        """Record the ticked purposes for ``phone``."""
        versions = self.notice_versions()
        grants = [{"purpose": p, "notice_version": versions[p]} for p in purposes]
        return self.post(
            "/consents",
            {"phone": phone, "grants": grants, "locale": "en", "page_url": self.origin + "/c"},
        )


def create_session(partner: Any, **overrides: Any) -> Any:
    """``POST /v1/checkout-sessions`` for the mall's sandbox origin."""
    body = {
        "amount": "3999.00",
        "currency": "CNY",
        "scenario": "ecommerce",
        "allowed_origin": MALL_ORIGIN,
        "merchant_order_ref": "order-1001",
    } | overrides
    return partner.post("/v1/checkout-sessions", json=body)


@pytest.fixture
def browser(client: FlaskClient, partner_api: Any) -> Browser:
    """A fresh demo-mall checkout session, seen from the mall's origin."""
    response = create_session(partner_api("demo-mall"))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    return Browser(client, created["id"], created["client_token"], MALL_ORIGIN)
