"""docs/partners-onboarding.md's command-line go-live runs as written (acme-shop → demo-mall)."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy import update
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.webhooks.models import WebhookEvent
from tests.gateway.applications.flow import accepted
from tests.gateway.ops.conftest import Staff

DOC = Path(__file__).resolve().parents[3] / "docs" / "partners-onboarding.md"


def _commands(section: str) -> list[list[str]]:
    text = DOC.read_text("utf-8").split(section, 1)[1]
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block
    lines = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("gateway ")]


def test_the_documented_cli_go_live_runs_as_written(
    runner: FlaskCliRunner,
    db_session: Session,
    partner_api: Any,
    make_staff: Callable[..., Staff],
) -> None:
    make_staff("operator", email="li.wei@bank.example")
    make_staff("operator", email="zhang.min@bank.example")
    _offer, application = accepted(partner_api("demo-mall", "sandbox"))
    db_session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.resource_id == application["id"])
        .values(status="delivered", delivered_at=utcnow())
    )
    db_session.commit()
    request_id = ""
    commands = _commands("### From the command line")
    assert [c[:2] for c in commands] == [
        ["approvals", "request"],
        ["approvals", "list"],
        ["approvals", "approve"],
        ["clients", "issue"],
    ]
    for args in commands:
        args = [request_id if a == "apr_…" else a.replace("acme-shop", "demo-mall") for a in args]
        if args[:2] == ["approvals", "request"]:
            result = runner.invoke(args=[*args, "--json"])
            request_id = json.loads(result.output)["id"]
        else:
            result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
    assert "client_secret" in result.output
