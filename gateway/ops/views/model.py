"""Model and monitoring: the monitoring report in the console, the model versions,
and activation through four eyes (one risk officer requests, another approves on the
approvals page, then the activation uses the approval up)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for

from gateway.approvals import gates
from gateway.approvals import services as approvals
from gateway.clock import utcnow
from gateway.errors import DomainError
from gateway.ops.auth import me, requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.forms import ModelActivationForm
from gateway.ops.i18n import translate
from gateway.ops.model_pages import ACTIVATION, WINDOWS, report_body, versions
from gateway.scoring.artefact import ArtefactInvalid
from gateway.scoring.registry import ModelNotFound, activate
from gateway.sessions import session as db_session

nav("nav.model", "console.model", "console.read", order=55)


def _model_dir() -> Any:
    return current_app.extensions["gateway.settings"].model_dir


def _render(status: int = 200) -> Any:
    window = request.args.get("since", "30d")
    if window not in WINDOWS:
        window = "30d"
    partner = request.args.get("partner", "").strip() or None
    db = db_session()
    now = utcnow()
    report, body = report_body(db, days=WINDOWS[window], partner=partner, now=now)
    return (
        render_template(
            "ops/model/show.html",
            models=versions(db, _model_dir(), now),
            report=report,
            body=body,
            windows=list(WINDOWS),
            window=window,
            partner=partner or "",
            can_activate=me().can("approvals.model-activation"),
            form=ModelActivationForm(formdata=None),
        ),
        status,
    )


@bp.get("/model", endpoint="model")
@requires("console.read")
def model_page() -> Any:
    """The monitoring report of the active model, and the model versions."""
    return _render()


@bp.post("/model/request-activation")
@requires("approvals.model-activation")
def request_activation() -> Any:
    """Ask for a model version's activation; another user approves it."""
    form = ModelActivationForm()
    if not form.validate():
        return _render(400)
    db = db_session()
    version = form.version.data
    if version not in {m["version"] for m in versions(db, _model_dir(), utcnow())}:
        flash(translate("model.invalid"), "error")
        return _render(400)
    try:
        approvals.request(db, ACTIVATION, version, by=me().email, reason=form.reason.data or "")
    except DomainError as exc:
        db.rollback()
        flash(exc.detail, "error")
        return _render(409 if exc.kind == "conflict" else 400)
    db.commit()
    flash(translate("model.requested"))
    return redirect(url_for("console.model"))


@bp.post("/model/activate")
@requires("approvals.model-activation")
def activate_model() -> Any:
    """Activate a version whose activation was approved by a second user (uses it up)."""
    form = ModelActivationForm()
    if not form.validate():
        return _render(400)
    db = db_session()
    try:
        activate(db, _model_dir(), form.version.data)
        gates.consume(db, ACTIVATION, form.version.data, actor=f"ops:{me().email}")
    except (ModelNotFound, ArtefactInvalid, DomainError) as exc:
        db.rollback()
        flash(getattr(exc, "detail", str(exc)), "error")
        return _render(409)
    db.commit()
    flash(translate("model.activated"))
    return redirect(url_for("console.model"))
