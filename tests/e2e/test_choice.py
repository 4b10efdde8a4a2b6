"""Booking exactly the plan shown (acceptance 1): one choice in flight, under 300 ms of
network latency; the choice survives back, forward and reload; confirm and back by keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Stack
from tests.e2e.flows import applications_of, choose, see_offers, session_id_of

pytestmark = pytest.mark.e2e
LATENCY_MS = 300


def add_latency(page: Any, latency_ms: int = LATENCY_MS) -> None:
    """Every request of the page takes ``latency_ms`` more, as on a slow mobile network."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def test_two_fast_taps_on_two_plans_book_one_application_for_the_plan_shown(
    stack: Stack, page: Any
) -> None:
    see_offers(page, stack, "mall", "zh-CN")
    add_latency(page)
    plans = page.locator(".inst-plan")
    assert plans.count() >= 2
    first = plans.nth(0).get_attribute("data-offer-id")
    second = plans.nth(1).get_attribute("data-offer-id")
    plans.nth(0).locator(".inst-choose").click()
    selects: list[str] = []
    page.on(
        "request",
        lambda r: selects.append(r.url) if r.method == "POST" and "/select" in r.url else None,
    )
    # Confirm, then 200 ms later (the answer still on its way) the second tap, by
    # every route a customer or a double-firing touch screen has: the other
    # plan's button, the confirm button again, and the back button.
    in_flight = page.evaluate(
        """async () => {
            const confirm = document.querySelector(".inst-confirm-button");
            const back = document.querySelector(".inst-confirm .inst-secondary");
            const other = document.querySelectorAll(".inst-plan")[1].querySelector(".inst-choose");
            confirm.click();
            await new Promise(done => setTimeout(done, 200));
            const waiting = confirm.isConnected && confirm.disabled && other.disabled;
            other.click();
            confirm.click();
            back.click();
            return waiting;
        }"""
    )
    assert in_flight, "the choice was not in flight 200 ms after the tap"
    # A second tab of the same checkout races for the other plan: the server says no.
    raced = page.evaluate(
        """async ([gateway, session, offer, token]) => {
            const url = `${gateway}/widget/v1/sessions/${session}/offers/${offer}/select?tab=2`;
            const r = await fetch(url,
                {method: "POST", headers: {Authorization: `Bearer ${token}`}});
            return [r.status, (await r.json()).code];
        }""",
        [
            stack.gateway.url,
            session_id_of(page),
            second,
            page.locator("#instalments").get_attribute("data-client-token"),
        ],
    )
    assert raced == [409, "offer_already_selected"]
    chosen = page.locator(".inst-chosen")
    expect(chosen).to_have_attribute("data-offer-id", first)
    expect(page.locator(".inst-result-title")).to_have_text(re.compile(r"^您的方案："))
    expect(page.locator("#application-id")).to_have_text(re.compile(r"^app_"))
    assert [url for url in selects if "tab=2" not in url] == [
        f"{stack.gateway.url}/widget/v1/sessions/{session_id_of(page)}/offers/{first}/select"
    ]
    booked = applications_of(stack, session_id_of(page))
    assert [a.offer_id for a in booked] == [first]
    assert page.locator(".inst-plan").count() == 0  # no other plan looks chosen or choosable


def test_back_forward_and_reload_after_choosing_show_the_chosen_plan(
    stack: Stack, page: Any
) -> None:
    see_offers(page, stack, "travel", "en")
    add_latency(page)
    offer_id = choose(page, 1)
    expect(page.locator("#application-id")).to_have_text(re.compile(r"^app_"))
    title = page.locator(".inst-result-title").text_content()
    for step in ("reload", "back-forward"):
        if step == "reload":
            page.reload()
        else:
            page.go_back()
            expect(page.locator(".shop-item")).to_be_visible()
            page.go_forward()
        chosen = page.locator(".inst-chosen")
        expect(chosen).to_have_attribute("data-offer-id", offer_id)
        expect(page.locator(".inst-result-title")).to_have_text(title or "")
        expect(page.locator(".inst-plan")).to_have_count(0)
        expect(page.locator("#application-id")).to_have_text(re.compile(r"^app_"))
    assert len(applications_of(stack, session_id_of(page))) == 1


def test_confirm_and_back_work_by_keyboard(stack: Stack, page: Any) -> None:
    see_offers(page, stack, "academy", "en")
    # Focus is on the result heading; Tab reaches the first plan's choice.
    assert page.evaluate("document.activeElement.tagName") == "H3"
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('inst-choose')"):
            break
    choose_text = page.evaluate("document.activeElement.textContent")
    assert choose_text.startswith("Choose ")
    page.keyboard.press("Enter")
    expect(page.locator(".inst-confirm")).to_be_visible()
    assert page.evaluate("document.activeElement.textContent") == "Confirm your plan"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Confirm and apply"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Back to the plans"
    page.keyboard.press("Enter")  # back: the plans again, focus where it was
    expect(page.locator(".inst-offers")).to_be_visible()
    expect(page.locator(".inst-confirm")).to_be_hidden()
    assert page.evaluate("document.activeElement.textContent") == choose_text
    assert page.locator("#application-id").text_content() == ""
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # confirm
    expect(page.locator(".inst-chosen")).to_be_visible()
    expect(page.locator("#application-id")).to_have_text(re.compile(r"^app_"))


def test_after_a_reload_choosing_asks_for_the_credit_inquiry_box_and_the_number_again(
    stack: Stack, page: Any
) -> None:
    labels = see_offers(page, stack, "mall", "en", purposes=("prequalification",))
    page.reload()
    expect(page.locator(".inst-plan").first).to_be_visible()
    first = page.locator(".inst-plan").first
    first.locator(".inst-choose").click()
    expect(page.locator(".inst-result [role=alert]").first).to_have_text(
        "To choose a plan, tick the credit inquiry box above."
    )
    box = page.get_by_label(labels["credit_inquiry"])
    expect(box).to_be_focused()
    box.check()
    first.locator(".inst-choose").click()
    phone = page.get_by_label(labels["phone"])
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_be_focused()
    phone.fill("+86 138 0000 0001")
    first.locator(".inst-choose").click()
    page.locator(".inst-confirm-button").click()
    expect(page.locator(".inst-chosen")).to_be_visible()
    expect(page.locator("#application-id")).to_have_text(re.compile(r"^app_"))
