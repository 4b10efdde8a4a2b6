"""Four-eyes approvals: request, approve or reject (never your own), list."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for

from gateway.approvals import services as approvals
from gateway.errors import DomainError
from gateway.ops.auth import me, requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.forms import ActionForm, ApprovalRequestForm
from gateway.ops.i18n import translate
from gateway.sessions import session as db_session

nav("nav.approvals", "console.approvals", "console.read", order=20)


@bp.get("/approvals", endpoint="approvals")
@requires("console.read")
def approvals_page() -> Any:
    """Recent requests and a form for a new one."""
    return _render(ApprovalRequestForm())


def _render(form: ApprovalRequestForm, status: int = 200) -> Any:
    rows = approvals.list_requests(db_session())
    return (
        render_template(
            "ops/approvals/list.html",
            rows=rows,
            status_of=approvals.effective_status,
            form=form,
            action=ActionForm(),
        ),
        status,
    )


@bp.post("/approvals")
@requires("console.read")
def request_approval() -> Any:
    """Ask for an approval; the type's permission is checked by the service."""
    form = ApprovalRequestForm()
    if not form.validate():
        return _render(form, 400)
    db = db_session()
    try:
        approvals.request(
            db,
            form.type.data,
            form.target.data,
            by=me().email,
            reason=form.reason.data or "",
            config_dir=current_app.extensions["gateway.settings"].partner_configs,
        )
    except approvals.NotAllowed:
        abort(403)
    except DomainError as exc:
        flash(exc.detail, "error")
        return _render(form, 409 if exc.kind == "conflict" else 400)
    db.commit()
    flash(translate("approvals.requested"))
    return redirect(url_for("console.approvals"))


def _decide(request_id: str, approve: bool) -> Any:
    db = db_session()
    try:
        approvals.decide(db, request_id, by=me().email, approve=approve)
    except approvals.NotAllowed as exc:
        flash(exc.detail, "error")
        return _render(ApprovalRequestForm(formdata=None), 403)
    except DomainError as exc:
        if exc.kind == "not_found":
            abort(404)
        flash(exc.detail, "error")
        return _render(ApprovalRequestForm(formdata=None), 409)
    db.commit()
    flash(translate("approvals.done"))
    return redirect(url_for("console.approvals"))


@bp.post("/approvals/<request_id>/approve")
@requires("console.read")
def approve(request_id: str) -> Any:
    """Approve as a second user holding the type's permission."""
    return _decide(request_id, True)


@bp.post("/approvals/<request_id>/reject")
@requires("console.read")
def reject(request_id: str) -> Any:
    """Reject a pending request."""
    return _decide(request_id, False)
