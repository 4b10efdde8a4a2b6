"""``gateway keys rotate``."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from gateway.keys import services
from gateway.sessions import get_database

keys_group = AppGroup("keys", help="Token signing keys.")


@keys_group.command("rotate")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def rotate_command(as_json: bool) -> None:
    """Create a new signing key; the previous one verifies until its tokens expire."""
    with get_database().new_session() as db:
        kid = services.rotate(db, actor="cli")
        db.commit()
    if as_json:
        click.echo(json.dumps({"kid": kid}))
    else:
        click.echo(
            f"new signing key {kid}; earlier keys stay in the JWKS and keep verifying "
            "until the tokens they signed expire"
        )


COMMANDS = (keys_group,)
