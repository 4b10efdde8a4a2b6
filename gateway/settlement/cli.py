"""``gateway report settlement --date D [--partner P] [--env E] [--csv OUT] [--json]``."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import click

from gateway.cli import InvalidInput
from gateway.clock import rfc3339
from gateway.funnel.cli import report_group
from gateway.sessions import get_database
from gateway.settlement.services import Settlement, settle, settlement_view

CSV_COLUMNS = (
    "date",
    "partner_id",
    "environment",
    "application_id",
    "prequalification_id",
    "currency",
    "funded_amount",
    "refunded_amount",
    "merchant_subsidy",
    "net",
)


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("--date must be YYYY-MM-DD") from None


def write_csv(path: Path, settlements: list[Settlement]) -> None:
    """One row per line, then a ``TOTAL`` row per partner and environment."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for settlement in settlements:
            view = settlement_view(settlement)
            head = [view["date"], settlement.partner_id, settlement.environment]
            for line in settlement.lines:
                writer.writerow(
                    [
                        *head,
                        line.application_id,
                        line.prequalification_id,
                        line.currency,
                        f"{line.funded_amount:.2f}",
                        f"{line.refunded_amount:.2f}",
                        f"{line.merchant_subsidy:.2f}",
                        f"{line.net:.2f}",
                    ]
                )
            totals = settlement.totals
            writer.writerow(
                [*head, "TOTAL", "", settlement.currency]
                + [f"{totals[k]:.2f}" for k in CSV_COLUMNS[6:]]
            )


@report_group.command("settlement")
@click.option("--date", "day", required=True, help="The UTC day, YYYY-MM-DD.")
@click.option("--partner", "partner_id", help="Only this partner.")
@click.option("--env", "environment", type=click.Choice(["sandbox", "live"]), help="Only one.")
@click.option(
    "--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path), help="Write CSV here."
)
@click.option("--json", "as_json", is_flag=True, help="Print the settlements as JSON.")
def settlement_command(
    day: str, partner_id: str | None, environment: str | None, csv_out: Path | None, as_json: bool
) -> None:
    """A day's settlement per partner: funded, refunded, merchant subsidy owed and net."""
    date = _parse_date(day)
    with get_database().new_session() as db:
        settlements = settle(db, date, partner_id=partner_id, environment=environment)
    if csv_out is not None:
        write_csv(csv_out, settlements)
    if as_json:
        views = [settlement_view(s) for s in settlements]
        click.echo(json.dumps(views, default=lambda v: rfc3339(v)))
        return
    if not settlements:
        click.echo(f"no money moved on {date.isoformat()}")
    for settlement in settlements:
        t = settlement.totals
        click.echo(
            f"{date.isoformat()} {settlement.partner_id} {settlement.environment}: "
            f"{t['applications']} application(s), funded {t['funded_amount']:.2f}, "
            f"refunded {t['refunded_amount']:.2f}, merchant subsidy {t['merchant_subsidy']:.2f}, "
            f"net {t['net']:.2f} {settlement.currency}"
        )
    if csv_out is not None:
        click.echo(f"wrote {csv_out}")


COMMANDS: tuple[click.Command, ...] = ()  # the command joins ``gateway report`` (funnel's group)
