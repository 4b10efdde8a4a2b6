"""The customer's whole journey in real Chromium, for each storefront (acceptance 1 and 2).

checkout → tick consents → offers appear → select → the shop's server accepts
with the SDK → the gateway's webhook reaches the shop → the page shows it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, screenshot
from tests.e2e.test_checkout import APPROVE, assert_no_csp_violations, open_checkout, tick

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("shop", "lang"), [("mall", "zh-CN"), ("travel", "en"), ("academy", "zh-CN")]
)
def test_checkout_consent_offers_select_accept_and_webhook(
    stack: Stack, page: Any, shop: str, lang: str
) -> None:
    labels = open_checkout(page, stack, shop, lang)
    boxes = page.locator("#instalments input[type=checkbox]")
    expect(boxes).to_have_count(3)
    for index in range(3):
        expect(boxes.nth(index)).not_to_be_checked()
    page.get_by_label(labels["phone"]).fill(APPROVE)
    tick(page, labels, "prequalification", "credit_inquiry")
    screenshot(page, f"{shop}-consent-{lang}")
    page.get_by_role("button", name=labels["submit"]).click()
    offers = page.locator(".inst-plan")
    expect(offers.first).to_be_visible()
    assert offers.count() >= 2
    first = offers.first
    # Monthly payment first, then APR and total cost; the schedule opens on demand.
    expect(first.locator(".inst-monthly-amount")).to_have_text(re.compile(r"\d"))
    expect(first.locator(".inst-apr")).to_have_text(re.compile(r"^\d+\.\d{2}%$"))
    schedule = first.locator("details.inst-schedule")
    schedule.locator("summary").click()
    expect(schedule.locator("tbody tr").first).to_be_visible()
    screenshot(page, f"{shop}-offers-{lang}")
    first.locator(".inst-choose").click()
    page.locator(".inst-confirm-button").click()
    outcome = page.locator("#order-outcome")
    expect(outcome).to_be_visible()
    expect(page.locator("#application-id")).to_have_text(re.compile(r"^app_"))
    expect(page.locator(".shop-webhook[data-type='application.approved']")).to_be_visible(
        timeout=30_000
    )
    expect(outcome).to_have_attribute("data-status", re.compile("approved|funded"))
    outcome.scroll_into_view_if_needed()
    screenshot(page, f"{shop}-outcome-{lang}", full_page=False)
    assert_no_csp_violations(page)


def test_the_checkout_page_stops_polling_once_the_order_is_settled(stack: Stack, page: Any) -> None:
    labels = open_checkout(page, stack, "mall", "zh-CN")
    page.get_by_label(labels["phone"]).fill(APPROVE)
    tick(page, labels, "prequalification", "credit_inquiry")
    page.get_by_role("button", name=labels["submit"]).click()
    page.locator(".inst-plan").first.locator(".inst-choose").click()
    page.locator(".inst-confirm-button").click()
    outcome = page.locator("#order-outcome")
    expect(outcome).to_have_attribute("data-settled", "true", timeout=30_000)
    expect(page.locator("#application-status")).to_have_text("银行已批准，订单已确认")
    expect(page.locator(".shop-webhook").last).to_have_text(re.compile(r"^银行通知："))
    polled: list[str] = []
    page.on("request", lambda r: polled.append(r.url) if "/status" in r.url else None)
    page.wait_for_timeout(2500)  # more than two polling periods
    assert polled == []
