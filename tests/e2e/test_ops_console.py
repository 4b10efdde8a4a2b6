"""The operations console in Chromium: sign-in with TOTP, every page for its roles, one
action per page, four-eyes go-live, axe-core on every page, screenshots for the docs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.ops_stack import PASSWORD, OpsStack, build, journey
from tests.e2e.servers import serving

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
IMAGES = ROOT / "docs" / "images"
PAGES = {
    "partners": "/ops/partners",
    "partner": "/ops/partners/demo-mall",
    "approvals": "/ops/approvals",
    "decisions": "/ops/decisions",
    "webhooks": "/ops/webhooks",
    "funnel": "/ops/funnel",
    "reviews": "/ops/reviews",
    "review-case": "/ops/reviews/{case}",
    "model": "/ops/model",
    "audit": "/ops/audit",
    "users": "/ops/users",
}
VIEWER_FORBIDDEN = {"audit", "users"}


@pytest.fixture(scope="module")
def ops(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[OpsStack]:
    """The console's gateway, serving for this module."""
    stack, receiver = build(tmp_path_factory.mktemp("ops"))
    with serving(stack.gateway, receiver):
        journey(stack)
        yield stack
    stack.app.extensions["gateway.db"].dispose()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A browser context that records CSP violations."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    ctx.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective));"
    )
    try:
        yield ctx
    finally:
        ctx.close()


def sign_in(context: Any, ops: OpsStack, who: str) -> Any:
    """Sign in through the forms (and the TOTP step for roles that need it)."""
    person = ops.people[who]
    page = context.new_page()
    page.goto(ops.url + "/ops/sign-in")
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    if person.role != "viewer":
        expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
        page.get_by_label("Code from your authenticator app").fill(person.code())
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Partners")).to_be_visible()
    return page


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations (axe loaded from the local npm install)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: npm install --prefix tests/e2e/node axe-core (see .ci/run)")
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = json.loads(result)["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def visit(page: Any, ops: OpsStack, path: str) -> int:
    """Open a page; return its status."""
    response = page.goto(ops.url + path)
    assert response is not None
    return int(response.status)


def csrf_token(page: Any) -> str:
    """The CSRF token of the page's sign-out form."""
    return str(page.locator("input[name=csrf_token]").first.get_attribute("value"))


def test_admin_signs_in_with_totp_and_every_page_renders_accessibly(
    ops: OpsStack, context: Any
) -> None:
    page = sign_in(context, ops, "admin")
    IMAGES.mkdir(exist_ok=True)
    for name, path in PAGES.items():
        assert visit(page, ops, path.format(**ops.extra)) == 200, name
        assert page.evaluate("window.__csp") == [], name
        assert axe_violations(page) == [], name
        if name == "decisions":
            page.get_by_label("Decision id").fill("+86 138 0000 0001")
            page.get_by_role("button", name="Search").click()
            expect(page.locator("tr[data-decision]")).to_have_count(1)
            assert "13800000001" not in page.content()  # never echoed back
            assert axe_violations(page) == []
        page.screenshot(path=str(IMAGES / f"ops-{name}.png"), full_page=True)
    page.goto(ops.url + "/ops/lang/zh-CN")
    expect(page.get_by_role("heading", name="合作方")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=str(IMAGES / "ops-partners-zh.png"), full_page=True)
    page.goto(ops.url + "/ops/lang/en")


def test_viewer_reads_pages_and_gets_403_on_actions(ops: OpsStack, context: Any) -> None:
    page = sign_in(context, ops, "viewer")
    for name, path in PAGES.items():
        status = visit(page, ops, path.format(**ops.extra))
        assert status == (403 if name in VIEWER_FORBIDDEN else 200), name
        assert axe_violations(page) == [], name
    page.goto(ops.url + "/ops/partners/demo-mall")
    expect(page.get_by_role("button", name="Suspend")).to_have_count(0)
    token = csrf_token(page)
    page.goto(ops.url + f"/ops/reviews/{ops.extra['case']}")
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    for action in (
        "/ops/partners/demo-mall/suspend",
        f"/ops/webhooks/{ops.dead_event}/replay",
        "/ops/audit/verify",
        f"/ops/reviews/{ops.extra['case']}/claim",
        f"/ops/reviews/{ops.extra['case']}/decide",
        "/ops/model/request-activation",
    ):
        response = page.request.post(ops.url + action, form={"csrf_token": token})
        assert response.status == 403, action


def test_operator_suspends_and_resumes_a_partner(ops: OpsStack, context: Any) -> None:
    page = sign_in(context, ops, "suspender")
    page.goto(ops.url + "/ops/partners/demo-travel")
    page.get_by_role("button", name="Suspend").click()
    expect(page.locator("h1 .badge")).to_have_text("suspended")
    expect(page.get_by_role("status")).to_contain_text("Partner suspended")
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("h1 .badge")).to_have_text("active")


def test_operator_replays_a_dead_webhook(ops: OpsStack, context: Any) -> None:
    page = sign_in(context, ops, "replayer")
    page.goto(ops.url + "/ops/webhooks")
    dead = page.locator(f"table[data-bucket=dead] tr[data-event='{ops.dead_event}']")
    expect(dead).to_have_count(1)
    dead.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("pending again")
    expect(
        page.locator(f"table[data-bucket=dead] tr[data-event='{ops.dead_event}']")
    ).to_have_count(0)


def test_go_live_is_requested_by_one_user_and_approved_by_another(
    ops: OpsStack, browser: Any
) -> None:
    first = browser.new_context(viewport={"width": 1200, "height": 900})
    second = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        requester = sign_in(first, ops, "requester")
        requester.goto(ops.url + "/ops/partners/demo-mall")
        expect(requester.locator(".checklist li[data-ok=false]")).to_have_count(0)
        requester.screenshot(path=str(IMAGES / "ops-partner-checklist.png"), full_page=True)
        requester.get_by_role("button", name="Request go-live").click()
        row = requester.locator("tr[data-status=pending]").filter(has_text="go-live")
        expect(row).to_have_count(1)
        request_id = row.get_attribute("data-request")
        # The requester cannot approve their own request.
        row.get_by_role("button", name=f"Approve {request_id}").click()
        expect(requester.locator(".flash.error")).to_contain_text("requester cannot approve")
        expect(requester.locator(f"tr[data-request='{request_id}']")).to_have_attribute(
            "data-status", "pending"
        )
        approver = sign_in(second, ops, "approver")
        approver.goto(ops.url + "/ops/approvals")
        approver.get_by_role("button", name=f"Approve {request_id}").click()
        expect(approver.locator(f"tr[data-request='{request_id}']")).to_have_attribute(
            "data-status", "approved"
        )
        approver.screenshot(path=str(IMAGES / "ops-approvals.png"), full_page=True)
        approver.goto(ops.url + "/ops/partners/demo-mall")
        expect(approver.locator("[data-go-live=approved]")).to_be_visible()
    finally:
        first.close()
        second.close()


def test_a_risk_officer_claims_and_decides_a_review(ops: OpsStack, context: Any) -> None:
    page = sign_in(context, ops, "reviewer")
    page.goto(ops.url + "/ops/reviews")
    row = page.locator(f"tr[data-case='{ops.extra['case']}']")
    expect(row).to_have_attribute("data-timer", "due")
    row.get_by_role("link").click()
    page.get_by_role("button", name="Claim this case").click()
    expect(page.locator("[data-field=reviewer]")).to_have_text("reviewer@bank.example")
    page.get_by_label("Approve: new offers").check()
    page.get_by_label("Amount").fill("3000.00")
    page.get_by_label("12", exact=True).check()
    page.get_by_label("Grade").select_option("C")
    page.get_by_label("income_verified").check()
    page.get_by_label("Note (what you checked and why; stays in the bank)").fill(
        "payslips checked, income confirmed"
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("Decided: approved;")
    expect(page.locator("h1 .badge")).to_have_attribute("data-status", "decided")
    assert axe_violations(page) == []
    assert page.evaluate("window.__csp") == []


def test_model_activation_is_requested_by_one_risk_officer_and_approved_by_another(
    ops: OpsStack, browser: Any
) -> None:
    version = ops.extra["challenger"]
    first = browser.new_context(viewport={"width": 1200, "height": 900})
    second = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        # Not "reviewer": a TOTP code is accepted once, and that test may have just used it.
        requester = sign_in(first, ops, "modeller")
        requester.goto(ops.url + "/ops/model")
        requester.get_by_role("button", name=f"Request activation {version}").click()
        expect(requester.get_by_role("status")).to_contain_text("Activation requested")
        cell = requester.locator(f"tr[data-version='{version}'] [data-activation]")
        expect(cell).to_have_attribute("data-activation", "pending")
        request_id = cell.locator("code").inner_text()
        requester.goto(ops.url + "/ops/approvals")
        requester.get_by_role("button", name=f"Approve {request_id}").click()
        expect(requester.locator(".flash.error")).to_contain_text("requester cannot approve")
        checker = sign_in(second, ops, "checker")
        checker.goto(ops.url + "/ops/approvals")
        checker.get_by_role("button", name=f"Approve {request_id}").click()
        expect(checker.locator(f"tr[data-request='{request_id}']")).to_have_attribute(
            "data-status", "approved"
        )
        requester.goto(ops.url + "/ops/model")
        requester.get_by_role("button", name=f"Activate {version}").click()
        expect(requester.get_by_role("status")).to_contain_text("Activated")
        expect(requester.locator(f"tr[data-version='{version}']")).to_have_attribute(
            "data-active", "true"
        )
    finally:
        first.close()
        second.close()
