"""``gateway ops users add | list | disable``: console users."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.clock import rfc3339
from gateway.errors import DomainError
from gateway.ops import users
from gateway.ops.roles import ROLES, needs_totp
from gateway.sessions import get_database

ops_group = AppGroup("ops", help="The operations console (/ops).")
users_group = AppGroup("users", help="Console users.")
ops_group.add_command(users_group)


@users_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--json", "as_json", is_flag=True)
def add_command(email: str, role: str, as_json: bool) -> None:
    """Add a user; prints a one-time password (changed at first sign-in) and the TOTP secret."""
    secret_key = current_app.extensions["gateway.settings"].secret_key
    with get_database().new_session() as db:
        try:
            made = users.add_user(db, email, role, secret_key=secret_key, actor="cli")
        except DomainError as exc:
            raise (InvalidInput if exc.kind == "invalid" else CommandFailed)(exc.detail) from None
        db.commit()
    data = {
        "email": made.user.email,
        "role": role,
        "one_time_password": made.one_time_password,
        "totp_secret": made.totp_secret,
        "totp_uri": made.totp_uri,
        "totp_required": needs_totp(role),
    }
    if as_json:
        click.echo(json.dumps(data))
        return
    click.echo(f"email:              {data['email']} ({role})")
    click.echo(f"one-time password:  {data['one_time_password']}  (changed at first sign-in)")
    click.echo(f"TOTP secret:        {data['totp_secret']}")
    click.echo(f"TOTP URI:           {data['totp_uri']}")
    if not needs_totp(role):
        click.echo("(viewers sign in without a TOTP code)")
    click.echo("Shown only now: hand them over in person or over a secure channel.")


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json: bool) -> None:
    """Every user with role and state."""
    with get_database().new_session() as db:
        rows = [
            {
                "email": u.email,
                "role": u.role,
                "disabled": u.disabled_at is not None,
                "must_change_password": u.must_change_password,
                "last_sign_in_at": rfc3339(u.last_sign_in_at) if u.last_sign_in_at else None,
            }
            for u in users.list_users(db)
        ]
    if as_json:
        click.echo(json.dumps({"data": rows}))
        return
    for row in rows:
        state = "disabled" if row["disabled"] else "enabled"
        click.echo(
            f"{row['email']:<36} {row['role']:<13} {state:<9} {row['last_sign_in_at'] or '-'}"
        )


@users_group.command("disable")
@click.argument("email")
@click.option("--json", "as_json", is_flag=True)
def disable_command(email: str, as_json: bool) -> None:
    """Disable a user (their console sessions end at once)."""
    with get_database().new_session() as db:
        try:
            user = users.disable_user(db, email, actor="cli")
        except DomainError as exc:
            raise CommandFailed(exc.detail) from None
        db.commit()
    click.echo(
        json.dumps({"email": user.email, "disabled": True}) if as_json else f"{user.email} disabled"
    )


COMMANDS = (ops_group,)
