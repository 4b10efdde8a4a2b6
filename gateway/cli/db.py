"""``gateway db``: schema migrations."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.config import Settings
from gateway.migrations import current_heads, upgrade

db_group = AppGroup("db", help="Database schema.")


@db_group.command("upgrade")
@click.option("--revision", default="heads", show_default=True, help="Target revision.")
def upgrade_command(revision: str) -> None:
    """Apply migrations to the configured database."""
    settings: Settings = current_app.extensions["gateway.settings"]
    upgrade(settings.database_url, revision, identifier_pepper=settings.identifier_pepper)
    heads = ", ".join(sorted(current_heads(settings.database_url))) or "empty"
    click.echo(f"database at {heads}")
