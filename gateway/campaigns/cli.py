"""``gateway campaigns``: export-eligibility, build (PySpark), load.

pyspark, pandas and pyarrow are imported inside the commands: this module is
imported by every gateway process, which must never load them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.clock import utcnow
from gateway.config import Settings
from gateway.sessions import get_database

campaigns_group = AppGroup("campaigns", help="Pre-approval campaigns on Apache Spark.")
_ENV = click.option(
    "--env",
    "environment",
    type=click.Choice(["live", "sandbox"]),
    default="live",
    show_default=True,
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def _needs_extra() -> CommandFailed:
    return CommandFailed(
        "needs the [campaigns] extra: pip install 'instalments-gateway[campaigns]'"
    )


def _echo(data: dict[str, Any], as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, default=str) if as_json else text)


@campaigns_group.command("export-eligibility")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@_ENV
@_JSON
def export_command(out: Path, environment: str, as_json: bool) -> None:
    """Write every marketing-consented customer's eligibility facts to OUT (Parquet)."""
    from gateway.campaigns.eligibility import eligibility_rows, write_parquet

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise _needs_extra() from None
    with get_database().new_session() as session:
        count = write_parquet(eligibility_rows(session, environment=environment, now=utcnow()), out)
    _echo({"rows": count, "out": str(out)}, as_json, f"exported {count} customers -> {out}")


@campaigns_group.command("build")
@click.option("--spec", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--profiles", required=True, help="Profiles: Parquet, or CSV ending in .csv.")
@click.option("--eligibility", required=True, help="The export-eligibility Parquet.")
@click.option("--out", required=True, help="Output directory (Parquet and _summary.json).")
@click.option("--master", default="local[*]", show_default=True, help="local[N], spark://…, yarn")
@_JSON
def build_command(
    spec: Path, profiles: str, eligibility: str, out: str, master: str, as_json: bool
) -> None:
    """Run the campaign job: eligible, scored, limited, budgeted customers -> Parquet list."""
    from gateway.campaigns.spec import SpecError, load_spec

    try:
        campaign = load_spec(spec)
    except SpecError as exc:
        raise InvalidInput(str(exc)) from exc
    try:
        from gateway.campaigns.job import Inputs, run
        from gateway.campaigns.session import spark_session
    except ImportError:
        raise _needs_extra() from None
    settings: Settings = current_app.extensions["gateway.settings"]
    spark = spark_session(master, f"campaign {campaign.id}")
    try:
        summary = run(spark, Inputs(spec, profiles, eligibility, out), settings.identifier_pepper)
    except SpecError as exc:
        raise InvalidInput(str(exc)) from exc
    finally:
        spark.stop()
    listed = sum(c["contacts"] for c in summary["contacts"])
    _echo(summary, as_json, f"{campaign.id}: {listed} contacts -> {out}")


@campaigns_group.command("load")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@_JSON
def load_command(directory: Path, as_json: bool) -> None:
    """Load a built list into the gateway (replaces that campaign's earlier entries)."""
    try:
        from gateway.campaigns.loading import ListInvalid, load_list
    except ImportError:
        raise _needs_extra() from None
    with get_database().new_session() as session:
        try:
            loaded = load_list(session, directory, now=utcnow())
        except ListInvalid as exc:
            raise InvalidInput(str(exc)) from exc
        session.commit()
    data = {
        "campaigns": list(loaded.campaign_ids),
        "rows": loaded.rows,
        "replaced": loaded.replaced,
    }
    _echo(data, as_json, f"loaded {loaded.rows} entries of {', '.join(loaded.campaign_ids)}")


COMMANDS = (campaigns_group,)
