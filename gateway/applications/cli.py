"""``gateway applications``: the underwriting worker."""

from __future__ import annotations

import json
import time

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.clock import utcnow
from gateway.profiles.profile import Profile
from gateway.sessions import get_database
from gateway.underwriting.adapter import LoanOrigination
from gateway.underwriting.simulator import SimulatedLoanOrigination
from gateway.underwriting.worker import work_once

applications_group = AppGroup("applications", help="Applications: final underwriting worker.")


def _profiles(customer_ref: str, environment: str) -> Profile | None:
    from gateway.profiles.services import get_profile
    from gateway.profiles.synthetic import synthetic_profile_for

    with get_database().new_session() as db:
        profile = get_profile(db, customer_ref)
    if profile is None and environment == "sandbox":
        return synthetic_profile_for(customer_ref)
    return profile


def adapter(min_delay: float, max_delay: float) -> LoanOrigination:
    """The configured loan-origination adapter, else the built-in simulator."""
    configured: LoanOrigination | None = current_app.extensions.get("gateway.underwriting")
    if configured is not None:
        return configured
    return SimulatedLoanOrigination(_profiles, delay=(min_delay, max_delay))


@applications_group.command("work")
@click.option("--once", is_flag=True, help="Decide one batch and exit.")
@click.option("--batch", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls.")
@click.option("--min-delay", default=0.5, show_default=True, help="Simulated bureau latency.")
@click.option("--max-delay", default=2.0, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--no-retention", is_flag=True, help="Do not run the daily retention job in this worker."
)
def work_command(
    once: bool,
    batch: int,
    interval: float,
    min_delay: float,
    max_delay: float,
    as_json: bool,
    no_retention: bool,
) -> None:
    """Decide submitted applications through the loan-origination adapter.

    The sandbox's simulated reviewer runs in the same loop (docs/reviews.md).
    The worker also runs ``gateway retention run`` once a day (the last run's
    time is in the database, so several workers still run it about daily).
    """
    from gateway.retention.cli import run_if_due
    from gateway.reviews.simulator import simulate_once

    settings = current_app.extensions["gateway.settings"]
    issuer = settings.issuer or "http://localhost"
    los = adapter(min_delay, max_delay)
    while True:
        if not no_retention:
            ran = run_if_due(utcnow())
            if ran is not None and ran.total:
                click.echo(f"retention: removed {ran.total} row(s)", err=True)
        decided = work_once(get_database(), los, batch=batch)
        for review in simulate_once(get_database(), issuer=issuer):
            if as_json:
                click.echo(json.dumps({"review": review.case_id, "outcome": review.outcome}))
            else:
                click.echo(f"{review.case_id}  review {review.outcome} (sandbox reviewer)")
        for item in decided:
            if as_json:
                click.echo(json.dumps({"id": item.application_id, "status": item.status}))
            else:
                click.echo(f"{item.application_id}  {item.status}")
        if once:
            return
        if not decided:
            time.sleep(interval)


COMMANDS = (applications_group,)
