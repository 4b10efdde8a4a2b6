"""GET /v1/products: limits and the "from X/month" teaser, per partner."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gateway.partners.services import get_partner
from gateway.prequal.pricing import teaser
from gateway.prequal.products import terms_of


def test_products_list_limits_and_teaser_at_the_amount(partner_api: Any, db_session: Any) -> None:
    api = partner_api("demo-mall")
    response = api.get("/v1/products?amount=3999.00&currency=CNY")
    assert response.status_code == 200, response.get_json()
    product = response.get_json()["data"][0]
    assert product["code"] == "mall_instalments"
    assert product["name"]["zh-CN"]
    assert product["min_amount"] == "500.00"
    expected = teaser(
        terms_of(get_partner(db_session, "demo-mall").config.products[0]), Decimal("3999.00")
    )
    assert expected is not None
    assert product["teaser"]["monthly_payment_from"] == f"{expected.monthly_payment_from:.2f}"
    assert product["teaser"]["tenor_months"] == expected.tenor_months


def test_amount_outside_limits_has_no_teaser(partner_api: Any) -> None:
    body = partner_api("demo-mall").get("/v1/products?amount=999999.00").get_json()
    assert body["data"][0]["teaser"] is None


def test_each_partner_sees_its_own_products(partner_api: Any) -> None:
    codes = {p["code"] for p in partner_api("demo-academy").get("/v1/products").get_json()["data"]}
    assert "mall_instalments" not in codes
    assert codes


def test_bad_amount_is_422_naming_it(partner_api: Any) -> None:
    response = partner_api("demo-mall").get("/v1/products?amount=abc")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "amount"


def test_products_need_offers_read_scope(partner_api: Any, client: Any) -> None:
    token = partner_api("demo-mall").token(scope="events:write")
    response = client.get("/v1/products", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
