"""Four-eyes requests, the go-live checklist, and the CLI gates on live credentials and models."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskCliRunner
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.approvals import golive
from gateway.approvals import services as approvals
from gateway.audit.models import AuditEntry
from gateway.clock import utcnow
from gateway.errors import Conflict
from gateway.partners.config import PartnerConfig
from gateway.scoring.artefact import write_artefact
from gateway.webhooks.models import WebhookEvent
from tests.gateway.applications.flow import accepted
from tests.gateway.ops.conftest import Staff

CONFIGS = Path(__file__).resolve().parents[3] / "partner_configs"


def _cli(runner: FlaskCliRunner, *args: str) -> Any:
    return runner.invoke(args=list(args))


def _audited(db: Session) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_second_user_approves_and_the_requester_cannot(
    db_session: Session, demo_partners: list[str], make_staff: Callable[..., Staff]
) -> None:
    alice, bob = make_staff("operator"), make_staff("operator")
    row = approvals.request(db_session, "live-credentials", "demo-mall", by=alice.email)
    with pytest.raises(approvals.NotAllowed, match="four-eyes"):
        approvals.decide(db_session, row.id, by=alice.email)
    viewer = make_staff("viewer")
    with pytest.raises(approvals.NotAllowed):
        approvals.decide(db_session, row.id, by=viewer.email)
    approved = approvals.decide(db_session, row.id, by=bob.email)
    assert approved.status == "approved" and approved.decided_by == bob.email
    with pytest.raises(Conflict):
        approvals.decide(db_session, row.id, by=bob.email)
    assert {"approval.requested", "approval.approved"} <= set(_audited(db_session))


def test_requests_lapse_after_24_hours(
    db_session: Session, demo_partners: list[str], make_staff: Callable[..., Staff]
) -> None:
    alice, bob = make_staff("operator"), make_staff("operator")
    then = utcnow() - dt.timedelta(hours=25)
    row = approvals.request(db_session, "live-credentials", "demo-mall", by=alice.email, now=then)
    assert approvals.effective_status(row) == "expired"
    with pytest.raises(Conflict, match="expired"):
        approvals.decide(db_session, row.id, by=bob.email)


def test_a_role_without_the_permission_cannot_request(
    db_session: Session, demo_partners: list[str], make_staff: Callable[..., Staff]
) -> None:
    with pytest.raises(approvals.NotAllowed):
        approvals.request(db_session, "model-activation", "v1", by=make_staff("operator").email)
    with pytest.raises(approvals.NotAllowed):
        approvals.request(db_session, "go-live", "demo-mall", by=make_staff("viewer").email)


def test_go_live_needs_a_green_checklist_and_a_sandbox_journey_makes_it_green(
    db_session: Session, partner_api: Any, make_staff: Callable[..., Staff]
) -> None:
    checks = golive.checklist(db_session, "demo-mall", CONFIGS)
    assert [i.name for i in checks.failing()] == ["sandbox_journey"]
    operator = make_staff("operator")
    with pytest.raises(approvals.ChecklistNotGreen, match="sandbox_journey"):
        approvals.request(db_session, "go-live", "demo-mall", by=operator.email, config_dir=CONFIGS)
    _offer, application = accepted(partner_api("demo-mall", "sandbox"))
    db_session.expire_all()
    # Undelivered webhooks do not count; delivered with 2xx do.
    assert not golive.checklist(db_session, "demo-mall", CONFIGS).ok
    db_session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.resource_id == application["id"])
        .values(status="delivered", delivered_at=utcnow())
    )
    assert golive.checklist(db_session, "demo-mall", CONFIGS).ok
    row = approvals.request(
        db_session, "go-live", "demo-mall", by=operator.email, config_dir=CONFIGS
    )
    assert row.status == "pending"


def test_placeholder_keys_missing_contacts_and_http_webhooks_are_red() -> None:
    data = yaml.safe_load((CONFIGS / "demo-academy.yaml").read_text())
    data["environments"]["live"]["jwks"]["keys"][0].update(x="…", y="…")
    data["environments"]["live"]["webhook_url"] = "http://enrol.example/hooks"
    data["contacts"] = [c for c in data["contacts"] if c["role"] != "technical"]
    config = PartnerConfig.model_validate(data)  # the file validates …
    assert not golive._live_keys(config).ok  # … but its key is no key
    assert golive._live_keys(
        PartnerConfig.model_validate(yaml.safe_load((CONFIGS / "demo-academy.yaml").read_text()))
    ).ok
    assert not golive._live_webhook(config).ok
    assert golive._contacts(config).detail == "missing: technical"


def test_the_applied_config_must_be_the_reviewed_file(
    db_session: Session, demo_partners: list[str], tmp_path: Path
) -> None:
    data = yaml.safe_load((CONFIGS / "demo-mall.yaml").read_text())
    data["rate_limit"]["requests_per_second"] = 51
    (tmp_path / "demo-mall.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    item = golive.checklist(db_session, "demo-mall", tmp_path).items[0]
    assert item.name == "config_valid" and not item.ok
    assert "differs" in item.detail


def test_live_credentials_need_an_approved_go_live_from_the_cli(
    runner: FlaskCliRunner,
    db_session: Session,
    demo_partners: list[str],
    make_staff: Callable[..., Staff],
) -> None:
    refused = _cli(runner, "clients", "issue", "demo-mall", "--env", "live")
    assert refused.exit_code == 1
    assert "needs an approved four-eyes request" in refused.output
    alice, bob = make_staff("operator"), make_staff("compliance")
    # Scripted four-eyes: live-credentials requested by one, approved by another.
    asked = _cli(
        runner,
        "approvals",
        "request",
        "live-credentials",
        "demo-mall",
        "--by",
        alice.email,
        "--json",
    )
    assert asked.exit_code == 0, asked.output
    request_id = json.loads(asked.output)["id"]
    own = _cli(runner, "approvals", "approve", request_id, "--by", alice.email)
    assert own.exit_code == 1 and "requester cannot approve" in own.output
    wrong_role = _cli(runner, "approvals", "approve", request_id, "--by", bob.email)
    assert wrong_role.exit_code == 1  # compliance approves go-live, not live credentials
    carol = make_staff("operator")
    assert _cli(runner, "approvals", "approve", request_id, "--by", carol.email).exit_code == 0
    listed = json.loads(_cli(runner, "approvals", "list", "--json").output)["data"]
    assert listed[0]["status"] == "approved" and listed[0]["decided_by"] == carol.email
    issued = _cli(runner, "clients", "issue", "demo-mall", "--env", "live", "--json")
    assert issued.exit_code == 0, issued.output
    # Single use: rotating needs a new approval.
    rotate = _cli(runner, "clients", "rotate", "demo-mall", "--env", "live")
    assert rotate.exit_code == 1 and "live-credentials" in rotate.output
    assert "approval.used" in _audited(db_session)


def test_break_glass_is_audited_and_needs_a_reason(
    runner: FlaskCliRunner, db_session: Session, demo_partners: list[str]
) -> None:
    short = _cli(runner, "clients", "issue", "demo-mall", "--env", "live", "--break-glass", "x")
    assert short.exit_code == 2
    done = _cli(
        runner,
        "clients",
        "issue",
        "demo-mall",
        "--env",
        "live",
        "--break-glass",
        "incident 42: partner locked out at peak",
    )
    assert done.exit_code == 0, done.output
    db_session.expire_all()
    entry = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "approval.break_glass")
    ).one()
    assert entry.data["reason"].startswith("incident 42") and entry.subject == "demo-mall"


def test_model_activation_needs_an_approved_request(
    runner: FlaskCliRunner,
    settings: Any,
    small_artefact: dict[str, Any],
    make_staff: Callable[..., Staff],
) -> None:
    write_artefact(small_artefact, settings.model_dir)
    version = small_artefact["version"]
    refused = _cli(runner, "model", "activate", version)
    assert refused.exit_code == 1 and "model-activation" in refused.output
    listing = json.loads(_cli(runner, "model", "list", "--json").output)
    assert listing["active"] != version  # nothing was activated
    risk1, risk2 = make_staff("risk_officer"), make_staff("risk_officer")
    asked = _cli(
        runner, "approvals", "request", "model-activation", version, "--by", risk1.email, "--json"
    )
    request_id = json.loads(asked.output)["id"]
    assert _cli(runner, "approvals", "approve", request_id, "--by", risk2.email).exit_code == 0
    assert _cli(runner, "model", "activate", version).exit_code == 0
    again = _cli(runner, "model", "activate", version)
    assert again.exit_code == 1  # used
