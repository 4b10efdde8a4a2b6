"""Sign-in: password + TOTP, one-time password, lockout, replay, cookie flags, idle timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.ops import users
from gateway.ops.models import OpsUser
from tests.gateway.ops.conftest import PASSWORD, Console, Staff


def _actions(db_session: Session) -> list[str]:
    return list(db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_operator_signs_in_with_password_and_totp_and_it_is_audited(
    console: Console, make_staff: Callable[..., Staff], db_session: Session
) -> None:
    staff = make_staff("operator")
    first = console.post("/ops/sign-in", {"email": staff.email, "password": staff.password})
    assert first.status_code == 302 and first.location.endswith("/ops/sign-in/totp")
    # Not signed in yet: the second factor is still owed.
    assert console.get("/ops/partners").status_code == 302
    done = console.post("/ops/sign-in/totp", {"code": staff.code()})
    assert done.status_code == 302
    assert console.get("/ops/partners").status_code == 200
    console.post("/ops/sign-out")
    assert console.get("/ops/partners").status_code == 302
    db_session.expire_all()
    assert {"ops.signed_in", "ops.signed_out"} <= set(_actions(db_session))


def test_viewer_needs_no_totp(console: Console, make_staff: Callable[..., Staff]) -> None:
    staff = make_staff("viewer")
    response = console.post("/ops/sign-in", {"email": staff.email, "password": staff.password})
    assert response.status_code == 302 and response.location.endswith("/ops/")
    assert console.get("/ops/partners").status_code == 200


def test_a_totp_code_is_accepted_once_only(app: Flask, make_staff: Callable[..., Staff]) -> None:
    staff = make_staff("admin")
    code = staff.code()
    assert Console(app.test_client()).sign_in(staff, code=code).status_code == 302
    replay = Console(app.test_client()).sign_in(staff, code=code)
    assert replay.status_code == 401
    assert "not accepted" in replay.get_data(as_text=True)


def test_wrong_totp_is_refused(console: Console, make_staff: Callable[..., Staff]) -> None:
    staff = make_staff("operator")
    wrong = "000000" if staff.code() != "000000" else "111111"
    assert console.sign_in(staff, code=wrong).status_code == 401
    assert console.get("/ops/partners").status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(
    console: Console, make_staff: Callable[..., Staff], db_session: Session
) -> None:
    staff = make_staff("operator")
    for _ in range(users.LOCKOUT_THRESHOLD):
        bad = console.post("/ops/sign-in", {"email": staff.email, "password": "wrong password!"})
        assert bad.status_code == 401
    locked = console.post("/ops/sign-in", {"email": staff.email, "password": staff.password})
    assert locked.status_code == 429
    db_session.expire_all()
    row = db_session.get(OpsUser, staff.id)
    assert row is not None and row.locked_until is not None
    assert "ops.sign_in_failed" in _actions(db_session)


def test_sign_in_attempts_are_rate_limited_per_address(
    console: Console, make_staff: Callable[..., Staff]
) -> None:
    statuses = [
        console.post(
            "/ops/sign-in", {"email": f"nobody{i}@bank.example", "password": "x"}
        ).status_code
        for i in range(22)
    ]
    assert statuses[:20] == [401] * 20
    assert statuses[-1] == 429


def test_the_one_time_password_must_be_changed_first(
    console: Console, make_staff: Callable[..., Staff]
) -> None:
    staff = make_staff("viewer", changed=False)
    response = console.sign_in(staff)
    assert response.location.endswith("/ops/password")
    assert console.get("/ops/partners").location.endswith("/ops/password")
    changed = console.post(
        "/ops/password",
        {"current_password": staff.password, "new_password": PASSWORD, "confirm": PASSWORD},
    )
    assert changed.status_code == 302
    assert console.get("/ops/partners").status_code == 200


def test_session_cookie_flags(console: Console, make_staff: Callable[..., Staff]) -> None:
    staff = make_staff("viewer")
    response = console.post("/ops/sign-in", {"email": staff.email, "password": staff.password})
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("gateway_ops="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "path", "expires"} <= flags
    assert "SameSite=Strict" in cookie and "Path=/ops" in cookie


def test_development_cookies_are_not_secure(app: Flask) -> None:
    from gateway.app import create_app

    settings = app.extensions["gateway.settings"].replace(env="development")
    dev = create_app(settings)
    assert dev.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    dev.extensions["gateway.db"].dispose()


def test_the_api_never_sets_a_cookie(app: Flask) -> None:
    client = app.test_client()
    for path in ("/healthz", "/v1/products?amount=100.00&currency=CNY", "/ops/sign-in"):
        response = client.get(path, base_url="https://gateway.test")
        cookies = response.headers.getlist("Set-Cookie")
        assert path.startswith("/ops") or cookies == [], (path, cookies)


def test_idle_sessions_end_after_30_minutes(
    console: Console,
    make_staff: Callable[..., Staff],
    monkeypatch: pytest.MonkeyPatch,
    db_session: Session,
) -> None:
    staff = make_staff("viewer")
    console.sign_in(staff)
    assert console.get("/ops/partners").status_code == 200
    # The server's own clock says 31 minutes passed, even if a cookie were kept longer.
    later = time.time() + 31 * 60
    monkeypatch.setattr("gateway.ops.auth._clock", lambda: later)
    response = console.get("/ops/partners")
    assert response.status_code == 302 and "idle=1" in response.location
    db_session.expire_all()
    assert "ops.signed_out" in _actions(db_session)
    assert console.get("/ops/partners").location.endswith("/ops/sign-in")


def test_the_cookie_itself_expires_after_30_minutes(
    console: Console, make_staff: Callable[..., Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = make_staff("viewer")
    console.sign_in(staff)
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert console.get("/ops/partners").location.endswith("/ops/sign-in")


def test_console_pages_carry_a_strict_csp(console: Console) -> None:
    csp = console.get("/ops/sign-in").headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "script-src" not in csp and "default-src 'none'" in csp


def test_the_code_must_follow_the_password_within_five_minutes(
    console: Console, make_staff: Callable[..., Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = make_staff("operator")
    console.post("/ops/sign-in", {"email": staff.email, "password": staff.password})
    later = time.time() + 6 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = console.post("/ops/sign-in/totp", {"code": staff.code()})
    assert response.status_code == 302 and response.location.endswith("/ops/sign-in")
    assert console.get("/ops/partners").location.endswith("/ops/sign-in")
