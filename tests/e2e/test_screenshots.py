"""The docs' pictures of the checkout (acceptance 5), taken from the real widget.

Every run writes them under ``test-artifacts/e2e/``; with
``INSTALMENTS_UPDATE_DOC_IMAGES=1`` they also replace ``docs/images/``, which
README.md and docs/widget.md show: desktop and mobile, zh-CN and en.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, Stack, open_page
from tests.e2e.flows import see_offers
from tests.e2e.test_checkout import APPROVE, DECLINE, open_checkout, tick

pytestmark = pytest.mark.e2e
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
DEVICES = {"desktop": (1280, 900), "mobile": (390, 844)}


def _keep(path: Path) -> None:
    assert path.stat().st_size > 10_000, f"{path.name} looks empty"
    if os.environ.get("INSTALMENTS_UPDATE_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(exist_ok=True)
        shutil.copyfile(path, DOC_IMAGES / path.name)


def _shot(page: Any, name: str, device: str) -> Path:
    """The mobile screen as the customer sees it; on desktop, the widget itself."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if device == "mobile":
        page.screenshot(path=str(path))
    else:
        widget = page.locator("#instalments .inst-widget").bounding_box()
        assert widget is not None
        scroll = page.evaluate("window.scrollY")
        page.screenshot(
            path=str(path),
            full_page=True,
            clip={
                "x": widget["x"] - 8,
                "y": widget["y"] + scroll - 8,
                "width": widget["width"] + 16,
                "height": min(widget["height"] + 16, 1100),
            },
        )
    _keep(path)
    return path


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("device", list(DEVICES))
def test_screenshots_of_the_checkout_for_the_docs(
    stack: Stack, browser: Any, device: str, lang: str
) -> None:
    width, height = DEVICES[device]
    page = open_page(browser, width, height)
    try:
        labels = open_checkout(page, stack, "mall", lang)
        page.get_by_label(labels["phone"]).fill(APPROVE)
        tick(page, labels, "prequalification", "credit_inquiry")
        if device == "desktop":
            _shot(page, f"widget-consent-{device}-{lang}", device)
        page.get_by_role("button", name=labels["submit"]).click()
        expect(page.locator(".inst-plan").first).to_be_visible()
        page.evaluate("window.scrollTo(0, 0)")
        _shot(page, f"widget-offers-{device}-{lang}", device)
        page.locator(".inst-plan-recommended .inst-choose").click()
        expect(page.locator(".inst-confirm")).to_be_visible()
        if device == "mobile":
            page.locator(".inst-confirm").scroll_into_view_if_needed()
        _shot(page, f"widget-confirm-{device}-{lang}", device)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_screenshot_of_the_cart_message_for_the_docs(stack: Stack, browser: Any, lang: str) -> None:
    page = open_page(browser, 390, 520)
    try:
        page.goto(f"{stack.shop_url('mall')}/cart?lang={lang}&quantity=2")
        expect(page.locator("#cart-message")).not_to_be_empty()
        _shot(page, f"messaging-cart-mobile-{lang}", "mobile")
    finally:
        page.context.close()


def test_a_decline_screenshot(stack: Stack, browser: Any) -> None:
    page = open_page(browser, 1280, 900)
    try:
        see_offers(page, stack, "mall", "en", phone=DECLINE, purposes=("prequalification",))
        _shot(page, "widget-declined-desktop-en", "desktop")
    finally:
        page.context.close()
