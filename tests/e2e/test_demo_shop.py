"""The demo shop's webhook receiver trusts only what the SDK verifies."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import instalments
import pytest
from flask.testing import FlaskClient

from examples.demo_shop import STOREFRONTS, create_app
from examples.demo_shop.app import ShopConfig
from examples.demo_shop.orders import Order

SECRET = "whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I="


@pytest.fixture
def shop() -> FlaskClient:
    app = create_app(
        ShopConfig(
            storefront=STOREFRONTS["mall"],
            gateway_url="http://127.0.0.1:9",
            client_id="cli_x",
            client_secret="gws_x",
            webhook_secret=SECRET,
            public_url="http://127.0.0.1:5055",
        )
    )
    order = app.extensions["demo_shop.orders"].create("headphones-x1", Decimal("3999.00"))
    order.application_id = "app_1"
    return app.test_client()


def _delivery(status: str, sequence: int) -> bytes:
    return json.dumps(
        {
            "id": f"evt_{sequence}",
            "type": f"application.{status}",
            "created_at": "2026-11-21T06:00:00Z",
            "sequence": sequence,
            "data": {
                "object": {
                    "id": "app_1",
                    "offer_id": "off_1",
                    "status": status,
                    "created_at": "2026-11-21T06:00:00Z",
                    "updated_at": "2026-11-21T06:00:00Z",
                    "decision_reasons": [],
                }
            },
        }
    ).encode()


def _post(shop: FlaskClient, body: bytes, secret: str = SECRET) -> int:
    headers = instalments.webhooks.sign(
        body, secret, msg_id=json.loads(body)["id"], timestamp=int(time.time())
    )
    response = shop.post(
        "/webhooks/instalments", data=body, headers={**headers, "Content-Type": "application/json"}
    )
    return response.status_code


def test_a_signed_delivery_updates_the_order_and_out_of_order_ones_do_not_regress_it(
    shop: FlaskClient,
) -> None:
    assert _post(shop, _delivery("approved", 2)) == 204
    assert _post(shop, _delivery("submitted", 1)) == 204
    assert _post(shop, _delivery("approved", 2)) == 204  # a repeat
    order = shop.get(f"/orders/{_order(shop).id}/status").get_json()
    assert order["application_status"] == "approved"
    assert [w["sequence"] for w in order["webhooks"]] == [1, 2]


def test_a_delivery_signed_with_another_secret_is_refused(shop: FlaskClient) -> None:
    other = "whsec_" + "b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXItb3Q="
    assert _post(shop, _delivery("approved", 2), secret=other) == 400
    # (Read from the shop's books: its status page would ask the gateway.)
    assert _order(shop).webhooks == []


def _order(shop: FlaskClient) -> Order:
    assert shop.application is not None
    found: Order | None = shop.application.extensions["demo_shop.orders"].by_application("app_1")
    assert found is not None
    return found


def test_checkout_says_instalments_are_unavailable_when_the_gateway_is_unreachable() -> None:
    config = ShopConfig(
        storefront=STOREFRONTS["travel"],
        gateway_url="http://127.0.0.1:9",  # nothing listens on the discard port
        client_id="cli_x",
        client_secret="gws_x",
        webhook_secret=None,
        public_url="http://127.0.0.1:5056",
    )
    sdk = instalments.Client(
        client_id="cli_x", client_secret="gws_x", base_url=config.gateway_url, max_retries=0
    )
    shop = create_app(config, client=sdk).test_client()
    checkout = shop.post("/orders?lang=en").headers["Location"]
    response = shop.get(checkout)
    assert response.status_code == 502
    assert "Instalments are unavailable" in response.get_data(as_text=True)
    sdk.close()


def test_the_status_page_speaks_the_pages_language_and_says_when_to_stop(
    shop: FlaskClient,
) -> None:
    order = _order(shop)
    assert _post(shop, _delivery("submitted", 1)) == 204
    zh = shop.get(f"/orders/{order.id}/status?lang=zh-CN").get_json()
    assert zh["status_text"] == "已提交，银行审核中"
    assert zh["webhooks"][0]["text"] == "银行通知：已提交，银行审核中（#1）"
    assert zh["settled"] is False
    assert _post(shop, _delivery("approved", 2)) == 204
    en = shop.get(f"/orders/{order.id}/status?lang=en").get_json()
    assert en["status_text"] == "Approved by the bank; your order is confirmed"
    assert en["settled"] is True


def test_a_settled_status_waits_for_its_webhook_before_the_page_stops() -> None:
    order = Order(id="order-1", sku="x", amount=Decimal("1.00"), application_id="app_1")
    order.application_status = "declined"  # read from the gateway, no webhook yet
    assert order.settled(expect_webhooks=True) is False
    assert order.settled(expect_webhooks=False) is True
    order.webhooks.append(
        {"id": "evt_1", "type": "application.declined", "sequence": 1, "status": "declined"}
    )
    assert order.settled(expect_webhooks=True) is True
    order.application_status = "under_review"
    assert order.settled(expect_webhooks=False) is False


def test_the_cart_carries_its_quantity_into_the_order(shop: FlaskClient) -> None:
    page = shop.get("/cart?lang=en&quantity=2").get_data(as_text=True)
    assert 'data-amount="7998.00"' in page and "data-instalments-message" in page
    created = shop.post("/orders?lang=en", data={"quantity": "3"})
    assert created.status_code == 303
    assert shop.application is not None
    orders = shop.application.extensions["demo_shop.orders"]
    order = orders.get(created.headers["Location"].split("/")[2])
    assert order is not None and order.quantity == 3 and order.amount == Decimal("11997.00")
    # Out-of-range quantities are brought back into range, never trusted.
    clamped = shop.post("/orders?lang=en", data={"quantity": "99"})
    big = orders.get(clamped.headers["Location"].split("/")[2])
    assert big is not None and big.quantity == 5
