"""``gateway consents``: customer rights exercised through the bank's own channels."""

from __future__ import annotations

import importlib
import json
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from gateway.cli.errors import InvalidInput
from gateway.clock import rfc3339, utcnow
from gateway.config import Settings
from gateway.consent import services
from gateway.consent.notices import PURPOSES
from gateway.errors import ValidationFailed
from gateway.identity import customer_ref
from gateway.sessions import get_database

consents_group = AppGroup("consents", help="Customer consent (revocation, export, expiry).")


def _resolve_customer(value: str) -> str:
    """A ``cus_`` reference as given, or a phone number hashed at once."""
    if value.startswith("cus_"):
        return value
    settings: Settings = current_app.extensions["gateway.settings"]
    try:
        return customer_ref(settings.identifier_pepper, value)
    except ValidationFailed as exc:
        raise InvalidInput("--customer must be a phone number or a cus_ reference") from exc


def _consent_json(consent: Any) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": consent.id,
        "partner_id": consent.partner_id,
        "environment": consent.environment,
        "purpose": consent.purpose,
        "status": consent.status_at(now),
        "notice_version": consent.notice_version,
        "notice_hash": consent.notice_hash,
        "granted_at": rfc3339(consent.granted_at),
        "expires_at": rfc3339(consent.expires_at),
        "revoked_at": rfc3339(consent.revoked_at) if consent.revoked_at else None,
        "revoked_by": consent.revoked_by,
        "receipt_id": consent.receipt_id,
        "evidence": {k: consent.evidence.get(k) for k in ("captured_at", "channel", "locale")},
    }


@consents_group.command("revoke")
@click.option("--customer", required=True, help="Phone number or cus_ reference.")
@click.option("--purpose", type=click.Choice(PURPOSES), help="Only this purpose.")
@click.option("--partner", "partner_id", help="Only consents given to this partner.")
@click.option("--reason", default="customer request via bank channel", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def revoke_command(
    customer: str, purpose: str | None, partner_id: str | None, reason: str, as_json: bool
) -> None:
    """Revoke a customer's active consents at once (open offers relying on them are voided)."""
    ref = _resolve_customer(customer)
    with get_database().new_session() as db:
        revoked = services.revoke_for_customer(
            db, ref, actor="bank:cli", purpose=purpose, partner_id=partner_id, reason=reason
        )
        db.commit()
        rows = [_consent_json(c) for c in revoked]
    if as_json:
        click.echo(json.dumps({"customer_ref": ref, "revoked": rows}, ensure_ascii=False))
    else:
        click.echo(f"revoked {len(rows)} consent(s) of {ref}")
        for row in rows:
            click.echo(f"  {row['id']}  {row['partner_id']}/{row['environment']}  {row['purpose']}")


@consents_group.command("export")
@click.option("--customer", required=True, help="Phone number or cus_ reference.")
@click.option("--json", "as_json", is_flag=True, help="JSON (the default output is JSON too).")
def export_command(customer: str, as_json: bool) -> None:
    """Print every consent and every decision about a customer (PIPL Art. 45)."""
    ref = _resolve_customer(customer)
    with get_database().new_session() as db:
        document: dict[str, Any] = {
            "customer_ref": ref,
            "exported_at": rfc3339(utcnow()),
            "consents": [_consent_json(c) for c in services.consents_of_customer(db, ref)],
            "decisions": _decisions(db, ref),
        }
    click.echo(json.dumps(document, ensure_ascii=False, indent=None if as_json else 2))


def _decisions(db: Any, ref: str) -> list[dict[str, Any]]:
    """Decisions from the prequalification domain, when it is installed."""
    try:
        module = importlib.import_module("gateway.prequal.services")
    except ImportError:
        return []
    exporter = getattr(module, "decisions_of_customer", None)
    return list(exporter(db, ref)) if exporter is not None else []


@consents_group.command("expire")
@click.option("--json", "as_json", is_flag=True)
def expire_command(as_json: bool) -> None:
    """Mark consents past their expiry as expired and audit each (run periodically)."""
    with get_database().new_session() as db:
        expired = services.expire_due(db)
        db.commit()
        ids = [c.id for c in expired]
    click.echo(json.dumps({"expired": ids}) if as_json else f"expired {len(ids)} consent(s)")


COMMANDS = (consents_group,)
