"""``gateway risk hits``: the risk findings with their detail, for bank staff."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from gateway.cli import InvalidInput
from gateway.clock import utcnow
from gateway.risk.config import parse_window
from gateway.risk.models import RiskHit
from gateway.sessions import get_database

risk_group = AppGroup(
    "risk", help="Risk controls: exposure, partner limits, velocity and identity."
)


@risk_group.command("hits")
@click.option("--customer", "customer_ref", default=None, help="A customer reference (cus_…).")
@click.option("--subject", default=None, help="A prequalification id (pq_…).")
@click.option("--since", default="7d", show_default=True, help="How far back (15m, 24h, 30d).")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
def hits_command(
    customer_ref: str | None, subject: str | None, since: str, limit: int, as_json: bool
) -> None:
    """List rule hits and limit findings, newest first (the review dossier's lines)."""
    try:
        window = parse_window(since)
    except ValueError as exc:
        raise InvalidInput(f"--since: {exc}") from None
    query = select(RiskHit).where(RiskHit.created_at > utcnow() - window)
    if customer_ref:
        query = query.where(RiskHit.customer_ref == customer_ref)
    if subject:
        query = query.where(RiskHit.subject == subject)
    with get_database().new_session() as db:
        rows = list(db.scalars(query.order_by(RiskHit.created_at.desc()).limit(limit)))
    for hit in rows:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "subject": hit.subject,
                        "partner_id": hit.partner_id,
                        "environment": hit.environment,
                        "customer_ref": hit.customer_ref,
                        "rule": hit.rule,
                        "mode": hit.mode,
                        "action": hit.action,
                        "reason_code": hit.reason_code,
                        "detail": hit.detail,
                        "created_at": hit.created_at.astimezone(dt.UTC).isoformat(),
                    }
                )
            )
        else:
            click.echo(
                f"{hit.created_at:%Y-%m-%d %H:%M}  {hit.subject}  {hit.partner_id:<14} "
                f"{hit.rule:<22} {hit.mode:<8} {hit.action:<8} {hit.detail}"
            )


COMMANDS = (risk_group,)
