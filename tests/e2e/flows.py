"""Steps of a shopper's checkout that several browser tests share."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import Stack
from tests.e2e.test_checkout import APPROVE, open_checkout, tick


def see_offers(
    page: Any,
    stack: Stack,
    shop: str,
    lang: str,
    phone: str = APPROVE,
    purposes: tuple[str, ...] = ("prequalification", "credit_inquiry"),
) -> dict[str, str]:
    """Checkout → phone and consents → the decision is drawn (plans, or a decline)."""
    labels = open_checkout(page, stack, shop, lang)
    page.get_by_label(labels["phone"]).fill(phone)
    tick(page, labels, *purposes)
    page.get_by_role("button", name=labels["submit"]).click()
    expect(page.locator(".inst-result-title").first).to_be_visible()
    return labels


def choose(page: Any, index: int = 0) -> str:
    """Choose the ``index``-th plan and confirm it; returns the offer the page then shows."""
    card = page.locator(".inst-plan").nth(index)
    offer_id: str = card.get_attribute("data-offer-id")
    card.locator(".inst-choose").click()
    expect(page.locator(".inst-confirm")).to_be_visible()
    page.locator(".inst-confirm-button").click()
    chosen = page.locator(".inst-chosen")
    expect(chosen).to_have_attribute("data-offer-id", re.compile(r"^off_"))
    return offer_id


def applications_of(stack: Stack, session_id: str) -> list[Any]:
    """The applications booked for a checkout session's decision, read from the gateway."""
    from gateway.applications.models import Application
    from gateway.sessions import get_database
    from gateway.widget.models import CheckoutSession

    with stack.gateway_app.app_context(), get_database().new_session() as db:
        checkout = db.get(CheckoutSession, session_id)
        assert checkout is not None and checkout.prequalification_id is not None
        return list(
            db.scalars(
                select(Application).where(
                    Application.prequalification_id == checkout.prequalification_id
                )
            )
        )


def session_id_of(page: Any) -> str:
    """The checkout session of the widget on the page (the client token's ``sub``)."""
    token = page.locator("#instalments").get_attribute("data-client-token")
    session: str = page.evaluate(
        "t => JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub",
        token,
    )
    return session
