"""``gateway profiles``: import bank-side profiles; generate a synthetic population."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.config import Settings
from gateway.errors import ValidationFailed
from gateway.profiles.population import population_rows, write_population_csv
from gateway.profiles.services import parse_profile_row, store_profiles
from gateway.profiles.synthetic import generate_population
from gateway.sessions import get_database

profiles_group = AppGroup("profiles", help="Bank-side customer profiles.")


@profiles_group.command("import")
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def import_command(csv_path: Path, as_json: bool) -> None:
    """Import profiles from CSV; phone and id_number are hashed, never stored."""
    settings: Settings = current_app.extensions["gateway.settings"]
    try:
        with open(csv_path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "phone" not in reader.fieldnames:
                raise InvalidInput(f"{csv_path}: needs a header row with a phone column")
            rows = [
                parse_profile_row(raw, settings.identifier_pepper, line)
                for line, raw in enumerate(reader, start=2)
            ]
    except OSError as exc:
        raise InvalidInput(f"{csv_path}: cannot read ({type(exc).__name__})") from exc
    except ValidationFailed as exc:
        field, message = next(iter(exc.errors.items()))
        raise InvalidInput(f"{csv_path}: {field} {message}") from exc
    if not rows:
        raise InvalidInput(f"{csv_path}: no rows")
    _store(rows, "import", as_json)


@profiles_group.command("generate")
@click.option("--count", type=click.IntRange(min=1), required=True, help="How many customers.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write CSV (with the true outcome `defaulted`) instead of storing profiles.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def generate_command(count: int, seed: int, out: Path | None, as_json: bool) -> None:
    """Generate a synthetic population (docs/model-card.md documents the process)."""
    columns, defaulted = generate_population(count, seed)
    if out is not None:
        try:
            write_population_csv(out, columns, defaulted, seed)
        except OSError as exc:
            raise CommandFailed(f"{out}: cannot write ({type(exc).__name__})") from exc
        summary = {
            "rows": count,
            "seed": seed,
            "out": str(out),
            "default_rate": round(float(defaulted.mean()), 4),
        }
        click.echo(json.dumps(summary) if as_json else f"wrote {count} profiles to {out}")
        return
    settings: Settings = current_app.extensions["gateway.settings"]
    _store(population_rows(columns, count, seed, settings.identifier_pepper), "generated", as_json)


def _store(rows: Iterable[Mapping[str, Any]], source: str, as_json: bool) -> None:
    with get_database().new_session() as session:
        summary = store_profiles(session, rows, source)
        session.commit()
    data = {"rows": summary.rows, "inserted": summary.inserted, "replaced": summary.replaced}
    if as_json:
        click.echo(json.dumps(data))
    else:
        click.echo(f"stored {summary.rows} profiles ({summary.replaced} replaced)")


COMMANDS = (profiles_group,)
