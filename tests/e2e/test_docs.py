"""docs/widget.md's embedding example, served as written, works in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, request
from playwright.sync_api import expect

from tests.e2e.conftest import Stack
from tests.e2e.test_checkout import APPROVE, LABELS, assert_no_csp_violations, tick

pytestmark = pytest.mark.e2e
DOC = Path(__file__).resolve().parents[2] / "docs" / "widget.md"


def blocks(language: str) -> list[str]:
    """The fenced blocks of ``language`` in docs/widget.md, in order."""
    found = re.findall(rf"```{language}\n(.*?)```", DOC.read_text("utf-8"), re.S)
    assert found, language
    return found


def block(language: str) -> str:
    """The first fenced block of ``language`` in docs/widget.md."""
    return blocks(language)[0]


def example_page(stack: Stack, token: str, accepted: list[Any]) -> Flask:
    """The doc's HTML and script, served under ``script-src 'self' <gateway>``."""
    app = Flask("docs_example")
    html = block("html").replace("https://gateway.example", stack.gateway.url)
    html = html.replace("{{ client_token }}", token)

    @app.after_request
    def _csp(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = f"script-src 'self' {stack.gateway.url}"
        return response

    @app.get("/checkout-example")
    def page() -> str:
        return f"<!doctype html><title>doc</title>{html}"

    @app.get("/static/checkout.js")
    def script() -> Response:
        return Response(block("js"), mimetype="text/javascript")

    @app.post("/orders/order-1001/accept")
    def accept() -> Any:
        accepted.append(request.get_json())
        return {}

    return app


def test_the_documented_embedding_mounts_the_widget_and_reports_the_choice(
    stack: Stack, page: Any
) -> None:
    create_session, accept_offer = blocks("python")
    # The doc's server-side snippets run as written, with the mall's SDK client.
    scope: dict[str, Any] = {"client": stack.shop_apps["mall"].extensions["demo_shop.sdk"]}
    exec(create_session.replace("https://shop.example", stack.extra.url), scope)  # noqa: S102
    session = scope["session"]
    assert session.id.startswith("cs_")
    accepted: list[Any] = []
    stack.extra.late.app = example_page(stack, session.client_token, accepted)
    page.goto(f"{stack.extra.url}/checkout-example")
    labels = LABELS["zh-CN"]  # the example mounts with locale "zh-CN"
    page.get_by_label(labels["phone"]).fill(APPROVE)
    tick(page, labels, "prequalification", "credit_inquiry")
    page.get_by_role("button", name=labels["submit"]).click()
    page.locator(".inst-choose").first.click()
    page.locator(".inst-confirm-button").click()
    expect(page).to_have_title(re.compile(r"^Selected off_"))
    expect(page.locator(".inst-chosen")).not_to_be_empty()
    for _ in range(50):  # the page's fetch to "its server" follows the event
        if accepted:
            break
        page.wait_for_timeout(100)
    assert len(accepted) == 1
    assert accepted[0]["offer_id"] == page.title().removeprefix("Selected ")
    assert accepted[0]["credit_inquiry_consent_id"].startswith("cns_")
    assert_no_csp_violations(page)
    scope |= accepted[0]
    exec(accept_offer, scope)  # noqa: S102
    assert scope["application"].id.startswith("app_")
