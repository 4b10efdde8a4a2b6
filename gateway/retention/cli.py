"""``gateway retention run [--dry-run]``: delete what is past its retention period."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.cli import InvalidInput
from gateway.retention import services
from gateway.retention.policy import CATEGORIES, InvalidPeriods, parse_periods
from gateway.sessions import get_database

retention_group = AppGroup("retention", help="Retention and deletion by data category.")


def configured_periods(override: str = "") -> dict[str, int]:
    """The app's periods (``GATEWAY_RETENTION_DAYS``), then ``override`` on top.

    Raises:
        InvalidPeriods: a period is unknown, malformed or below its minimum.
    """
    settings = current_app.extensions["gateway.settings"]
    return parse_periods(override, parse_periods(settings.retention_days))


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
@click.option("--as-of", "as_of", default=None, help="The clock, RFC 3339 (default: now).")
@click.option("--batch", default=500, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--period", "periods", multiple=True, help="CATEGORY=DAYS for this run (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def run_command(
    dry_run: bool, as_of: str | None, batch: int, periods: tuple[str, ...], as_json: bool
) -> None:
    """Delete (or, with --dry-run, count) every row past its category's retention period."""
    try:
        chosen = configured_periods(",".join(periods))
    except InvalidPeriods as exc:
        raise InvalidInput(str(exc)) from None
    now = _parse_time(as_of) if as_of else None
    report = services.run(
        get_database(), periods=chosen, now=now, dry_run=dry_run, batch=batch, actor="cli"
    )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "as_of": report.as_of.isoformat(),
                    "dry_run": report.dry_run,
                    "removed": report.removed,
                    "periods": report.periods,
                }
            )
        )
        return
    verb = "would remove" if dry_run else "removed"
    for category in CATEGORIES:
        click.echo(
            f"{category.name:<20} {report.periods[category.name]:>5} days  "
            f"{verb} {report.removed[category.name]}"
        )


def _parse_time(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"--as-of: not an RFC 3339 time: {text!r}") from None
    if value.tzinfo is None:
        raise InvalidInput("--as-of: give a time zone (e.g. Z)")
    return value.astimezone(dt.UTC)


def run_if_due(
    now: dt.datetime, periods: Mapping[str, int] | None = None
) -> services.RetentionReport | None:
    """The worker's daily run: retention when the last run is a day old (else nothing)."""
    database = get_database()
    with database.new_session() as session:
        if not services.due(session, now):
            return None
    return services.run(database, periods=periods or configured_periods(), now=now, actor="worker")


COMMANDS = (retention_group,)
