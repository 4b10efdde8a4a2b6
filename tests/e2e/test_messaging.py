"""On-site messaging on the demo shop's product and cart pages (acceptance 3)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e


def test_the_product_page_says_from_how_much_a_month(stack: Stack, page: Any) -> None:
    page.goto(f"{stack.shop_url('travel')}/?lang=zh-CN")
    message = page.locator("[data-instalments-message]")
    expect(message).to_have_text(re.compile(r"^分期低至 ¥[\d,]+\.\d{2}/月 · "))
    page.goto(f"{stack.shop_url('travel')}/?lang=en")
    expect(message).to_have_text(re.compile(r"^From ¥[\d,]+\.\d{2}/month · "))


def test_the_cart_message_follows_the_amount_and_asks_only_for_partner_and_amount(
    stack: Stack, page: Any
) -> None:
    asked: list[Any] = []
    page.on("request", lambda r: asked.append(r) if "/widget/v1/messages?" in r.url else None)
    page.goto(f"{stack.shop_url('mall')}/cart?lang=en")
    message = page.locator("#cart-message")
    expect(message).to_have_attribute("data-monthly-from", re.compile(r"^\d+\.\d{2}$"))
    one = message.get_attribute("data-monthly-from")
    first_text = message.text_content()
    page.locator("#quantity").fill("3")
    expect(message).to_have_attribute("data-amount", "11997.00")
    expect(message).not_to_have_attribute("data-monthly-from", one or "")
    three = message.get_attribute("data-monthly-from")
    assert float(three or 0) > float(one or 0)
    assert message.text_content() != first_text
    assert len(asked) == 2
    for request in asked:
        assert set(parse_qs(urlsplit(request.url).query)) == {"partner", "amount"}
        assert "authorization" not in request.headers and "cookie" not in request.headers
        response = request.response()
        assert "public" in response.headers["cache-control"]
    # Checking out carries the cart's amount into the widget.
    page.get_by_role("button", name="Check out").click()
    expect(page.locator(".inst-amount strong")).to_have_text("¥11,997.00")
