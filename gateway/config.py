"""Typed configuration, read once from the ``GATEWAY_*`` environment variables.

Nothing else in the gateway reads ``os.environ``: every knob lives on
:class:`Settings`, which :func:`gateway.create_app` builds (or receives ready-made
from tests).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

Environment = Literal["development", "production", "test"]

_SECRET_NAMES = ("secret_key", "identifier_pepper")


class ConfigError(RuntimeError):
    """The configuration is unusable; the process must not start."""


@dataclass(frozen=True)
class Settings:
    """Everything the gateway can be configured with.

    Defaults are the embedded development set-up of DESIGN §7.
    """

    env: Environment = "development"
    database_url: str = "sqlite:///instance/gateway.db"
    secret_key: str = ""
    identifier_pepper: str = ""
    ratelimit_storage_uri: str = "memory://"
    partner_configs: Path = Path("partner_configs")
    model_dir: Path = Path("instance/models")
    instance_path: Path = Path("instance")
    max_content_length: int = 64 * 1024
    log_level: str = "INFO"
    prometheus_multiproc_dir: str | None = None
    # OAuth: the issuer URL (empty: the URL the request came in on) and the
    # access-token lifetime in seconds (at most one hour).
    issuer: str = ""
    access_token_ttl: int = 600
    # Consent: lifetime per purpose, and how long a superseded notice version
    # is still accepted (a customer may have opened the page before the switch).
    consent_lifetime_days: Mapping[str, int] = field(
        default_factory=lambda: {"prequalification": 30, "credit_inquiry": 7, "marketing": 365}
    )
    notice_grace_minutes: int = 60
    offer_ttl_minutes: int = 30
    # Proxies in front of the gateway whose X-Forwarded-For/-Proto/-Host are
    # trusted (0: none). Behind one TLS-terminating load balancer, set 1.
    trusted_proxies: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``GATEWAY_*`` variables (``os.environ`` by default).

        Args:
            environ: the variables to read; tests pass their own mapping.

        Returns:
            Settings with secrets still possibly empty: :meth:`with_secrets`
            fills them in development and refuses to in production.

        Raises:
            ConfigError: a variable holds a value of the wrong shape.
        """
        env = os.environ if environ is None else environ
        get = env.get
        env_name = get("GATEWAY_ENV", "development")
        if env_name not in ("development", "production", "test"):
            raise ConfigError(
                f"GATEWAY_ENV must be development, production or test, not {env_name!r}"
            )
        instance = Path(get("GATEWAY_INSTANCE_PATH", "instance"))
        try:
            max_len = int(get("GATEWAY_MAX_CONTENT_LENGTH", str(64 * 1024)))
        except ValueError as exc:
            raise ConfigError("GATEWAY_MAX_CONTENT_LENGTH must be an integer") from exc
        try:
            token_ttl = int(get("GATEWAY_ACCESS_TOKEN_TTL", "600"))
        except ValueError as exc:
            raise ConfigError("GATEWAY_ACCESS_TOKEN_TTL must be an integer") from exc
        if not 60 <= token_ttl <= 3600:
            raise ConfigError("GATEWAY_ACCESS_TOKEN_TTL must be between 60 and 3600 seconds")
        lifetimes = _parse_lifetimes(get("GATEWAY_CONSENT_LIFETIME_DAYS", ""))
        return cls(
            consent_lifetime_days=lifetimes,
            notice_grace_minutes=_int(get, "GATEWAY_NOTICE_GRACE_MINUTES", 60),
            offer_ttl_minutes=_int(get, "GATEWAY_OFFER_TTL_MINUTES", 30),
            trusted_proxies=_int(get, "GATEWAY_TRUSTED_PROXIES", 0),
            env=env_name,  # type: ignore[arg-type]
            database_url=get("GATEWAY_DATABASE_URL", f"sqlite:///{instance}/gateway.db"),
            secret_key=get("GATEWAY_SECRET_KEY", ""),
            identifier_pepper=get("GATEWAY_IDENTIFIER_PEPPER", ""),
            ratelimit_storage_uri=get("GATEWAY_RATELIMIT_STORAGE_URI", "memory://"),
            partner_configs=Path(get("GATEWAY_PARTNER_CONFIGS", "partner_configs")),
            model_dir=Path(get("GATEWAY_MODEL_DIR", str(instance / "models"))),
            instance_path=instance,
            max_content_length=max_len,
            log_level=get("GATEWAY_LOG_LEVEL", "INFO").upper(),
            prometheus_multiproc_dir=get("PROMETHEUS_MULTIPROC_DIR") or None,
            issuer=get("GATEWAY_ISSUER", "").rstrip("/"),
            access_token_ttl=token_ttl,
        )

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)

    def with_secrets(self) -> Settings:
        """Fill missing secrets: generated once into ``instance/`` in development.

        Returns:
            Settings whose ``secret_key`` and ``identifier_pepper`` are set.

        Raises:
            ConfigError: in production, when a secret was not given explicitly.
        """
        missing = [name for name in _SECRET_NAMES if not getattr(self, name)]
        if not missing:
            return self
        if self.env == "production":
            names = ", ".join(f"GATEWAY_{name.upper()}" for name in missing)
            raise ConfigError(f"production refuses generated secrets; set {names}")
        stored = _load_or_create_dev_secrets(self.instance_path / "secrets.json")
        changes: dict[str, Any] = {name: stored[name] for name in missing}
        return replace(self, **changes)


def _int(get: Any, name: str, default: int) -> int:
    try:
        return int(get(name, str(default)))
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer") from exc


def _parse_lifetimes(text: str) -> dict[str, int]:
    """``prequalification=30,credit_inquiry=7`` over the defaults."""
    lifetimes = {"prequalification": 30, "credit_inquiry": 7, "marketing": 365}
    for item in filter(None, (part.strip() for part in text.split(","))):
        purpose, _, days = item.partition("=")
        if purpose not in lifetimes or not days.isdigit() or int(days) < 1:
            raise ConfigError(
                "GATEWAY_CONSENT_LIFETIME_DAYS takes purpose=days pairs, e.g. credit_inquiry=7"
            )
        lifetimes[purpose] = int(days)
    return lifetimes


def _load_or_create_dev_secrets(path: Path) -> dict[str, str]:
    """Read development secrets, generating them (mode 0600) on first use."""
    if path.exists():
        data = json.loads(path.read_text())
        if all(isinstance(data.get(name), str) and data[name] for name in _SECRET_NAMES):
            return {name: data[name] for name in _SECRET_NAMES}
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {name: secrets.token_urlsafe(48) for name in _SECRET_NAMES}
    # O_EXCL-free but atomic enough for a dev box: write then chmod before use.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
    path.chmod(0o600)
    return data
