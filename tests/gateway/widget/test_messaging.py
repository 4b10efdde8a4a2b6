"""On-site messaging: public, cacheable, no customer data, rate limited (acceptance 3)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

KEYS = {
    "partner",
    "amount",
    "currency",
    "available",
    "monthly_payment_from",
    "tenor_months",
    "apr_from",
    "interest_free_available",
}


def _quote(client: FlaskClient, amount: str, partner: str = "demo-mall") -> Any:
    return client.get(f"/widget/v1/messages?partner={partner}&amount={amount}")


def test_the_message_holds_the_quote_and_nothing_about_anyone(
    client: FlaskClient, demo_partners: list[str]
) -> None:
    response = _quote(client, "3999.00")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == KEYS
    assert body["available"] is True
    assert body["amount"] == "3999.00" and body["currency"] == "CNY"
    assert body["interest_free_available"] is True
    assert body["tenor_months"] == 24


def test_the_quote_follows_the_amount(client: FlaskClient, demo_partners: list[str]) -> None:
    one = _quote(client, "3999.00").get_json()
    two = _quote(client, "7998.00").get_json()
    assert float(two["monthly_payment_from"]) > float(one["monthly_payment_from"])


def test_the_message_is_public_and_cacheable(client: FlaskClient, demo_partners: list[str]) -> None:
    response = _quote(client, "3999.00")
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=300" in response.headers["Cache-Control"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    again = client.get(
        "/widget/v1/messages?partner=demo-mall&amount=3999.00",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_an_amount_no_product_lends_is_not_available(
    client: FlaskClient, demo_partners: list[str]
) -> None:
    body = _quote(client, "10.00").get_json()
    assert body["available"] is False and body["monthly_payment_from"] is None


def test_bad_input_and_unknown_partners_are_problems(
    client: FlaskClient, demo_partners: list[str]
) -> None:
    assert _quote(client, "12.345").status_code == 422
    assert _quote(client, "-1").status_code == 422
    assert _quote(client, "3999.00", partner="nobody-here").status_code == 404
    assert client.get("/widget/v1/messages?amount=3999.00").status_code == 422
