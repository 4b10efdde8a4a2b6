"""The widget in real Chromium: declines, consent gating, partial approval and referral."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, screenshot

pytestmark = pytest.mark.e2e

APPROVE = "+8613800000001"
DECLINE = "+8613800000002"
LABELS = {
    "en": {
        "checkout": "Check out",
        "phone": "Mobile number",
        "prequalification": "I agree that the bank checks whether I am pre-approved",
        "credit_inquiry": "I authorise a credit bureau inquiry",
        "marketing": "The bank may send me offers",
        "submit": "See my instalment plans",
        "review": "Request a human review",
    },
    "zh-CN": {
        "checkout": "去结算",
        "phone": "手机号码",
        "prequalification": "我同意银行评估我是否符合预审批条件",
        "credit_inquiry": "我授权银行在我选择方案后查询征信",
        "marketing": "银行可以向我发送优惠信息",
        "submit": "查看我的分期方案",
        "review": "申请人工复核",
    },
}


def open_checkout(page: Any, stack: Stack, shop: str, lang: str) -> dict[str, str]:
    """From the storefront to the checkout page, with the widget drawn."""
    labels = LABELS[lang]
    page.goto(f"{stack.shop_url(shop)}/?lang={lang}")
    page.get_by_role("button", name=labels["checkout"]).click()
    expect(page.get_by_label(labels["phone"])).to_be_visible()
    return labels


def tick(page: Any, labels: dict[str, str], *purposes: str) -> None:
    for purpose in purposes:
        page.get_by_label(labels[purpose]).check()


def assert_no_csp_violations(page: Any) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert [m for m in page.console_errors if "Content Security Policy" in m] == []


def test_decline_persona_shows_reasons_and_can_ask_for_human_review(
    stack: Stack, page: Any
) -> None:
    labels = open_checkout(page, stack, "mall", "en")
    page.get_by_label(labels["phone"]).fill(DECLINE)
    tick(page, labels, "prequalification")
    page.get_by_role("button", name=labels["submit"]).click()
    decline = page.locator(".inst-decline")
    expect(decline).to_be_visible()
    expect(decline.get_by_role("heading")).to_have_text("We can't offer instalments for this order")
    assert decline.locator(".inst-reasons li").count() >= 1
    first_reason = decline.locator(".inst-reasons li").first
    expect(first_reason).to_have_attribute("data-code", re.compile("."))
    expect(page.locator(".inst-plan")).to_have_count(0)
    screenshot(page, "mall-decline-en")
    decline.get_by_role("button", name=labels["review"]).click()
    expect(decline.locator(".inst-review-status")).to_have_text(re.compile("Review requested"))


def test_without_the_required_consent_no_prequalification_request_leaves_the_browser(
    stack: Stack, page: Any
) -> None:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.method} {r.url}"))
    labels = open_checkout(page, stack, "travel", "en")
    page.get_by_label(labels["phone"]).fill(APPROVE)
    tick(page, labels, "credit_inquiry", "marketing")
    submit = page.get_by_role("button", name=labels["submit"])
    expect(submit).to_be_disabled()
    # Every way a customer could try: the button, Enter in the phone field, and
    # a script forcing the form's submit event.
    submit.click(force=True)
    page.get_by_label(labels["phone"]).press("Enter")
    page.evaluate(
        "document.querySelector('#instalments form').dispatchEvent("
        "new Event('submit', {cancelable: true}))"
    )
    alert = page.locator("#instalments [role=alert]")
    expect(alert).to_have_text("Tick the first box to continue.")
    page.wait_for_timeout(500)
    assert [r for r in sent if "/prequalification" in r or "/consents" in r] == []
    # Ticking it is what lets the request go.
    tick(page, labels, "prequalification")
    with page.expect_request(re.compile(r"/prequalification$")):
        submit.click()
    expect(page.locator(".inst-plan").first).to_be_visible()


def test_partial_approval_says_what_to_pay_now_and_referral_says_a_person_will_look(
    stack: Stack, page: Any
) -> None:
    labels = open_checkout(page, stack, "mall", "en")
    page.get_by_label(labels["phone"]).fill("+8613800000004")
    tick(page, labels, "prequalification")
    page.get_by_role("button", name=labels["submit"]).click()
    expect(page.locator(".inst-note")).to_have_text(
        re.compile(r"^The bank can lend .+ of your .+ order: pay .+ now")
    )
    expect(page.locator(".inst-plan").first).to_be_visible()
    labels = open_checkout(page, stack, "mall", "en")
    page.get_by_label(labels["phone"]).fill("+8613800000003")
    tick(page, labels, "prequalification")
    page.get_by_role("button", name=labels["submit"]).click()
    heading = page.get_by_role("heading", name="The bank needs to look at your request")
    expect(heading).to_be_visible()
    # Already with a person: no button asking for one, and no reasons to contradict it.
    expect(page.get_by_role("button", name=labels["review"])).to_have_count(0)
    expect(page.get_by_role("button", name="Pay another way")).to_be_visible()
