"""Webhooks: pending, failing and dead-lettered events; replay one."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for

from gateway.audit.services import record as audit
from gateway.errors import NotFound
from gateway.ops import reads
from gateway.ops.auth import me, requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.forms import ActionForm
from gateway.ops.i18n import translate
from gateway.sessions import session as db_session
from gateway.webhooks import delivery

nav("nav.webhooks", "console.webhooks", "console.read", order=40)


@bp.get("/webhooks", endpoint="webhooks")
@requires("console.read")
def webhooks_page() -> str:
    """The three queues."""
    db = db_session()
    queues = {bucket: reads.webhook_queue(db, bucket) for bucket in ("failing", "dead", "pending")}
    return render_template("ops/webhooks/list.html", queues=queues, form=ActionForm())


@bp.post("/webhooks/<event_id>/replay")
@requires("webhooks.replay")
def replay(event_id: str) -> Any:
    """Make an event due again (same id, same body); audited."""
    db = db_session()
    try:
        event = delivery.replay(db, event_id)
    except NotFound:
        abort(404)
    audit(
        db,
        action="webhook.replayed",
        actor=f"ops:{me().email}",
        partner_id=event.partner_id,
        environment=event.environment,
        subject=event.id,
    )
    db.commit()
    flash(translate("webhooks.replayed"))
    return redirect(url_for("console.webhooks"))
