"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

``database_url`` is a session-scoped fixture parametrised over both backends;
pytest groups tests by it, so each schema is migrated once. Each test runs
inside an outer transaction that is rolled back (the app's own commits become
savepoint releases), unless it is marked ``committing``, in which case it
commits for real and every table is emptied afterwards.

PostgreSQL comes from ``GATEWAY_TEST_DATABASE_URL`` (default: database
``gateway_test`` on the local server, created if missing). Unreachable, it is
skipped locally and a failure when ``CI=true``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from gateway.app import create_app
from gateway.config import Settings
from gateway.db import Database
from gateway.db.admin import fresh_database
from gateway.migrations import upgrade
from gateway.models import load_all

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/gateway_test"
BACKENDS = ("sqlite", "postgresql")
_ran: dict[str, int] = {"sqlite": 0, "postgresql": 0}


def _postgres_url() -> str:
    return os.environ.get("GATEWAY_TEST_DATABASE_URL", DEFAULT_PG_URL)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database of each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'gateway.db'}"
    else:
        url = _postgres_url()
        try:
            fresh_database(url)
        except Exception as exc:
            message = f"PostgreSQL unreachable at {make_url(url).render_as_string()}: {exc}"
            if os.environ.get("CI") == "true":
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    """The shared engine for one backend."""
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def backend(database: Database) -> str:
    """``sqlite`` or ``postgresql``."""
    return database.dialect


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for a test app on the current backend."""
    return Settings(
        env="test",
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        identifier_pepper="test-pepper-" + "y" * 32,
        instance_path=tmp_path / "instance",
        model_dir=tmp_path / "instance" / "models",
        partner_configs=Path(__file__).resolve().parent.parent / "partner_configs",
        log_level="DEBUG",
    )


@pytest.fixture
def app(settings: Settings, database: Database, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app whose sessions live inside a rolled-back transaction (or commit, if marked)."""
    if request.node.get_closest_marker("postgresql_only") and database.dialect != "postgresql":
        pytest.skip("needs PostgreSQL")
    application = create_app(settings)
    own = application.extensions["gateway.db"]
    application.extensions["gateway.db"] = database
    own.dispose()
    _ran[database.dialect] += 1
    if request.node.get_closest_marker("committing"):
        try:
            yield application
        finally:
            _empty_all_tables(database)
        return
    connection = database.engine.connect()
    outer = connection.begin()
    original = database.sessionmaker.kw.copy()
    database.sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield application
    finally:
        database.sessionmaker.kw.clear()
        database.sessionmaker.kw.update(original)
        outer.rollback()
        connection.close()


def _empty_all_tables(database: Database) -> None:
    metadata = load_all()
    with database.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if table.name == "audit_chain_heads":
                # Seeded by the migration: reset to genesis instead of deleting.
                conn.execute(table.update().values(seq=0, chain_hash="0" * 64))
            else:
                conn.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A session on the test's database (inside the test's transaction)."""
    database: Database = app.extensions["gateway.db"]
    with app.app_context():
        db = database.new_session()
        try:
            yield db
        finally:
            db.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Show how many app-level tests ran on each backend."""
    terminalreporter.write_sep("-", "database backends")
    for name in BACKENDS:
        terminalreporter.write_line(f"{name}: {_ran[name]} database tests ran")


# --- Real partners, real credentials, real tokens -------------------------------------

ALL_SCOPES = "offers:read consents:write prequalify applications:write events:write"
DEMO_PARTNERS = Path(__file__).resolve().parent.parent / "partner_configs"


class PartnerAPI:
    """One partner client in one environment, calling the app with a real bearer token."""

    def __init__(
        self,
        client: FlaskClient,
        partner_id: str,
        environment: str,
        client_id: str,
        secret: str,
        method: str = "client_secret_basic",
    ) -> None:
        self.method = method
        self.client = client
        self.partner_id = partner_id
        self.environment = environment
        self.client_id = client_id
        self.client_secret = secret
        self._token: str | None = None

    def token(self, scope: str = ALL_SCOPES) -> str:
        """A fresh access token (``client_secret_basic`` or ``_post``, as configured)."""
        data = {"grant_type": "client_credentials", "scope": scope}
        if self.method == "client_secret_post":
            data |= {"client_id": self.client_id, "client_secret": self.client_secret}
            response = self.client.post("/oauth/token", data=data)
        else:
            response = self.client.post(
                "/oauth/token", data=data, auth=(self.client_id, self.client_secret)
            )
        assert response.status_code == 200, response.get_data(as_text=True)
        token: str = response.get_json()["access_token"]
        return token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Authorization (token cached per PartnerAPI) plus ``extra``."""
        if self._token is None:
            self._token = self.token()
        return {"Authorization": f"Bearer {self._token}", **(extra or {})}

    def get(self, path: str, **kwargs: Any) -> Any:
        """GET with the bearer token."""
        return self.client.get(path, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        """POST JSON with the bearer token."""
        return self.client.post(
            path, json=json, headers=self.headers(kwargs.pop("headers", None)), **kwargs
        )


@pytest.fixture
def demo_partners(db_session: Session) -> list[str]:
    """The demo partners of ``partner_configs/``, applied."""
    from gateway.partners import services as partners
    from gateway.partners.loader import load_directory

    loaded = load_directory(DEMO_PARTNERS)
    assert loaded.ok, [str(p) for p in loaded.problems]
    partners.apply(db_session, loaded.configs)
    db_session.commit()
    return sorted(loaded.configs)


@pytest.fixture
def partner_api(client: FlaskClient, db_session: Session, demo_partners: list[str]) -> Any:
    """``partner_api("demo-mall", "sandbox")`` → a :class:`PartnerAPI` with fresh credentials."""
    from gateway.oauth import credentials

    made: dict[tuple[str, str], PartnerAPI] = {}

    def _make(partner_id: str = "demo-mall", environment: str = "sandbox") -> PartnerAPI:
        if (partner_id, environment) not in made:
            issued = credentials.issue(db_session, partner_id, environment)
            db_session.commit()
            assert issued.client_secret is not None
            made[(partner_id, environment)] = PartnerAPI(
                client,
                partner_id,
                environment,
                issued.client_id,
                issued.client_secret,
                issued.token_endpoint_auth_method,
            )
        return made[(partner_id, environment)]

    return _make
