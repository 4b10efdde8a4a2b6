"""The go-live checklist: every item must be green before a go-live can be requested.

Items (each with a one-line explanation when red):

- ``config_valid``: the reviewed file ``partner_configs/<id>.yaml`` validates
  and is the config applied (same hash);
- ``contacts``: a business contact and a technical (or security) contact;
- ``live_webhook_https``: the live environment has a webhook URL on https;
- ``live_keys_real``: every live JWK parses as a real public key (a template
  placeholder such as ``x: "…"`` does not);
- ``sandbox_journey``: an accepted sandbox application whose webhook events
  were all delivered with a 2xx;
- ``consent_notices``: every purpose's current notice renders, in zh-CN and
  en, naming the partner (its display name in that locale);
- ``rate_limits``: the reviewed file sets ``rate_limit`` explicitly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from joserfc.errors import JoseError
from joserfc.jwk import import_key
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.clock import utcnow
from gateway.consent import notices
from gateway.errors import NotFound
from gateway.partners import services as partners
from gateway.partners.config import PartnerConfig
from gateway.partners.loader import parse_file
from gateway.webhooks.models import WebhookEvent

ITEMS = (
    "config_valid",
    "contacts",
    "live_webhook_https",
    "live_keys_real",
    "sandbox_journey",
    "consent_notices",
    "rate_limits",
)


@dataclass(frozen=True)
class Item:
    """One checklist line: green or not, and why not."""

    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class Checklist:
    """The whole checklist of one partner."""

    partner_id: str
    items: tuple[Item, ...]

    @property
    def ok(self) -> bool:
        """Every item is green."""
        return all(item.ok for item in self.items)

    def failing(self) -> list[Item]:
        """The red items."""
        return [item for item in self.items if not item.ok]


def reviewed_config(config_dir: Path, partner_id: str) -> tuple[PartnerConfig | None, str]:
    """The reviewed file of a partner, parsed, or ``None`` and the reason."""
    for suffix in (".yaml", ".yml"):
        path = config_dir / f"{partner_id}{suffix}"
        if path.is_file():
            config, problems = parse_file(path)
            if config is None:
                return None, "; ".join(str(p) for p in problems[:3])
            return config, ""
    return None, f"no {partner_id}.yaml in {config_dir}"


def _config_valid(applied: PartnerConfig, reviewed: PartnerConfig | None, why: str) -> Item:
    if reviewed is None:
        return Item("config_valid", False, why)
    same = partners.config_hash(partners.config_json(reviewed)) == partners.config_hash(
        partners.config_json(applied)
    )
    return Item("config_valid", same, "" if same else "the applied config differs from the file")


def _contacts(config: PartnerConfig) -> Item:
    roles = {c.role for c in config.contacts}
    missing = []
    if "business" not in roles:
        missing.append("business")
    if not roles & {"technical", "security"}:
        missing.append("technical")
    return Item("contacts", not missing, f"missing: {', '.join(missing)}" if missing else "")


def _live_webhook(config: PartnerConfig) -> Item:
    live = config.environments.live
    if live is None:
        return Item("live_webhook_https", False, "no live environment")
    if live.webhook_url is None or live.webhook_url.scheme != "https":
        return Item("live_webhook_https", False, "live webhook_url must be an https URL")
    return Item("live_webhook_https", True)


def _live_keys(config: PartnerConfig) -> Item:
    live = config.environments.live
    if live is None:
        return Item("live_keys_real", False, "no live environment")
    for key in (live.jwks or {}).get("keys", []):
        try:
            import_key(key)
        except (JoseError, ValueError, TypeError, KeyError):
            return Item("live_keys_real", False, f"key {key.get('kid', '?')!r} is not a real key")
    return Item("live_keys_real", True)


def _sandbox_journey(session: Session, partner_id: str) -> Item:
    apps = session.scalars(
        select(Application.id)
        .where(Application.partner_id == partner_id, Application.environment == "sandbox")
        .order_by(Application.created_at.desc())
        .limit(50)
    ).all()
    for app_id in apps:
        statuses = set(
            session.scalars(select(WebhookEvent.status).where(WebhookEvent.resource_id == app_id))
        )
        if statuses == {"delivered"}:
            return Item("sandbox_journey", True)
    return Item(
        "sandbox_journey", False, "no sandbox application with every webhook delivered (2xx)"
    )


def _consent_notices(config: PartnerConfig, now: dt.datetime) -> Item:
    names = config.display_name.model_dump(by_alias=True)
    for purpose in notices.PURPOSES:
        try:
            version = notices.current_version(purpose, now)
        except NotFound:
            return Item("consent_notices", False, f"no current {purpose} notice")
        for locale in notices.LOCALES:
            rendered = notices.render(version, locale, config.id, names)
            if rendered.partner.get("name") != names[locale]:
                return Item(
                    "consent_notices", False, f"{purpose} ({locale}) does not name the partner"
                )
    return Item("consent_notices", True)


def _rate_limits(reviewed: PartnerConfig | None) -> Item:
    ok = reviewed is not None and "rate_limit" in reviewed.model_fields_set
    return Item("rate_limits", ok, "" if ok else "set rate_limit in the reviewed file")


def checklist(
    session: Session, partner_id: str, config_dir: Path, *, now: dt.datetime | None = None
) -> Checklist:
    """Evaluate every item for ``partner_id``.

    Raises:
        NotFound: no such partner.
    """
    partner = partners.get_partner(session, partner_id)
    reviewed, why = reviewed_config(config_dir, partner_id)
    config = partner.config
    items = (
        _config_valid(config, reviewed, why),
        _contacts(config),
        _live_webhook(config),
        _live_keys(config),
        _sandbox_journey(session, partner_id),
        _consent_notices(config, now or utcnow()),
        _rate_limits(reviewed),
    )
    return Checklist(partner_id, items)
