"""Accessibility and small screens (acceptance 2): axe-core on every state of the
checkout, no horizontal overflow at 360 px, the plans on a phone's first screen."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Stack, axe_violations, open_page, screenshot
from tests.e2e.flows import choose, see_offers
from tests.e2e.test_checkout import APPROVE, DECLINE, open_checkout, tick

pytestmark = pytest.mark.e2e
REFER = "+8613800000003"
PARTIAL = "+8613800000004"
FINAL_DECLINE = "+8613800000005"


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    """A page whose CSP lets the test add axe-core (from the local file) inline."""
    tab = open_page(browser, bypass_csp=True)
    try:
        yield tab
    finally:
        tab.context.close()


def _consent(page: Any, stack: Stack) -> None:
    labels = open_checkout(page, stack, "mall", "zh-CN")
    page.get_by_label(labels["phone"]).fill(APPROVE)
    tick(page, labels, "prequalification", "credit_inquiry")


def _phone_error(page: Any, stack: Stack) -> None:
    labels = open_checkout(page, stack, "mall", "zh-CN")
    page.get_by_label(labels["phone"]).fill("12345")
    tick(page, labels, "prequalification")
    page.get_by_role("button", name=labels["submit"]).click()
    phone = page.get_by_label(labels["phone"])
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".inst-error")).to_have_text(re.compile("请输入 11 位手机号码"))


def _offers(page: Any, stack: Stack) -> None:
    see_offers(page, stack, "mall", "zh-CN")
    page.locator(".inst-plan").first.locator(".inst-schedule summary").click()


def _confirm(page: Any, stack: Stack) -> None:
    see_offers(page, stack, "travel", "en")
    page.locator(".inst-plan").first.locator(".inst-choose").click()
    expect(page.locator(".inst-confirm")).to_be_visible()


def _approved(page: Any, stack: Stack) -> None:
    see_offers(page, stack, "mall", "en")
    choose(page)
    expect(page.locator(".inst-chosen")).to_have_attribute(
        "data-application-status", "approved", timeout=30_000
    )


def _final_decline(page: Any, stack: Stack) -> None:
    see_offers(page, stack, "mall", "zh-CN", phone=FINAL_DECLINE)
    choose(page)
    chosen = page.locator(".inst-chosen")
    expect(chosen).to_have_attribute("data-application-status", "declined", timeout=30_000)
    expect(chosen.locator(".inst-app-status")).to_have_text(re.compile("最终审核中未能批准"))
    chosen.get_by_role("button", name="使用其他方式支付").click()
    expect(page.locator("#pay-another-way")).to_be_visible()


def _decline(page: Any, stack: Stack) -> None:
    see_offers(page, stack, "academy", "en", phone=DECLINE, purposes=("prequalification",))
    expect(page.locator(".inst-decline")).to_be_visible()
    expect(page.get_by_role("button", name="Pay another way")).to_be_visible()


def _referred(page: Any, stack: Stack) -> None:
    see_offers(page, stack, "travel", "zh-CN", phone=REFER, purposes=("prequalification",))
    expect(page.locator(".inst-decline[data-status=referred]")).to_be_visible()


def _partial(page: Any, stack: Stack) -> None:
    see_offers(page, stack, "academy", "zh-CN", phone=PARTIAL)
    expect(page.locator(".inst-note")).to_have_text(re.compile("银行可分期"))


def _expired(page: Any, stack: Stack) -> None:
    problem = {"type": "about:blank", "status": 401, "code": "invalid_client_token"}

    def expire(route: Any) -> None:
        route.fulfill(
            status=401,
            content_type="application/problem+json",
            headers={"Access-Control-Allow-Origin": stack.shop_url("mall")},
            body=json.dumps(problem),
        )

    page.route(re.compile(r"/widget/v1/sessions/[^/]+$"), expire)
    page.goto(f"{stack.shop_url('mall')}/?lang=zh-CN")
    page.get_by_role("button", name="去结算").click()
    alert = page.locator("#instalments [role=alert]")
    expect(alert).to_have_text("本次结账已过期，请刷新页面重新开始。")


STATES: dict[str, Callable[[Any, Stack], None]] = {
    "consent": _consent,
    "phone-error": _phone_error,
    "offers": _offers,
    "confirm": _confirm,
    "approved": _approved,
    "final-decline": _final_decline,
    "declined": _decline,
    "referred": _referred,
    "partial": _partial,
    "expired": _expired,
}


@pytest.mark.parametrize("state", list(STATES))
def test_axe_finds_no_serious_or_critical_violations(
    stack: Stack, axe_page: Any, axe: Path, state: str
) -> None:
    STATES[state](axe_page, stack)
    violations = axe_violations(axe_page, axe)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def _overflow(page: Any) -> list[str]:
    """Elements of the widget reaching past the viewport's right edge (scrolling tables aside)."""
    found: list[str] = page.evaluate(
        """() => {
            const root = document.documentElement;
            const width = root.clientWidth;
            const out = [];
            if (root.scrollWidth > width) out.push("page " + root.scrollWidth);
            for (const node of document.querySelectorAll("#instalments *")) {
                if (node.closest(".inst-table")) continue;
                const box = node.getBoundingClientRect();
                if (box.width && box.right > width + 0.5) out.push(node.className || node.tagName);
            }
            return out;
        }"""
    )
    return found


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_at_360_px_nothing_overflows_sideways(stack: Stack, browser: Any, lang: str) -> None:
    page = open_page(browser, 360, 740)
    try:
        see_offers(page, stack, "academy", lang)
        page.locator(".inst-plan").first.locator(".inst-schedule summary").click()
        page.locator(".inst-folded > summary").click()  # the notices, unfolded
        assert _overflow(page) == [], _overflow(page)[:40]
        screenshot(page, f"widget-360-offers-{lang}")
        page.locator(".inst-plan").first.locator(".inst-choose").click()
        assert _overflow(page) == [], _overflow(page)[:40]
        page.locator(".inst-confirm-button").click()
        expect(page.locator(".inst-chosen")).to_be_visible()
        assert _overflow(page) == [], _overflow(page)[:40]
        page.locator(".inst-chosen").scroll_into_view_if_needed()
        screenshot(page, f"widget-360-chosen-{lang}", full_page=False)
    finally:
        page.context.close()


def test_on_a_390_by_844_phone_the_plans_start_on_the_first_screen(
    stack: Stack, browser: Any
) -> None:
    page = open_page(browser, 390, 844)
    try:
        see_offers(page, stack, "mall", "zh-CN")
        top = page.evaluate(
            "document.querySelector('.inst-plan').getBoundingClientRect().top + window.scrollY"
        )
        assert top < 844 - 120, f"the first plan starts at {top}px"
        # The notices are folded into one line, each still openable.
        folded = page.locator(".inst-folded")
        expect(folded).not_to_have_attribute("open", "")
        folded.locator("> summary").click()
        expect(page.locator(".inst-notice")).to_have_count(3)
        expect(page.locator(".inst-notice").first).to_be_visible()
    finally:
        page.context.close()
