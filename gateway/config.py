"""Typed configuration, read once from the ``GATEWAY_*`` environment variables.

One ``pydantic-settings`` model: each setting, its type and its default are
written once, here. Nothing else in the gateway reads ``os.environ``:
:func:`gateway.app.create_app` builds :class:`Settings` with :meth:`Settings.from_env`
(or receives them ready-made from tests, where ``Settings(...)`` reads no
environment at all). A wrong value stops start-up with one line naming the
variable.
"""

from __future__ import annotations

import contextvars
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

Environment = Literal["development", "production", "test"]

PREFIX = "GATEWAY_"
_SECRET_NAMES = ("secret_key", "identifier_pepper")
_DEFAULT_LIFETIMES = {"prequalification": 30, "credit_inquiry": 7, "marketing": 365}

# The variables :meth:`Settings.from_env` reads; ``Settings(...)`` reads none.
_ENVIRON: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar(
    "gateway_settings_environ", default=None
)


class ConfigError(RuntimeError):
    """The configuration is unusable; the process must not start."""


class _MappingEnvSource(EnvSettingsSource):
    """The environment source, over the mapping :meth:`Settings.from_env` was given."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(_ENVIRON.get() or {}, self.case_sensitive, self.env_ignore_empty)


class Settings(BaseSettings):
    """Everything the gateway can be configured with (DESIGN §7).

    Defaults are the embedded development set-up; ``docs/operations.md`` lists
    every variable.
    """

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, frozen=True, extra="ignore", populate_by_name=True
    )

    env: Environment = "development"
    instance_path: Path = Path("instance")
    # Under the instance path unless set (filled in by ``_instance_defaults``).
    database_url: str = ""
    model_dir: Path = Path()
    secret_key: str = Field(default="", repr=False)
    identifier_pepper: str = Field(default="", repr=False)
    ratelimit_storage_uri: str = "memory://"
    partner_configs: Path = Path("partner_configs")
    max_content_length: int = Field(default=64 * 1024, ge=1024)
    log_level: str = "INFO"
    prometheus_multiproc_dir: str | None = Field(
        default=None,
        validation_alias=AliasChoices("prometheus_multiproc_dir", "PROMETHEUS_MULTIPROC_DIR"),
    )
    # OAuth: the issuer URL (empty: the URL the request came in on) and the
    # access-token lifetime in seconds (at most one hour).
    issuer: str = ""
    access_token_ttl: int = Field(default=600, ge=60, le=3600)
    # DPoP: every proof must carry a fresh server nonce (``DPoP-Nonce``).
    dpop_require_nonce: bool = False
    # Consent: lifetime per purpose, and how long a superseded notice version
    # is still accepted (a customer may have opened the page before the switch).
    consent_lifetime_days: Annotated[Mapping[str, int], NoDecode] = Field(
        default_factory=lambda: dict(_DEFAULT_LIFETIMES)
    )
    notice_grace_minutes: int = Field(default=60, ge=0)
    offer_ttl_minutes: int = Field(default=30, ge=1)
    # Proxies in front of the gateway whose X-Forwarded-For/-Proto/-Host are
    # trusted (0: none). Behind one TLS-terminating load balancer, set 1.
    trusted_proxies: int = Field(default=0, ge=0)
    # Retention periods in days per data category over the defaults
    # (gateway/retention/policy.py), e.g. "webhook_payloads=60,widget_sessions=7".
    retention_days: str = ""
    # /metrics: answered to these networks (comma-separated CIDRs), or to a
    # caller presenting ``Authorization: Bearer <GATEWAY_METRICS_TOKEN>``.
    metrics_allow: Annotated[tuple[str, ...], NoDecode] = ("127.0.0.0/8", "::1/128")
    metrics_token: str = Field(default="", repr=False)
    # Knobs for tests and benchmarks only; never read from the environment.
    extra: Annotated[Mapping[str, Any], NoDecode] = Field(default_factory=dict, exclude=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _MappingEnvSource(settings_cls)

    @model_validator(mode="before")
    @classmethod
    def _instance_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            instance = Path(data.get("instance_path") or "instance")
            data.setdefault("database_url", f"sqlite:///{instance}/gateway.db")
            data.setdefault("model_dir", instance / "models")
        return data

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @field_validator("issuer")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("metrics_allow", mode="before")
    @classmethod
    def _networks(cls, value: Any) -> Any:
        """``10.0.0.0/8,127.0.0.1`` → networks; an empty value allows no address."""
        import ipaddress

        items = value.split(",") if isinstance(value, str) else value
        networks = []
        for item in filter(None, (str(part).strip() for part in items)):
            try:
                networks.append(str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise ValueError(f"{item!r} is not an address or network (CIDR)") from None
        return tuple(networks)

    @field_validator("prometheus_multiproc_dir")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("consent_lifetime_days", mode="before")
    @classmethod
    def _lifetimes(cls, value: Any) -> Any:
        """``prequalification=30,credit_inquiry=7`` over the defaults."""
        if not isinstance(value, str):
            return value
        lifetimes = dict(_DEFAULT_LIFETIMES)
        for item in filter(None, (part.strip() for part in value.split(","))):
            purpose, _, days = item.partition("=")
            if purpose not in lifetimes or not days.isdigit() or int(days) < 1:
                raise ValueError("takes purpose=days pairs, e.g. credit_inquiry=7")
            lifetimes[purpose] = int(days)
        return lifetimes

    @field_validator("retention_days")
    @classmethod
    def _retention(cls, value: str) -> str:
        from gateway.retention.policy import parse_periods

        parse_periods(value)  # InvalidPeriods is a ValueError: named like any other
        return value

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``GATEWAY_*`` variables (``os.environ`` by default).

        Args:
            environ: the variables to read; tests pass their own mapping.

        Returns:
            Settings with secrets still possibly empty: :meth:`with_secrets`
            fills them in development and refuses to in production.

        Raises:
            ConfigError: a variable holds a value of the wrong shape (named).
        """
        token = _ENVIRON.set(dict(os.environ if environ is None else environ))
        try:
            return cls()
        except ValidationError as exc:
            raise ConfigError(_one_line(exc)) from None
        finally:
            _ENVIRON.reset(token)

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied."""
        return self.model_copy(update=changes)

    def with_secrets(self) -> Settings:
        """Fill missing secrets: generated once into ``instance/`` in development.

        Returns:
            Settings whose ``secret_key`` and ``identifier_pepper`` are set.

        Raises:
            ConfigError: in production, when a secret was not given explicitly,
                or a setting is unsafe there (:meth:`_refuse_unsafe_production`).
        """
        missing = [name for name in _SECRET_NAMES if not getattr(self, name)]
        if self.env == "production":
            if missing:
                names = ", ".join(variable_name(name) for name in missing)
                raise ConfigError(f"production refuses generated secrets; set {names}")
            self._refuse_unsafe_production()
        if not missing:
            return self
        stored = _load_or_create_dev_secrets(self.instance_path / "secrets.json")
        return self.replace(**{name: stored[name] for name in missing})

    def _refuse_unsafe_production(self) -> None:
        """Production needs a configured issuer and shared rate-limit storage.

        Without ``GATEWAY_ISSUER`` the issuer (in every token and in the
        metadata) would come from the request's Host header; with ``memory://``
        each worker counts limits and lockouts on its own.
        """
        if not self.issuer:
            raise ConfigError(
                f"{variable_name('issuer')}: production requires the issuer URL "
                "(it must not come from the Host header)"
            )
        if self.ratelimit_storage_uri.startswith("memory://"):
            raise ConfigError(
                f"{variable_name('ratelimit_storage_uri')}: production requires shared storage "
                "(redis://…), not memory://"
            )


def variable_name(field: str) -> str:
    """The variable of a setting: ``access_token_ttl`` → ``GATEWAY_ACCESS_TOKEN_TTL``."""
    info: FieldInfo | None = Settings.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[-1])
    return PREFIX + field.upper()


def _one_line(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{variable_name(field)}: {message}"


def _load_or_create_dev_secrets(path: Path) -> dict[str, str]:
    """Read development secrets, generating them (mode 0600) on first use."""
    if path.exists():
        data = json.loads(path.read_text())
        if all(isinstance(data.get(name), str) and data[name] for name in _SECRET_NAMES):
            return {name: data[name] for name in _SECRET_NAMES}
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {name: secrets.token_urlsafe(48) for name in _SECRET_NAMES}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
    path.chmod(0o600)
    return data
