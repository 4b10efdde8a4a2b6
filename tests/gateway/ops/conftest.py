"""Console fixtures: users of every role, signed in through the real forms."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from gateway.ops import users

PASSWORD = "correct horse battery staple"
BASE = "https://gateway.test"  # the console's cookie is Secure outside development


@dataclass
class Staff:
    """A console user with their secrets."""

    id: str
    email: str
    role: str
    password: str
    totp_secret: str

    def code(self, offset: int = 0) -> str:
        """The TOTP code of the current step (+ ``offset`` steps)."""
        totp = pyotp.TOTP(self.totp_secret)
        return totp.at(time.time() + offset * totp.interval)


@pytest.fixture
def make_staff(app: Flask, db_session: Session) -> Callable[..., Staff]:
    """``make_staff("operator")`` → a user whose password is already changed."""
    secret_key = app.extensions["gateway.settings"].secret_key
    counter = iter(range(1000))

    def _make(role: str, *, changed: bool = True, email: str | None = None) -> Staff:
        address = email or f"{role}{next(counter)}@bank.example"
        made = users.add_user(db_session, address, role, secret_key=secret_key, actor="test")
        password = made.one_time_password
        if changed:
            users.change_password(db_session, made.user, password, PASSWORD)
            password = PASSWORD
        db_session.commit()
        return Staff(made.user.id, address, role, password, made.totp_secret)

    return _make


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def _forget_cached_token() -> None:
    """Flask-WTF and Flask-Login cache on ``g``; the test's app context outlives requests."""
    if has_app_context():
        g.pop("csrf_token", None)
        g.pop("_login_user", None)


class Console:
    """A browser-like client of ``/ops`` (https, cookies kept)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, path: str, **kwargs: Any) -> Any:
        _forget_cached_token()
        return self.client.get(path, base_url=BASE, **kwargs)

    def post(
        self, path: str, data: dict[str, str | list[str]] | None = None, *, token: bool = True
    ) -> Any:
        form: dict[str, str | list[str]] = dict(data or {})
        if token:
            form["csrf_token"] = self.token()
        _forget_cached_token()
        return self.client.post(path, data=form, base_url=BASE)

    def token(self) -> str:
        return csrf_of(self.get("/ops/sign-in").get_data(as_text=True))

    def sign_in(self, staff: Staff, *, code: str | None = None) -> Any:
        response = self.post("/ops/sign-in", {"email": staff.email, "password": staff.password})
        if response.status_code != 302 or not response.location.endswith("/ops/sign-in/totp"):
            return response
        return self.post("/ops/sign-in/totp", {"code": code or staff.code()})


@pytest.fixture
def console(app: Flask) -> Console:
    """A fresh console client."""
    return Console(app.test_client())


@pytest.fixture
def signed_in(app: Flask, make_staff: Callable[..., Staff]) -> Callable[[str], Console]:
    """``signed_in("viewer")`` → a console client signed in as a new user of that role."""

    def _sign_in(role: str) -> Console:
        staff = make_staff(role)
        console = Console(app.test_client())
        response = console.sign_in(staff)
        assert response.status_code == 302, response.get_data(as_text=True)
        console.staff = staff  # type: ignore[attr-defined]
        return console

    return _sign_in
