"""``gateway webhooks``: delivery worker, replay, secrets, and the attempt log."""

from __future__ import annotations

import json
import time
from typing import Any

import click
import httpx
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.clock import rfc3339
from gateway.config import Settings
from gateway.errors import NotFound
from gateway.sessions import get_database
from gateway.webhooks import delivery, secrets
from gateway.webhooks.models import WebhookAttempt, WebhookEvent

webhooks_group = AppGroup("webhooks", help="Webhook delivery, replay, secrets and attempt log.")


def _settings() -> Settings:
    settings: Settings = current_app.extensions["gateway.settings"]
    return settings


@webhooks_group.command("deliver")
@click.option("--once", is_flag=True, help="Attempt what is due now, then exit.")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
def deliver_command(once: bool, interval: float, limit: int, as_json: bool) -> None:
    """Send due webhook events (run several side by side on PostgreSQL)."""
    settings = _settings()
    with httpx.Client(timeout=delivery.TIMEOUT, follow_redirects=False) as http:
        while True:
            report = delivery.deliver_due(
                get_database(), secret_key=settings.secret_key, http=http, limit=limit
            )
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "delivered": report.delivered,
                            "retrying": report.retrying,
                            "dead": report.dead,
                        }
                    )
                )
            elif report.attempts or once:
                click.echo(
                    f"delivered {len(report.delivered)}, retrying {len(report.retrying)}, "
                    f"dead-lettered {len(report.dead)}"
                )
            if once:
                return
            if report.attempts < limit:
                time.sleep(interval)


@webhooks_group.command("replay")
@click.argument("event_id")
@click.option("--json", "as_json", is_flag=True)
def replay_command(event_id: str, as_json: bool) -> None:
    """Make an event due again (same webhook-id and body); the worker sends it."""
    with get_database().new_session() as db:
        try:
            event = delivery.replay(db, event_id)
        except NotFound as exc:
            raise CommandFailed(str(exc)) from None
        db.commit()
        row = _event_json(event)
    click.echo(json.dumps(row) if as_json else f"{event_id} is pending again")


@webhooks_group.command("secret")
@click.argument("partner_id")
@click.option("--env", "environment", type=click.Choice(["sandbox", "live"]), required=True)
@click.option("--json", "as_json", is_flag=True)
def secret_command(partner_id: str, environment: str, as_json: bool) -> None:
    """Issue or rotate a partner's whsec_ signing secret; printed once, give it to the partner."""
    from gateway.partners.services import get_partner

    with get_database().new_session() as db:
        try:
            partner = get_partner(db, partner_id)
        except NotFound:
            raise InvalidInput(f"no partner {partner_id!r}") from None
        if partner.config.environment(environment) is None:
            raise InvalidInput(f"{partner_id} has no {environment} environment")
        value = secrets.issue(db, _settings().secret_key, partner_id, environment, actor="bank:cli")
        db.commit()
    if as_json:
        shown = {"partner_id": partner_id, "environment": environment, "secret": value}
        click.echo(json.dumps(shown))
    else:
        click.echo(value)


def _event_json(event: WebhookEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "partner_id": event.partner_id,
        "environment": event.environment,
        "type": event.type,
        "resource_id": event.resource_id,
        "sequence": event.sequence,
        "status": event.status,
        "attempts": event.attempts,
        "created_at": rfc3339(event.created_at),
        "next_attempt_at": rfc3339(event.next_attempt_at),
        "last_error": event.last_error,
    }


@webhooks_group.command("list")
@click.option("--status", type=click.Choice(["pending", "delivered", "dead"]))
@click.option("--partner", "partner_id")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
def list_command(status: str | None, partner_id: str | None, limit: int, as_json: bool) -> None:
    """List recent events (e.g. --status dead for the dead letters)."""
    query = select(WebhookEvent).order_by(WebhookEvent.created_at.desc()).limit(limit)
    if status:
        query = query.where(WebhookEvent.status == status)
    if partner_id:
        query = query.where(WebhookEvent.partner_id == partner_id)
    with get_database().new_session() as db:
        rows = [_event_json(e) for e in db.scalars(query)]
    if as_json:
        click.echo(json.dumps({"data": rows}))
        return
    for row in rows:
        click.echo(
            f"{row['id']}  {row['status']:<9}  {row['type']:<22}  {row['partner_id']}/"
            f"{row['environment']}  attempts={row['attempts']}  {row['last_error'] or ''}"
        )


@webhooks_group.command("attempts")
@click.argument("event_id")
@click.option("--json", "as_json", is_flag=True)
def attempts_command(event_id: str, as_json: bool) -> None:
    """Every delivery attempt of one event: when, where, status code, error."""
    with get_database().new_session() as db:
        if db.get(WebhookEvent, event_id) is None:
            raise CommandFailed(f"no webhook event {event_id!r}")
        rows = [
            {
                "number": a.number,
                "attempted_at": rfc3339(a.attempted_at),
                "url": a.url,
                "status_code": a.status_code,
                "duration_ms": a.duration_ms,
                "outcome": a.outcome,
                "error": a.error,
            }
            for a in db.scalars(
                select(WebhookAttempt)
                .where(WebhookAttempt.event_id == event_id)
                .order_by(WebhookAttempt.number)
            )
        ]
    if as_json:
        click.echo(json.dumps({"event_id": event_id, "data": rows}))
        return
    for row in rows:
        click.echo(
            f"#{row['number']}  {row['attempted_at']}  {row['outcome']:<9}  "
            f"{row['status_code'] or '-'}  {row['duration_ms']} ms  {row['error'] or ''}"
        )


COMMANDS = (webhooks_group,)
