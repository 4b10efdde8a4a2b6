"""The widget's device identifier in real Chromium: sent, stable, hashed, counted by the rule.

The customers are sandbox numbers that are no persona, so the risk rules
run for them as for a live customer (a persona's outcome is forced).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.engine import make_url

from tests.e2e.conftest import Stack
from tests.e2e.test_checkout import open_checkout, tick

pytestmark = pytest.mark.e2e

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
STORAGE_KEY = "instalments.device"


def prequalify(page: Any, stack: Stack, phone: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """One checkout on the mall: returns the prequalification request's body and the decision."""
    labels = open_checkout(page, stack, "mall", "en")
    page.get_by_label(labels["phone"]).fill(phone)
    tick(page, labels, "prequalification")
    with page.expect_response(
        lambda r: r.url.endswith("/prequalification") and r.request.method == "POST"
    ) as answer:
        page.get_by_role("button", name=labels["submit"]).click()
    expect(page.locator(".inst-result-title").first).to_be_visible()
    response = answer.value
    assert response.status == 201, response.text()
    body: dict[str, Any] = response.request.post_data_json
    decision: dict[str, Any] = response.json()
    return body, decision


def observations(stack: Stack, *prequalification_ids: str) -> list[Any]:
    """The risk observations of these decisions, in the order asked."""
    from gateway.risk.models import RiskObservation
    from gateway.sessions import get_database

    with stack.gateway_app.app_context(), get_database().new_session() as db:
        rows = {
            row.prequalification_id: row
            for row in db.scalars(
                select(RiskObservation).where(
                    RiskObservation.prequalification_id.in_(prequalification_ids)
                )
            )
        }
    return [rows[i] for i in prequalification_ids]


def database_bytes(stack: Stack) -> bytes:
    """The gateway's SQLite file and its write-ahead log, as stored on disk."""
    url = make_url(stack.gateway_app.extensions["gateway.settings"].database_url)
    path = Path(str(url.database))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


@pytest.fixture
def device_rule_at_one(stack: Stack) -> Iterator[None]:
    """``customers_per_device`` enforced at one customer per device, for this test only."""
    from gateway.risk.extension import controls

    risk = controls(stack.gateway_app)
    reviewed = risk.rules()
    low = [
        r.model_copy(update={"threshold": 1, "mode": "enforce", "action": "refer"})
        if r.rule == "customers_per_device"
        else r
        for r in reviewed.rules
    ]
    assert [r.rule for r in low].count("customers_per_device") == 1
    risk.use(reviewed.model_copy(update={"rules": low}))
    try:
        yield
    finally:
        risk.use(reviewed)


def test_the_widget_sends_one_identifier_per_browser_hashed_on_arrival(
    stack: Stack, page: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from gateway.identity import device_hash

    caplog.set_level(logging.DEBUG)
    sent: list[tuple[str, str]] = []
    page.on("request", lambda r: sent.append((r.url, r.post_data or "")))
    first, decided = prequalify(page, stack, "+8613912340001")
    fingerprint = first["device_fingerprint"]
    assert UUID.match(fingerprint), first
    # Kept in the shop page's storage, and the same on the next checkout in this browser.
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") == fingerprint
    second, decided_again = prequalify(page, stack, "+8613912340002")
    assert second["device_fingerprint"] == fingerprint
    # Only the prequalification request carries it (not the consents, nor the shop).
    carrying = [url for url, body in sent if fingerprint in body or fingerprint in url]
    assert len(carrying) == 2 and all(u.endswith("/prequalification") for u in carrying)

    pepper = stack.gateway_app.extensions["gateway.settings"].identifier_pepper
    rows = observations(stack, decided["id"], decided_again["id"])
    assert [row.device_hash for row in rows] == [device_hash(pepper, fingerprint)] * 2
    assert rows[0].customer_ref != rows[1].customer_ref
    # The raw value is in no column, nowhere in the database file, in no log line.
    assert not any(fingerprint in repr(vars(row)) for row in rows)
    assert fingerprint.encode() not in database_bytes(stack)
    assert fingerprint not in caplog.text
    assert caplog.records, "the gateway's logs were not captured"

    # Another browser (a new context) is another device.
    other = page.context.browser.new_context()
    try:
        tab = other.new_page()
        third, _ = prequalify(tab, stack, "+8613912340003")
        other_device = third["device_fingerprint"]
        assert UUID.match(other_device) and other_device != fingerprint
    finally:
        other.close()


def test_without_storage_the_widget_still_prequalifies_without_an_identifier(
    stack: Stack, page: Any
) -> None:
    # Storage blocked (as by a browser setting): reading localStorage throws.
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', "
        "{get() { throw new DOMException('blocked', 'SecurityError'); }});"
    )
    body, decision = prequalify(page, stack, "+8613912340004")
    assert "device_fingerprint" not in body and decision["id"].startswith("pq")
    assert observations(stack, decision["id"])[0].device_hash is None


def test_two_customers_from_one_browser_hit_the_device_rule(
    stack: Stack, page: Any, device_rule_at_one: None
) -> None:
    from gateway.risk.models import RiskHit
    from gateway.sessions import get_database

    # Two customers the model approves (synthetic profiles of the e2e pepper).
    _, first = prequalify(page, stack, "+8613912340011")
    _, second = prequalify(page, stack, "+8613912340010")
    with stack.gateway_app.app_context(), get_database().new_session() as db:
        hits = db.scalars(
            select(RiskHit).where(RiskHit.subject.in_([first["id"], second["id"]]))
        ).all()
    assert [(h.subject, h.rule, h.mode) for h in hits] == [
        (second["id"], "customers_per_device", "enforce")
    ]
    assert "2 distinct customers from one device" in hits[0].detail
    assert (first["status"], second["status"]) == ("approved", "referred"), second["reasons"]
    referred = page.get_by_role("heading", name="The bank needs to look at your request")
    expect(referred).to_be_visible()
