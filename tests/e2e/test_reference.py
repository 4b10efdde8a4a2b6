"""/docs in Chromium: code as code, examples and samples per operation, search, anchors, CSP.

``INSTALMENTS_UPDATE_DOC_IMAGES=1`` also writes ``docs/images/api-reference.png``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.servers import Served, listen, serving
from tests.e2e.test_checkout import assert_no_csp_violations

pytestmark = pytest.mark.e2e
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A gateway serving its reference (the page needs no database rows)."""
    from gateway.app import create_app
    from gateway.config import Settings

    tmp = tmp_path_factory.mktemp("reference")
    served = listen()
    served.late.app = create_app(
        Settings(
            env="test",
            database_url=f"sqlite:///{tmp / 'gateway.db'}",
            secret_key="e2e-secret-key-" + "x" * 32,
            identifier_pepper="e2e-pepper-" + "y" * 32,
            instance_path=tmp / "instance",
            model_dir=tmp / "instance" / "models",
            partner_configs=Path(__file__).resolve().parents[2] / "partner_configs",
        )
    )
    with serving(served):
        yield served


def _wide(page: Any) -> None:
    page.set_viewport_size({"width": 1440, "height": 1000})


def test_the_reference_renders_code_examples_and_samples_for_every_operation(
    gateway: Served, page: Any
) -> None:
    _wide(page)
    response = page.goto(f"{gateway.url}/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operations = page.locator("main article.op:not(.schema)")
    count = operations.count()
    assert count >= 36
    for index in range(count):
        op = operations.nth(index)
        assert op.locator("figure.sample pre code").count() >= 3, op.get_attribute("id")
        captions = op.locator("figcaption").all_inner_texts()
        assert any(c.lower().startswith("curl") for c in captions)
        assert any(c.lower().startswith("python sdk") for c in captions)
    text = page.locator("main").inner_text()
    assert "`" not in text  # code spans rendered as code, never raw backticks
    assert page.locator("main p code").count() > 10
    # Nothing overflows its card: long paths wrap, wide examples scroll inside their box.
    overflowing = page.evaluate(
        "Array.from(document.querySelectorAll('article.op'))"
        ".filter(a => a.scrollWidth > a.clientWidth + 1).map(a => a.id)"
    )
    assert overflowing == []
    assert_no_csp_violations(page)
    assert page.console_errors == []


def test_search_filters_operations_and_anchors_land_on_them(gateway: Served, page: Any) -> None:
    _wide(page)
    page.goto(f"{gateway.url}/docs#webhooks_list_webhook_events")
    target = page.locator("#webhooks_list_webhook_events")
    expect(target).to_be_in_viewport()
    page.keyboard.press("/")
    expect(page.locator("#search")).to_be_focused()
    page.keyboard.type("settlement")
    visible = page.locator("main article.op:not(.schema):not(.hidden)")
    expect(visible).to_have_count(1)
    assert visible.get_attribute("id") == "settlement_get_settlement"
    expect(page.locator("nav a[data-op]:not(.hidden)")).to_have_count(1)
    page.fill("#search", "zzz-no-such-thing")
    expect(page.locator("#no-match")).to_be_visible()
    page.fill("#search", "")
    expect(page.locator("#no-match")).to_be_hidden()
    page.locator("nav a[data-op='applications_list_refunds']").click()
    assert page.evaluate("location.hash") == "#applications_list_refunds"
    expect(page.locator("#applications_list_refunds")).to_be_in_viewport()


def test_a_screenshot_of_the_reference_for_the_docs(gateway: Served, page: Any) -> None:
    _wide(page)
    page.goto(f"{gateway.url}/docs#applications_list_applications")
    page.wait_for_timeout(200)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "api-reference.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    if os.environ.get("INSTALMENTS_UPDATE_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOC_IMAGES / shot.name)
