"""Sign in (password, then TOTP for roles that change live state), change password, sign out."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from gateway.errors import ValidationFailed
from gateway.ops import users
from gateway.ops.auth import ConsoleUser, me, start_session
from gateway.ops.blueprint import bp
from gateway.ops.forms import PasswordForm, SignInForm, TotpForm
from gateway.ops.i18n import LOCALES, translate
from gateway.ops.roles import needs_totp
from gateway.sessions import session as db_session

SIGN_INS_PER_IP = parse("20/minute")
_PENDING = "pending_user"
_PENDING_SINCE = "pending_since"
PENDING_FOR = 300  # seconds between the password and the code


def _limiter() -> MovingWindowRateLimiter:
    limiter: MovingWindowRateLimiter | None = current_app.extensions.get("gateway.ops_limiter")
    if limiter is None:
        settings = current_app.extensions["gateway.settings"]
        limiter = MovingWindowRateLimiter(storage_from_string(settings.ratelimit_storage_uri))
        current_app.extensions["gateway.ops_limiter"] = limiter
    return limiter


def _secret_key() -> str:
    return str(current_app.extensions["gateway.settings"].secret_key)


def _finish(row: Any) -> Any:
    """Both factors passed (or the one a viewer needs)."""
    db = db_session()
    users.signed_in(db, row)
    db.commit()
    session.pop(_PENDING, None)
    session.pop(_PENDING_SINCE, None)
    user = ConsoleUser(row.id, row.email, row.role, row.must_change_password)
    login_user(user)
    start_session(user)
    if row.must_change_password:
        return redirect(url_for("console.change_password"))
    return redirect(url_for("console.index"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    """First factor: e-mail and password."""
    form = SignInForm()
    error = None
    if request.args.get("idle"):
        error = translate("auth.idle")
    if form.validate_on_submit():
        ip = request.remote_addr or "-"
        if not _limiter().hit(SIGN_INS_PER_IP, "ops-sign-in", ip):
            return render_template(
                "ops/auth/sign_in.html", form=form, error=translate("auth.rate_limited")
            ), 429
        db = db_session()
        try:
            row = users.check_password(db, form.email.data, form.password.data)
        except users.AccountLocked:
            db.commit()
            return render_template(
                "ops/auth/sign_in.html", form=form, error=translate("auth.locked")
            ), 429
        except users.SignInFailed:
            db.commit()  # the failure count sticks
            return render_template(
                "ops/auth/sign_in.html", form=form, error=translate("auth.failed")
            ), 401
        if needs_totp(row.role):
            session.clear()
            session[_PENDING] = row.id
            session[_PENDING_SINCE] = int(time.time())
            return redirect(url_for("console.sign_in_totp"))
        return _finish(row)
    return render_template("ops/auth/sign_in.html", form=form, error=error)


@bp.route("/sign-in/totp", methods=["GET", "POST"])
def sign_in_totp() -> Any:
    """Second factor: a TOTP code, accepted once."""
    pending = session.get(_PENDING)
    if not pending or time.time() - session.get(_PENDING_SINCE, 0) > PENDING_FOR:
        session.pop(_PENDING, None)  # the password step is good for five minutes
        return redirect(url_for("console.sign_in"))
    form = TotpForm()
    if form.validate_on_submit():
        db = db_session()
        row = users.get_user(db, pending)
        if row is None or row.disabled_at is not None:
            session.clear()
            return redirect(url_for("console.sign_in"))
        try:
            users.check_totp(db, row, form.code.data, secret_key=_secret_key())
        except users.AccountLocked:
            db.commit()
            session.clear()
            return render_template(
                "ops/auth/totp.html", form=form, error=translate("auth.locked")
            ), 429
        except users.SignInFailed:
            db.commit()
            return render_template(
                "ops/auth/totp.html", form=form, error=translate("auth.failed")
            ), 401
        return _finish(row)
    return render_template("ops/auth/totp.html", form=form, error=None)


@bp.route("/password", methods=["GET", "POST"])
def change_password() -> Any:
    """Change the password; required before anything else after the first sign-in."""
    if not current_user.is_authenticated:
        return redirect(url_for("console.sign_in"))
    form = PasswordForm()
    error = None
    if form.validate_on_submit():
        db = db_session()
        row = users.get_user(db, me().id)
        assert row is not None
        try:
            users.change_password(db, row, form.current_password.data, form.new_password.data)
        except ValidationFailed as exc:
            error = "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
        else:
            db.commit()
            login_user(ConsoleUser(row.id, row.email, row.role, False))
            flash(translate("auth.password_changed"))
            return redirect(url_for("console.index"))
    elif form.errors:
        error = "; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items())
    status = 400 if error else 200
    return render_template("ops/auth/password.html", form=form, error=error), status


@bp.post("/sign-out")
def sign_out() -> Any:
    """End the session (audited)."""
    if current_user.is_authenticated:
        db = db_session()
        row = users.get_user(db, me().id)
        if row is not None:
            users.signed_out(db, row)
            db.commit()
    logout_user()
    session.clear()
    flash(translate("auth.signed_out"))
    return redirect(url_for("console.sign_in"))


@bp.get("/lang/<locale>")
def switch_language(locale: str) -> Any:
    """Remember the console's language in the session."""
    if locale in LOCALES:
        session["lang"] = locale
    return redirect(url_for("console.index"))


@bp.get("/")
def index() -> Any:
    """The partners page, or sign-in."""
    if not current_user.is_authenticated:
        return redirect(url_for("console.sign_in"))
    return redirect(url_for("console.partners"))
