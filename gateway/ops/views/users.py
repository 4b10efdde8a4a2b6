"""Console users (admin): list, add (secrets shown once), disable."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for

from gateway.errors import DomainError, NotFound
from gateway.ops import users
from gateway.ops.auth import me, requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.forms import ActionForm, UserAddForm
from gateway.sessions import session as db_session

nav("nav.users", "console.users", "users.manage", order=70)


def _render(form: UserAddForm, made: Any = None, status: int = 200) -> Any:
    rows = users.list_users(db_session())
    return (
        render_template(
            "ops/users/list.html", rows=rows, form=form, made=made, action=ActionForm()
        ),
        status,
    )


@bp.get("/users", endpoint="users")
@requires("users.manage")
def users_page() -> Any:
    """Every user."""
    return _render(UserAddForm())


@bp.post("/users")
@requires("users.manage")
def add_user() -> Any:
    """Add a user; the one-time password and TOTP secret are shown on this response only."""
    form = UserAddForm()
    if not form.validate():
        return _render(form, status=400)
    db = db_session()
    secret_key = current_app.extensions["gateway.settings"].secret_key
    try:
        made = users.add_user(
            db, form.email.data, form.role.data, secret_key=secret_key, actor=f"ops:{me().email}"
        )
    except DomainError as exc:
        flash(exc.detail, "error")
        return _render(form, status=409 if exc.kind == "conflict" else 400)
    db.commit()
    return _render(UserAddForm(formdata=None), made=made)


@bp.post("/users/<user_id>/disable")
@requires("users.manage")
def disable_user(user_id: str) -> Any:
    """Disable a user: their session ends on their next request."""
    db = db_session()
    row = users.get_user(db, user_id)
    if row is None:
        abort(404)
    try:
        users.disable_user(db, row.email, actor=f"ops:{me().email}")
    except NotFound:
        abort(404)
    db.commit()
    return redirect(url_for("console.users"))
