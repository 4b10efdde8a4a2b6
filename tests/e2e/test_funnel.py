"""The widget reports offer_displayed itself, so the funnel counts it (acceptance 4)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import Stack
from tests.e2e.flows import choose, see_offers, session_id_of

pytestmark = pytest.mark.e2e


def _events(stack: Stack, session_id: str) -> dict[str, set[str]]:
    from gateway.funnel.models import FunnelEvent
    from gateway.sessions import get_database
    from gateway.widget.models import CheckoutSession

    with stack.gateway_app.app_context(), get_database().new_session() as db:
        checkout = db.get(CheckoutSession, session_id)
        assert checkout is not None
        found: dict[str, set[str]] = {}
        for kind, offer_id in db.execute(
            select(FunnelEvent.type, FunnelEvent.offer_id).where(
                FunnelEvent.prequalification_id == checkout.prequalification_id
            )
        ):
            found.setdefault(kind, set()).add(offer_id)
        return found


def test_offers_on_screen_are_counted_as_displayed_and_the_confirmed_one_as_selected(
    stack: Stack, page: Any
) -> None:
    with page.expect_response(lambda r: r.url.endswith("/events/offer-displayed")) as sent:
        see_offers(page, stack, "mall", "en")
    assert sent.value.status == 201
    shown = {
        page.locator(".inst-plan").nth(i).get_attribute("data-offer-id")
        for i in range(page.locator(".inst-plan").count())
    }
    session_id = session_id_of(page)
    assert _events(stack, session_id) == {"offer_displayed": shown}
    chosen = choose(page)
    expect(page.locator(".inst-chosen")).to_be_visible()
    events = _events(stack, session_id)
    assert events["offer_selected"] == {chosen}
    assert events["offer_displayed"] == shown
