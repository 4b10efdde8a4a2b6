"""The partner registry: apply reviewed configs, look partners up, suspend and resume.

Lookups are on every request's path, so :func:`get_partner` reads three small
columns by primary key and parses a config only when its hash changed
(parsed configs are cached in-process by hash).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.errors import NotFound
from gateway.partners.config import LocalisedName, PartnerConfig
from gateway.partners.models import PartnerRecord

Status = Literal["active", "suspended"]


@dataclass(frozen=True)
class Partner:
    """A partner as other domains see it."""

    id: str
    status: Status
    config: PartnerConfig

    @property
    def display_name(self) -> LocalisedName:
        """Names in zh-CN and en."""
        return self.config.display_name

    @property
    def scenario(self) -> str:
        """``ecommerce``, ``travel`` or ``education``."""
        return self.config.scenario

    @property
    def active(self) -> bool:
        """Whether the partner may call the API."""
        return self.status == "active"


_parsed: dict[str, PartnerConfig] = {}
_lock = threading.Lock()


def config_json(config: PartnerConfig) -> dict[str, Any]:
    """The config as stored: JSON-safe, field names as in the YAML files."""
    data: dict[str, Any] = config.model_dump(mode="json", by_alias=True, exclude_none=False)
    return data


def config_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a stored config."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _parse_cached(digest: str, load: Any) -> PartnerConfig:
    config = _parsed.get(digest)
    if config is None:
        config = PartnerConfig.model_validate(load())
        with _lock:
            _parsed[digest] = config
    return config


def get_partner(session: Session, partner_id: str) -> Partner:
    """Look a partner up.

    Args:
        session: the caller's session.
        partner_id: the partner's id.

    Returns:
        The partner with its current status and validated config.

    Raises:
        NotFound: no such partner.
    """
    row = session.execute(
        select(
            PartnerRecord.config_status, PartnerRecord.suspended_at, PartnerRecord.config_hash
        ).where(PartnerRecord.id == partner_id)
    ).first()
    if row is None:
        raise NotFound(f"no partner {partner_id!r}")
    config_status, suspended_at, digest = row

    def load() -> Any:
        return session.execute(
            select(PartnerRecord.config).where(PartnerRecord.id == partner_id)
        ).scalar_one()

    config = _parse_cached(digest, load)
    status: Status = "active" if config_status == "active" and suspended_at is None else "suspended"
    return Partner(partner_id, status, config)


def request_partner_config(session: Session, partner_id: str) -> PartnerConfig:
    """The config of the partner calling this request.

    The authoriser has just read the partner's standing and config hash for
    this request and left the parsed config on ``flask.g``; outside such a
    request it is looked up.
    """
    from flask import g, has_app_context

    config: PartnerConfig | None = g.get("partner_config") if has_app_context() else None
    principal = g.get("principal") if has_app_context() else None
    if config is not None and principal is not None and principal.partner_id == partner_id:
        return config
    return get_partner(session, partner_id).config


def list_partners(session: Session) -> list[Partner]:
    """Every partner, by id."""
    rows = session.scalars(select(PartnerRecord).order_by(PartnerRecord.id)).all()
    partners = []
    for row in rows:
        status: Status = "active" if row.status == "active" else "suspended"
        config = _parse_cached(row.config_hash, lambda row=row: row.config)
        partners.append(Partner(row.id, status, config))
    return partners


@dataclass(frozen=True)
class Change:
    """What applying one config does: ``create``, ``update`` or ``unchanged``."""

    partner_id: str
    action: Literal["create", "update", "unchanged"]
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.action == "update":
            return f"update {self.partner_id}: {', '.join(self.fields)}"
        return f"{self.action} {self.partner_id}"


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k)))


def plan(session: Session, configs: Mapping[str, PartnerConfig]) -> list[Change]:
    """What :func:`apply` would change, without changing anything.

    Args:
        session: the caller's session.
        configs: validated configs by id.

    Returns:
        One change per config, in id order.
    """
    existing = {r.id: r for r in session.scalars(select(PartnerRecord)).all()}
    changes = []
    for partner_id in sorted(configs):
        data = config_json(configs[partner_id])
        row = existing.get(partner_id)
        if row is None:
            changes.append(Change(partner_id, "create"))
        elif row.config_hash == config_hash(data):
            changes.append(Change(partner_id, "unchanged"))
        else:
            changes.append(Change(partner_id, "update", _changed_fields(row.config, data)))
    return changes


def apply(
    session: Session, configs: Mapping[str, PartnerConfig], *, actor: str = "system"
) -> list[Change]:
    """Create or update partners from validated configs; unchanged ones are left alone.

    Partners missing from ``configs`` are not deleted (suspend them instead).

    Args:
        session: the caller's session (flushed; the caller commits).
        configs: validated configs by id.
        actor: who applied them, for the audit log.

    Returns:
        The changes made (see :func:`plan`).
    """
    from gateway.audit import services as audit

    changes = plan(session, configs)
    now = utcnow()
    for change in changes:
        if change.action == "unchanged":
            continue
        config = configs[change.partner_id]
        data = config_json(config)
        digest = config_hash(data)
        row = session.get(PartnerRecord, change.partner_id)
        if row is None:
            row = PartnerRecord(id=config.id, created_at=now, suspended_at=None)
            session.add(row)
        row.scenario = config.scenario
        row.config_status = config.status
        row.config = data
        row.config_hash = digest
        row.updated_at = now
        session.flush()
        audit.record(
            session,
            action="partner.config_applied",
            actor=actor,
            partner_id=config.id,
            subject=config.id,
            data={"change": change.action, "fields": list(change.fields), "config_hash": digest},
        )
    return changes


def set_suspended(
    session: Session, partner_id: str, suspended: bool, *, actor: str = "system"
) -> Partner:
    """Suspend or resume a partner; takes effect on its very next request.

    Args:
        session: the caller's session (flushed; the caller commits).
        partner_id: the partner.
        suspended: ``True`` to suspend, ``False`` to resume.
        actor: who did it, for the audit log.

    Returns:
        The partner afterwards (still ``suspended`` on resume if its file says so).

    Raises:
        NotFound: no such partner.
    """
    from gateway.audit import services as audit

    row = session.get(PartnerRecord, partner_id, with_for_update=True)
    if row is None:
        raise NotFound(f"no partner {partner_id!r}")
    now = utcnow()
    if suspended and row.suspended_at is None:
        row.suspended_at = now
    elif not suspended:
        row.suspended_at = None
    row.updated_at = now
    session.flush()
    audit.record(
        session,
        action="partner.suspended" if suspended else "partner.resumed",
        actor=actor,
        partner_id=partner_id,
        subject=partner_id,
    )
    return get_partner(session, partner_id)


def cached_config(digest: str) -> PartnerConfig | None:
    """A config already parsed in this process, by its hash (no query)."""
    return _parsed.get(digest)
