"""``gateway approvals request | approve | reject | list``: four-eyes from the command line.

``--by EMAIL`` names the console user acting: they must be enabled and hold
the permission the request type needs, exactly as in the console.
"""

from __future__ import annotations

import json
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.approvals import services
from gateway.approvals.models import ApprovalRequest
from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.clock import rfc3339
from gateway.config import Settings
from gateway.errors import DomainError
from gateway.sessions import get_database

approvals_group = AppGroup("approvals", help="Four-eyes requests (go-live, live credentials, …).")
_TYPE = click.Choice(list(services.TYPES))


def _settings() -> Settings:
    settings: Settings = current_app.extensions["gateway.settings"]
    return settings


def request_json(row: ApprovalRequest) -> dict[str, Any]:
    """A request as JSON (shared with the console)."""
    return {
        "id": row.id,
        "type": row.type,
        "target": row.target,
        "status": services.effective_status(row),
        "reason": row.reason,
        "requested_by": row.requested_by,
        "requested_at": rfc3339(row.requested_at),
        "expires_at": rfc3339(row.expires_at),
        "decided_by": row.decided_by,
        "decided_at": rfc3339(row.decided_at) if row.decided_at else None,
        "used_at": rfc3339(row.used_at) if row.used_at else None,
    }


def _fail(exc: DomainError) -> click.ClickException:
    if exc.kind == "invalid":
        return InvalidInput(exc.detail)
    return CommandFailed(exc.detail)


@approvals_group.command("request")
@click.argument("approval_type", metavar="TYPE", type=_TYPE)
@click.argument("target")
@click.option("--by", "by", required=True, help="E-mail of the console user asking.")
@click.option("--reason", default="", help="Why (shown to the approver).")
@click.option("--json", "as_json", is_flag=True)
def request_command(approval_type: str, target: str, by: str, reason: str, as_json: bool) -> None:
    """Ask for TYPE of TARGET (a partner id, model version or review case id)."""
    with get_database().new_session() as db:
        try:
            row = services.request(
                db,
                approval_type,
                target,
                by=by,
                reason=reason,
                config_dir=_settings().partner_configs,
            )
        except DomainError as exc:
            raise _fail(exc) from None
        db.commit()
        data = request_json(row)
    click.echo(json.dumps(data) if as_json else f"{row.id} requested; another user approves it")


def _decide(request_id: str, by: str, approve: bool, as_json: bool) -> None:
    with get_database().new_session() as db:
        try:
            row = services.decide(db, request_id, by=by, approve=approve)
        except DomainError as exc:
            raise _fail(exc) from None
        db.commit()
        data = request_json(row)
    click.echo(json.dumps(data) if as_json else f"{row.id} {row.status} by {row.decided_by}")


@approvals_group.command("approve")
@click.argument("request_id", metavar="ID")
@click.option("--by", "by", required=True, help="E-mail of the approving user (not the requester).")
@click.option("--json", "as_json", is_flag=True)
def approve_command(request_id: str, by: str, as_json: bool) -> None:
    """Approve request ID (within 24 hours of the request)."""
    _decide(request_id, by, True, as_json)


@approvals_group.command("reject")
@click.argument("request_id", metavar="ID")
@click.option("--by", "by", required=True, help="E-mail of the rejecting user.")
@click.option("--json", "as_json", is_flag=True)
def reject_command(request_id: str, by: str, as_json: bool) -> None:
    """Reject request ID."""
    _decide(request_id, by, False, as_json)


@approvals_group.command("list")
@click.option("--status", type=click.Choice(["pending", "approved", "rejected", "used"]))
@click.option("--json", "as_json", is_flag=True)
def list_command(status: str | None, as_json: bool) -> None:
    """Recent requests, newest first."""
    with get_database().new_session() as db:
        rows = [request_json(r) for r in services.list_requests(db, status=status)]
    if as_json:
        click.echo(json.dumps({"data": rows}))
        return
    for row in rows:
        click.echo(
            f"{row['id']}  {row['type']:<17} {row['target']:<24} {row['status']:<9} "
            f"by {row['requested_by']}  {row['decided_by'] or ''}"
        )


COMMANDS = (approvals_group,)
