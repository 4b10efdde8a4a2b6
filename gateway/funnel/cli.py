"""``gateway report funnel``: the operations funnel report."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import click
from flask.cli import AppGroup

from gateway.cli.errors import InvalidInput
from gateway.clock import utcnow
from gateway.funnel.rendering import render
from gateway.funnel.report import build
from gateway.jsonable import json_default
from gateway.reviews.report import COLUMNS as REVIEW_COLUMNS
from gateway.sessions import get_database

report_group = AppGroup("report", help="Operations reports.")

_SPAN = re.compile(r"^(\d{1,5})([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: dt.datetime) -> dt.datetime:
    """``30d``, ``12h``, ``2w`` back from now, or an ISO date / time (UTC if naive).

    Raises:
        InvalidInput: neither form.
    """
    match = _SPAN.match(value)
    if match:
        return now - dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("--since must be like 30d, 12h, 2w or an ISO date") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@report_group.command("funnel")
@click.option("--since", default="30d", show_default=True, help="30d, 12h, 2w or an ISO date.")
@click.option("--partner", "partner_id", help="Only this partner.")
@click.option("--env", "environment", type=click.Choice(["sandbox", "live"]), help="Only one.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="Write HTML here."
)
def funnel_command(
    since: str,
    partner_id: str | None,
    environment: str | None,
    as_json: bool,
    html_out: Path | None,
) -> None:
    """Funnel and decline reasons by partner, scenario, segment and experiment arm."""
    now = utcnow()
    with get_database().new_session() as db:
        report = build(
            db,
            since=parse_since(since, now),
            until=now + dt.timedelta(seconds=1),
            partner_id=partner_id,
            environment=environment,
        )
    if html_out is not None:
        html_out.write_text(render(report), encoding="utf-8")
        if not as_json:
            click.echo(f"wrote {html_out}")
    if as_json:
        click.echo(json.dumps(report, default=json_default, ensure_ascii=False))
    elif html_out is None:
        for step in report["steps"]:
            click.echo(
                f"{step['step']:<22} {step['count']:>8}  {step['conversion'] * 100:6.1f}%  "
                f"{step['overall'] * 100:6.1f}%"
            )
        for kind, reasons in report["decline_reasons"].items():
            click.echo(f"declines at {kind}:")
            for r in reasons:
                click.echo(f"  {r['code']:<28} {r['count']:>6}  {r['share'] * 100:5.1f}%")
        click.echo("human review (referred, requests, approved, upheld, withdrawn, pending):")
        for row in report["reviews"]:
            counts = "  ".join(f"{row[c]:>5}" for c in REVIEW_COLUMNS)
            click.echo(f"  {row['partner']:<28} {counts}")


COMMANDS = (report_group,)
