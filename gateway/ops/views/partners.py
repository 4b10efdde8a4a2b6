"""Partners: the list, one partner's page, suspend and resume, request go-live."""

from __future__ import annotations

import difflib
from typing import Any

import yaml
from flask import abort, current_app, flash, redirect, render_template, url_for

from gateway.approvals import golive
from gateway.approvals import services as approvals
from gateway.errors import DomainError, NotFound
from gateway.oauth import credentials
from gateway.ops import reads
from gateway.ops.auth import me, requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.forms import ActionForm
from gateway.ops.i18n import translate
from gateway.partners import services as partners
from gateway.sessions import session as db_session

nav("nav.partners", "console.partners", "console.read", order=10)


def _config_dir() -> Any:
    return current_app.extensions["gateway.settings"].partner_configs


@bp.get("/partners", endpoint="partners")
@requires("console.read")
def partners_list() -> str:
    """Every partner: status, environments, last traffic, approval rate, dead webhooks."""
    db = db_session()
    rows = partners.list_partners(db)
    return render_template(
        "ops/partners/list.html",
        partners=rows,
        traffic=reads.traffic(db),
        webhooks=reads.webhook_counts(db),
    )


def _dump(data: dict[str, Any]) -> list[str]:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=True).splitlines()


def _diff(stored: dict[str, Any], reviewed: dict[str, Any] | None) -> list[str]:
    if reviewed is None:
        return []
    dump = _dump
    return list(
        difflib.unified_diff(
            dump(reviewed), dump(stored), "reviewed file", "stored", lineterm="", n=2
        )
    )


@bp.get("/partners/<partner_id>")
@requires("console.read")
def partner(partner_id: str) -> str:
    """One partner: config and its diff, credentials, webhook health, go-live checklist."""
    db = db_session()
    try:
        found = partners.get_partner(db, partner_id)
    except NotFound:
        abort(404)
    stored = partners.config_json(found.config)
    reviewed, why = golive.reviewed_config(_config_dir(), partner_id)
    clients = []
    for environment in ("sandbox", "live"):
        client = credentials.find_client(db, partner_id, environment)
        clients.append(
            {
                "environment": environment,
                "client": client,
                "last_use": reads.last_decision_at(db, partner_id, environment),
            }
        )
    return render_template(
        "ops/partners/show.html",
        partner=found,
        config_text=yaml.safe_dump(stored, allow_unicode=True, sort_keys=False),
        diff=_diff(stored, partners.config_json(reviewed) if reviewed else None),
        reviewed_problem=why,
        clients=clients,
        webhooks=reads.webhook_health(db, partner_id),
        checklist=golive.checklist(db, partner_id, _config_dir()),
        go_live=approvals.find_approved(db, "go-live", partner_id),
        pending_go_live=approvals.pending(db, "go-live", partner_id),
        form=ActionForm(),
    )


def _set_suspended(partner_id: str, suspended: bool) -> Any:
    db = db_session()
    try:
        partners.set_suspended(db, partner_id, suspended, actor=f"ops:{me().email}")
    except NotFound:
        abort(404)
    db.commit()
    flash(translate("partners.suspended_now" if suspended else "partners.resumed_now"))
    return redirect(url_for("console.partner", partner_id=partner_id))


@bp.post("/partners/<partner_id>/suspend")
@requires("partners.write")
def suspend(partner_id: str) -> Any:
    """Suspend: the partner's tokens stop working on its next request."""
    return _set_suspended(partner_id, True)


@bp.post("/partners/<partner_id>/resume")
@requires("partners.write")
def resume(partner_id: str) -> Any:
    """Lift the operator's suspension."""
    return _set_suspended(partner_id, False)


@bp.post("/partners/<partner_id>/go-live")
@requires("approvals.go-live")
def request_go_live(partner_id: str) -> Any:
    """Ask for a go-live (the checklist must be green); another user approves it."""
    db = db_session()
    try:
        approvals.request(db, "go-live", partner_id, by=me().email, config_dir=_config_dir())
    except approvals.NotAllowed:
        abort(403)
    except DomainError as exc:
        flash(exc.detail, "error")
        return redirect(url_for("console.partner", partner_id=partner_id))
    db.commit()
    flash(translate("approvals.requested"))
    return redirect(url_for("console.approvals"))
