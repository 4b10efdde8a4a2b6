"""Role × route: every page and action answers 200 (or a redirect after success) or 403.

The expected table is written out here, not derived from the role table, so a
change to either shows up as a failing row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from gateway.scoring.artefact import bundled_version
from gateway.webhooks.outbox import emit
from tests.gateway.ops.conftest import Console
from tests.gateway.reviews.flow import case_for, referred

ROLES = ("viewer", "operator", "risk_officer", "compliance", "admin")
ALL = set(ROLES)

# (method, path, form, roles allowed). Allowed answers 200 or 302; others 403.
TABLE: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("GET", "/ops/partners", {}, ALL),
    ("GET", "/ops/partners/demo-mall", {}, ALL),
    ("GET", "/ops/approvals", {}, ALL),
    ("GET", "/ops/decisions", {}, ALL),
    ("GET", "/ops/webhooks", {}, ALL),
    ("GET", "/ops/funnel", {}, ALL),
    ("GET", "/ops/reviews", {}, ALL),
    ("GET", "/ops/reviews?overdue=1&status=open&partner=demo-mall", {}, ALL),
    ("GET", "/ops/reviews/{case}", {}, ALL),
    ("GET", "/ops/model", {}, ALL),
    ("GET", "/ops/audit", {}, {"compliance", "admin"}),
    ("GET", "/ops/users", {}, {"admin"}),
    ("POST", "/ops/partners/demo-mall/suspend", {}, {"operator", "admin"}),
    ("POST", "/ops/partners/demo-mall/resume", {}, {"operator", "admin"}),
    ("POST", "/ops/webhooks/{event}/replay", {}, {"operator", "admin"}),
    ("POST", "/ops/audit/verify", {}, {"compliance", "admin"}),
    ("POST", "/ops/decisions", {"query": "pq_doesnotexist"}, ALL),
    ("POST", "/ops/decisions", {"query": "+8613800000001"}, ALL - {"viewer"}),
    ("POST", "/ops/decisions", {"query": "cus_" + "0" * 64}, ALL - {"viewer"}),
    (
        "POST",
        "/ops/approvals",
        {"type": "live-credentials", "target": "demo-mall", "reason": "table"},
        {"operator", "admin"},
    ),
    (
        "POST",
        "/ops/approvals",
        {"type": "model-activation", "target": "v-table", "reason": "table"},
        {"risk_officer", "admin"},
    ),
    ("POST", "/ops/users", {"email": "new-{role}@bank.example", "role": "viewer"}, {"admin"}),
    ("POST", "/ops/reviews/{case}/claim", {}, {"risk_officer", "admin"}),
    ("POST", "/ops/reviews/{case}/overturn", {"reason": "table"}, {"risk_officer", "admin"}),
    (
        "POST",
        "/ops/reviews/{case}/decide",
        {"outcome": "uphold", "reasons": "policy_confirmed", "note": "table"},
        {"risk_officer", "admin"},
    ),
    ("POST", "/ops/model/request-activation", {"version": "{model}"}, {"risk_officer", "admin"}),
]


@pytest.fixture
def dead_event(db_session: Session, demo_partners: list[str]) -> str:
    event = emit(
        db_session,
        "application.approved",
        partner_id="demo-mall",
        environment="sandbox",
        resource_id="app_table",
        obj={"id": "app_table"},
    )
    event.status = "dead"
    event.attempts = 3
    db_session.commit()
    return event.id


@pytest.fixture
def review_case(partner_api: Any, db_session: Session) -> str:
    return case_for(db_session, referred(partner_api("demo-mall"))["id"]).id


@pytest.mark.parametrize("role", ROLES)
def test_role_by_route(
    role: str,
    signed_in: Callable[[str], Console],
    dead_event: str,
    review_case: str,
    app: Flask,
) -> None:
    console = signed_in(role)
    failures = []
    for method, path, form, allowed in TABLE:
        url = path.format(event=dead_event, case=review_case)
        data: dict[str, str | list[str]] = {
            k: v.format(role=role, model=bundled_version()) for k, v in form.items()
        }
        response = console.get(url) if method == "GET" else console.post(url, data)
        expected = (200, 302) if role in allowed else (403,)
        if response.status_code not in expected:
            failures.append(f"{method} {url} {data}: {response.status_code}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_anonymous_users_are_sent_to_sign_in(app: Flask) -> None:
    console = Console(app.test_client())
    for method, path, _form, _allowed in TABLE:
        if method == "GET":
            response = console.get(path)
            assert response.status_code == 302 and "/ops/sign-in" in response.location
        else:
            assert console.post(path.format(event="whe_x", case="rev_x")).status_code == 401


def test_every_console_form_requires_a_csrf_token(
    app: Flask, signed_in: Callable[[str], Console], dead_event: str
) -> None:
    console = signed_in("admin")
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("console.") and "POST" in (rule.methods or set())
    ]
    assert len(posts) >= 12
    for rule in posts:
        url = rule.rule.replace("<partner_id>", "demo-mall").replace("<event_id>", dead_event)
        url = url.replace("<request_id>", "apr_x").replace("<user_id>", "opu_x")
        url = url.replace("<case_id>", "rev_x")
        response = console.post(url, {"email": "a@b.example"}, token=False)
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert "CSRF" in response.get_data(as_text=True)
