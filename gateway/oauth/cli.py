"""``gateway clients issue | rotate | issue-internal``: credentials, shown once."""

from __future__ import annotations

import datetime as dt
import json
import re

import click
from flask.cli import AppGroup

from gateway.approvals.gates import gate_live_credentials
from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.errors import DomainError
from gateway.oauth import credentials
from gateway.sessions import get_database

clients_group = AppGroup("clients", help="Partner client credentials.")
_ENV = click.Choice(["sandbox", "live"])
_DURATION = re.compile(r"^(\d+)([smhd])$")
_BREAK_GLASS = click.option(
    "--break-glass",
    "break_glass",
    metavar="REASON",
    help="Live only: act without the four-eyes approval; the reason is audited.",
)


def _grace(value: str) -> dt.timedelta:
    match = _DURATION.match(value)
    if match is None:
        raise InvalidInput(f"--grace must look like 24h, 30m, 0s or 7d, not {value!r}")
    amount, unit = int(match.group(1)), match.group(2)
    seconds = amount * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    return dt.timedelta(seconds=seconds)


def _failure(exc: DomainError) -> click.ClickException:
    """Exit 2 for invalid input (e.g. a too-short break-glass reason), else 1."""
    return (InvalidInput if exc.kind == "invalid" else CommandFailed)(exc.detail)


def _print(issued: credentials.IssuedCredentials, as_json: bool) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "client_id": issued.client_id,
                    "client_secret": issued.client_secret,
                    "environment": issued.environment,
                }
            )
        )
        return
    click.echo(f"client_id:     {issued.client_id}")
    if issued.client_secret:
        click.echo(f"client_secret: {issued.client_secret}")
        click.echo("The secret is shown only now; it is stored hashed. Hand it over securely.")
    else:
        click.echo("No secret: this client authenticates with private_key_jwt (its config jwks).")
    click.echo(f"environment:   {issued.environment} ({issued.token_endpoint_auth_method})")


@clients_group.command("issue")
@click.argument("partner_id")
@click.option("--env", "environment", type=_ENV, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_BREAK_GLASS
def issue_command(
    partner_id: str, environment: str, as_json: bool, break_glass: str | None
) -> None:
    """Issue PARTNER_ID's credentials; live needs an approved go-live (gateway approvals)."""
    with get_database().new_session() as db:
        try:
            issued = credentials.issue(db, partner_id, environment, actor="cli")
            if environment == "live":  # same transaction: refused, nothing is issued
                gate_live_credentials(
                    db, partner_id, rotating=False, actor="cli", break_glass_reason=break_glass
                )
        except DomainError as exc:
            raise _failure(exc) from None
        db.commit()
    _print(issued, as_json)


@clients_group.command("rotate")
@click.argument("partner_id")
@click.option("--env", "environment", type=_ENV, required=True)
@click.option("--grace", default="24h", show_default=True, help="How long the old secret works.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_BREAK_GLASS
def rotate_command(
    partner_id: str, environment: str, grace: str, as_json: bool, break_glass: str | None
) -> None:
    """Give PARTNER_ID's client a new secret; live needs an approved live-credentials request."""
    period = _grace(grace)
    with get_database().new_session() as db:
        try:
            issued = credentials.rotate(db, partner_id, environment, grace=period, actor="cli")
            if environment == "live":  # same transaction: refused, nothing is rotated
                gate_live_credentials(
                    db, partner_id, rotating=True, actor="cli", break_glass_reason=break_glass
                )
        except DomainError as exc:
            raise _failure(exc) from None
        db.commit()
    _print(issued, as_json)


@clients_group.command("issue-internal")
@click.argument("label")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(credentials.INTERNAL_SCOPES),
    help="An internal scope, e.g. loans:write for the loan performance feed (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def issue_internal_command(label: str, scopes: tuple[str, ...], as_json: bool) -> None:
    """Issue credentials for a bank-internal caller (/oauth/introspect, /internal/v1/*)."""
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,63}$", label):
        raise InvalidInput("LABEL must be a lower-case slug, e.g. risk-monitor")
    with get_database().new_session() as db:
        issued = credentials.issue_internal(db, label, scopes=scopes, actor="cli")
        db.commit()
    _print(issued, as_json)


COMMANDS = (clients_group,)
