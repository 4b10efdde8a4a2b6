"""Who is signed in, what their role may do, and the 30-minute idle timeout.

Each view states the permission it needs with :func:`requires` next to its
route; :mod:`gateway.ops.roles` says which roles hold it. An anonymous user is
sent to sign in; a signed-in user without the permission gets 403; a user who
still has their one-time password is sent to change it first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from time import time as _clock
from typing import Any, TypeVar, cast

from flask import abort, redirect, request, session, url_for
from flask_login import current_user, logout_user
from flask_login.mixins import UserMixin

from gateway.ops import users
from gateway.ops.extension import IDLE_TIMEOUT, login_manager
from gateway.ops.roles import has_permission
from gateway.sessions import session as db_session

F = TypeVar("F", bound=Callable[..., Any])
_SEEN = "seen"


@dataclass(frozen=True)
class ConsoleUser(UserMixin):  # type: ignore[misc]
    """The signed-in user as views see it."""

    id: str
    email: str
    role: str
    must_change_password: bool

    def can(self, permission: str) -> bool:
        """Whether the user's role holds ``permission``."""
        return has_permission(self.role, permission)


@login_manager.user_loader  # type: ignore[untyped-decorator]
def load_console_user(user_id: str) -> ConsoleUser | None:
    """Flask-Login's loader: a disabled or deleted user is nobody."""
    row = users.get_user(db_session(), user_id)
    if row is None or row.disabled_at is not None:
        return None
    return ConsoleUser(row.id, row.email, row.role, row.must_change_password)


def me() -> ConsoleUser:
    """The signed-in user (only inside a view guarded by :func:`requires`)."""
    return cast(ConsoleUser, current_user._get_current_object())


def start_session(user: ConsoleUser) -> None:
    """Called right after ``login_user``: the idle clock starts."""
    session.permanent = True
    session[_SEEN] = int(_clock())


def check_idle() -> Any:
    """Before every console request: end a session idle for 30 minutes (audited)."""
    if not current_user.is_authenticated:
        return None
    now = int(_clock())
    seen = session.get(_SEEN, 0)
    if now - int(seen) > IDLE_TIMEOUT.total_seconds():
        db = db_session()
        row = users.get_user(db, current_user.id)
        if row is not None:
            users.signed_out(db, row, reason="idle_timeout")
            db.commit()
        logout_user()
        session.clear()
        return redirect(url_for("console.sign_in", idle=1))
    session[_SEEN] = now
    return None


def requires(permission: str) -> Callable[[F], F]:
    """Guard a view: signed in, password changed, and the role holds ``permission``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.method == "GET":
                    return redirect(url_for("console.sign_in"))
                abort(401)
            if current_user.must_change_password:
                return redirect(url_for("console.change_password"))
            if not has_permission(current_user.role, permission):
                abort(403)
            return view(*args, **kwargs)

        guarded.permission = permission  # type: ignore[attr-defined]
        return cast(F, guarded)

    return decorate
