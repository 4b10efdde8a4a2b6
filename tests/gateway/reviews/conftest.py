"""Reviewers are console users: tests that drive the CLI get the reviewers they name."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from gateway.ops import users
from tests.gateway.reviews.flow import OTHER, REVIEWER, SECOND


def add_reviewers(app: Flask, db: Session, *emails: str, role: str = "risk_officer") -> None:
    """Enabled console users of ``role`` (``risk_officer`` holds ``reviews.decide``)."""
    secret_key = app.extensions["gateway.settings"].secret_key
    for email in emails:
        users.add_user(db, email, role, secret_key=secret_key, actor="test")
    db.commit()


@pytest.fixture(autouse=True)
def reviewers(request: pytest.FixtureRequest) -> None:
    """Tests using the CLI runner get ``REVIEWER``, ``SECOND`` and ``OTHER`` as risk officers."""
    if "runner" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    db: Session = request.getfixturevalue("db_session")
    add_reviewers(app, db, REVIEWER, SECOND, OTHER)
