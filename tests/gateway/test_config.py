"""Typed configuration, development secrets, production refusal."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gateway.app import create_app
from gateway.config import ConfigError, Settings


def test_defaults_follow_the_design() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///instance/gateway.db"
    assert settings.ratelimit_storage_uri == "memory://"
    assert settings.partner_configs == Path("partner_configs")
    assert settings.model_dir == Path("instance/models")
    assert settings.env == "development"


def test_variables_are_read(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "GATEWAY_DATABASE_URL": "postgresql://db/x",
            "GATEWAY_RATELIMIT_STORAGE_URI": "redis://localhost:6379",
            "GATEWAY_ENV": "production",
            "GATEWAY_SECRET_KEY": "k",
            "GATEWAY_IDENTIFIER_PEPPER": "p",
            "GATEWAY_MODEL_DIR": str(tmp_path),
            "GATEWAY_ISSUER": "https://gateway.bank.example",
        }
    )
    assert settings.database_url == "postgresql://db/x"
    assert settings.env == "production"
    assert settings.model_dir == tmp_path
    assert settings.with_secrets() is settings


def test_unknown_environment_is_refused() -> None:
    with pytest.raises(ConfigError, match="GATEWAY_ENV"):
        Settings.from_env({"GATEWAY_ENV": "staging"})


def test_development_secrets_are_generated_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(instance_path=tmp_path / "instance")
    first = settings.with_secrets()
    second = settings.with_secrets()
    assert first.secret_key and first.identifier_pepper
    assert first.secret_key != first.identifier_pepper
    assert (first.secret_key, first.identifier_pepper) == (
        second.secret_key,
        second.identifier_pepper,
    )
    mode = stat.S_IMODE((tmp_path / "instance" / "secrets.json").stat().st_mode)
    assert mode == 0o600


def test_production_refuses_to_start_without_explicit_secrets(tmp_path: Path) -> None:
    settings = Settings(
        env="production",
        instance_path=tmp_path,
        database_url=f"sqlite:///{tmp_path}/x.db",
        secret_key="given",
    )
    with pytest.raises(ConfigError, match="GATEWAY_IDENTIFIER_PEPPER"):
        create_app(settings)
    assert not (tmp_path / "secrets.json").exists()


def test_a_wrong_value_stops_start_up_with_one_line_naming_the_variable(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    gateway = Path(sys.executable).with_name("gateway")
    environ = {
        **os.environ,
        "GATEWAY_ACCESS_TOKEN_TTL": "abc",
        "GATEWAY_INSTANCE_PATH": str(tmp_path),
    }
    result = subprocess.run(
        [str(gateway), "serve", "--port", "1"], env=environ, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "GATEWAY_ACCESS_TOKEN_TTL" in lines[0]
