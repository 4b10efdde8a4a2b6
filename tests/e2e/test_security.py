"""The widget under a strict CSP, and a client token in the wrong page (acceptance 3, 4)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.e2e.conftest import Stack
from tests.e2e.servers import listen, serving
from tests.e2e.test_checkout import APPROVE, assert_no_csp_violations, open_checkout, tick

pytestmark = pytest.mark.e2e


def test_the_checkout_runs_under_script_src_self_and_gateway_without_violations(
    stack: Stack, page: Any
) -> None:
    response = page.goto(f"{stack.shop_url('mall')}/?lang=en")
    policy = response.headers["content-security-policy"]
    assert f"script-src 'self' {stack.gateway.url}" in policy
    labels = open_checkout(page, stack, "mall", "en")
    page.get_by_label(labels["phone"]).fill(APPROVE)
    tick(page, labels, "prequalification", "credit_inquiry")
    page.get_by_role("button", name=labels["submit"]).click()
    expect(page.locator(".inst-plan").first).to_be_visible()
    page.locator(".inst-plan").first.locator(".inst-schedule summary").click()
    assert_no_csp_violations(page)
    # The detector works: an inline script on this page is reported.
    page.evaluate(
        "var s = document.createElement('script'); s.textContent = 'window.x = 1';"
        "document.body.appendChild(s)"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.x") is None


def client_token(stack: Stack) -> tuple[str, str]:
    """A mall checkout session's id and client token, created with the mall's SDK client."""
    import instalments

    from examples.demo_shop.storefronts import STOREFRONTS

    shop = stack.shop_apps["mall"]
    sdk: instalments.Client = shop.extensions["demo_shop.sdk"]
    created = sdk.checkout_sessions.create(
        amount="3999.00",
        currency="CNY",
        scenario=STOREFRONTS["mall"].scenario,  # type: ignore[arg-type]
        allowed_origin=stack.shop_url("mall"),
    )
    return created.id, created.client_token


def test_a_page_on_another_origin_cannot_use_the_client_token(stack: Stack, page: Any) -> None:
    session_id, token = client_token(stack)
    other = listen()
    page_app = Flask("elsewhere")

    @page_app.get("/")
    def elsewhere() -> str:
        return "<!doctype html><title>elsewhere</title><div id=w></div>"

    other.late.app = page_app
    with serving(other):
        page.goto(other.url + "/")
        outcome = page.evaluate(
            """async ([gateway, id, token]) => {
                try {
                    const r = await fetch(`${gateway}/widget/v1/sessions/${id}/notices`,
                        {headers: {Authorization: `Bearer ${token}`}});
                    return `read ${r.status}`;
                } catch (e) { return `blocked ${e.name}`; }
            }""",
            [stack.gateway.url, session_id, token],
        )
        assert outcome == "blocked TypeError"
        page.add_script_tag(url=f"{stack.gateway.url}/widget/v1/instalments.js")
        page.evaluate(
            "token => Instalments.mount(document.getElementById('w'), {clientToken: token})",
            token,
        )
        expect(page.locator("#w [role=alert]")).to_be_visible()
        expect(page.locator("#w input[type=checkbox]")).to_have_count(0)
