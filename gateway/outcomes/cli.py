"""``gateway outcomes import CSV`` · ``outcomes simulate --since …``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from gateway.cli import CommandFailed, InvalidInput
from gateway.clock import utcnow
from gateway.funnel.cli import parse_since
from gateway.outcomes.csv_import import BadRow, describe, read_events
from gateway.outcomes.services import EventConflict, InvalidEvents, record_events
from gateway.sessions import get_database

outcomes_group = AppGroup("outcomes", help="Loan performance: the bank's events, simulations.")


@outcomes_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_command(path: Path, as_json: bool) -> None:
    """Record a CSV file of loan events, all or nothing (a bad row exits 2: line N.column)."""
    try:
        events = read_events(path)
    except OSError as exc:
        raise InvalidInput(f"{path}: {exc.strerror or type(exc).__name__}") from None
    except (BadRow, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name}: {exc}") from None
    if not events:
        raise InvalidInput(f"{path.name}: no events")
    with get_database().new_session() as db:
        try:
            result = record_events(db, events, source="import")
        except InvalidEvents as exc:
            raise InvalidInput(f"{path.name}: {describe(exc)}") from None
        except EventConflict as exc:
            raise InvalidInput(f"{path.name}: {exc.detail}") from None
        db.commit()
        states: dict[str, int] = {}
        for loan in result.loans:
            states[loan.state] = states.get(loan.state, 0) + 1
    summary = {"recorded": result.recorded, "duplicates": result.duplicates, "states": states}
    if as_json:
        click.echo(json.dumps(summary))
    else:
        click.echo(
            f"recorded {result.recorded} event(s), {result.duplicates} already known; "
            f"loans by state: {json.dumps(states, sort_keys=True)}"
        )


@outcomes_group.command("simulate")
@click.option(
    "--since", default="400d", show_default=True, help="Loans funded since: 30d, 2w or a date."
)
@click.option("--seed", default=0, show_default=True, type=int, help="Varies the draws.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def simulate_command(since: str, seed: int, as_json: bool) -> None:
    """Simulate repayment behaviour of sandbox loans from the synthetic process's true PD."""
    from gateway.outcomes.simulation import simulate

    now = utcnow()
    start = parse_since(since, now)
    with get_database().new_session() as db:
        try:
            summary = simulate(db, since=start, as_of=now, seed=seed)
        except (InvalidEvents, EventConflict) as exc:
            raise CommandFailed(exc.detail) from None
        db.commit()
    data = {
        "loans": summary.loans,
        "skipped": summary.skipped,
        "recorded": summary.recorded,
        "duplicates": summary.duplicates,
        "defaulted": summary.defaulted,
    }
    if as_json:
        click.echo(json.dumps(data))
    else:
        click.echo(
            f"simulated {summary.loans} sandbox loan(s) ({summary.defaulted} defaulting), "
            f"{summary.recorded} event(s) recorded, {summary.duplicates} already known, "
            f"{summary.skipped} skipped (stored profile: true PD unknown)"
        )


COMMANDS = (outcomes_group,)
