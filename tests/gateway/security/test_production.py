"""Production refuses to start with settings that are only safe in development."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.config import ConfigError, Settings


def _production(tmp_path: Path, **overrides: str) -> Settings:
    values = {
        "env": "production",
        "instance_path": str(tmp_path),
        "database_url": f"sqlite:///{tmp_path}/x.db",
        "secret_key": "k" * 48,
        "identifier_pepper": "p" * 48,
        "issuer": "https://gateway.bank.example",
        "ratelimit_storage_uri": "redis://127.0.0.1:6379/0",
    } | overrides
    return Settings(**values)  # type: ignore[arg-type]


def test_production_refuses_to_start_without_an_issuer(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        create_app(_production(tmp_path, issuer=""))
    assert str(refused.value).startswith("GATEWAY_ISSUER: ")
    assert "\n" not in str(refused.value)


def test_production_refuses_to_start_with_per_process_rate_limits(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        create_app(_production(tmp_path, ratelimit_storage_uri="memory://"))
    assert str(refused.value).startswith("GATEWAY_RATELIMIT_STORAGE_URI: ")


def test_production_with_both_settings_starts(tmp_path: Path) -> None:
    app = create_app(_production(tmp_path))
    assert app.extensions["gateway.settings"].env == "production"
    app.extensions["gateway.db"].dispose()


def test_development_keeps_its_embedded_defaults(tmp_path: Path) -> None:
    settings = _production(
        tmp_path, env="development", issuer="", ratelimit_storage_uri="memory://"
    )
    app = create_app(settings)
    assert app.extensions["gateway.settings"].issuer == ""
    app.extensions["gateway.db"].dispose()


def test_the_command_line_says_which_setting_in_one_line(tmp_path: Path) -> None:
    gateway = Path(sys.executable).with_name("gateway")
    environ = {
        **os.environ,
        "GATEWAY_ENV": "production",
        "GATEWAY_SECRET_KEY": "k" * 48,
        "GATEWAY_IDENTIFIER_PEPPER": "p" * 48,
        "GATEWAY_INSTANCE_PATH": str(tmp_path),
        "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "GATEWAY_ISSUER": "https://gateway.bank.example",
    }
    environ.pop("GATEWAY_RATELIMIT_STORAGE_URI", None)
    done = subprocess.run(
        [str(gateway), "db", "upgrade"], env=environ, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if "GATEWAY_" in line]
    assert len(lines) == 1 and "GATEWAY_RATELIMIT_STORAGE_URI" in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_metadata_derived_from_the_host_header_is_not_publicly_cacheable(
    client: FlaskClient,
) -> None:
    response = client.get(
        "/.well-known/oauth-authorization-server", headers={"Host": "evil.example"}
    )
    assert response.json["issuer"] == "http://evil.example"
    assert "public" not in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]


def test_metadata_of_a_configured_issuer_is_cacheable(settings: Settings) -> None:
    app = create_app(settings.replace(issuer="https://gateway.bank.example"))
    try:
        response = app.test_client().get("/.well-known/oauth-authorization-server")
    finally:
        app.extensions["gateway.db"].dispose()
    assert response.json["issuer"] == "https://gateway.bank.example"
    assert response.headers["Cache-Control"] == "public, max-age=300"
