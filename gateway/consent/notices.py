"""Consent notices: versioned zh-CN / en texts kept as files in the repository.

Each file ``notices/<purpose>-<version>.yaml`` holds one version of one
purpose's notice in both locales. The notice a customer sees is that text
filled with the bank's and the partner's identity; its ``hash`` (SHA-256 over
the rendered notice) is what a consent records, so the bank can later prove
exactly which words the customer agreed to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from gateway.errors import NotFound

NOTICE_DIR = Path(__file__).parent / "notices"
PURPOSES = ("prequalification", "credit_inquiry", "marketing")
LOCALES = ("zh-CN", "en")
Purpose = Literal["prequalification", "credit_inquiry", "marketing"]


class NoticeNotFound(NotFound):
    """No notice for this purpose or locale."""

    code = "notice_not_found"


@dataclass(frozen=True)
class NoticeVersion:
    """One version of one purpose's notice, both locales, unrendered."""

    purpose: str
    version: str
    effective_at: dt.datetime
    required: bool
    locales: Mapping[str, Mapping[str, Any]]
    source_hash: str


@dataclass(frozen=True)
class RenderedNotice:
    """What the customer sees, for one partner and locale."""

    purpose: str
    version: str
    locale: str
    required: bool
    title: str
    text: str
    controller: Mapping[str, str]
    partner: Mapping[str, str]
    data_categories: tuple[str, ...]
    processing_method: str
    retention: str
    recipients: tuple[str, ...]
    withdrawal: str
    rights: str
    hash: str


@cache
def _load() -> tuple[dict[str, list[NoticeVersion]], dict[str, dict[str, str]]]:
    controller = yaml.safe_load((NOTICE_DIR / "controller.yaml").read_text("utf-8"))
    versions: dict[str, list[NoticeVersion]] = {p: [] for p in PURPOSES}
    for path in sorted(NOTICE_DIR.glob("*-*.yaml")):
        raw = path.read_bytes()
        data = yaml.safe_load(raw)
        effective = dt.datetime.fromisoformat(data["effective_at"].replace("Z", "+00:00"))
        versions[data["purpose"]].append(
            NoticeVersion(
                purpose=data["purpose"],
                version=str(data["version"]),
                effective_at=effective.astimezone(dt.UTC),
                required=bool(data["required"]),
                locales=data["locales"],
                source_hash="sha256:" + hashlib.sha256(raw).hexdigest(),
            )
        )
    for purpose_versions in versions.values():
        purpose_versions.sort(key=lambda v: v.effective_at)
    return versions, controller


def versions_of(purpose: str) -> list[NoticeVersion]:
    """Every version of a purpose's notice, oldest first."""
    if purpose not in PURPOSES:
        raise NoticeNotFound(f"no consent purpose {purpose!r}", field="purpose")
    return list(_load()[0][purpose])


def current_version(purpose: str, now: dt.datetime) -> NoticeVersion:
    """The version in force at ``now`` (the latest already effective)."""
    effective = [v for v in versions_of(purpose) if v.effective_at <= now]
    if not effective:
        raise NoticeNotFound(f"no notice for {purpose!r} is in force yet")
    return effective[-1]


def find_version(purpose: str, version: str) -> NoticeVersion | None:
    """A named version of a purpose's notice, if it exists."""
    return next((v for v in versions_of(purpose) if v.version == version), None)


def render(
    notice: NoticeVersion, locale: str, partner_id: str, partner_names: Mapping[str, str]
) -> RenderedNotice:
    """Fill a notice with the bank's and the partner's identity, and hash it.

    Args:
        notice: the version to render.
        locale: ``zh-CN`` or ``en``.
        partner_id: the partner's id.
        partner_names: the partner's display name per locale.

    Raises:
        NoticeNotFound: the locale is not available.
    """
    if locale not in notice.locales:
        raise NoticeNotFound(f"no {locale!r} text; available: {', '.join(LOCALES)}", field="locale")
    controller = _load()[1]
    values = {
        "controller_name": controller["name"][locale],
        "partner_name": partner_names.get(locale) or partner_names.get("en") or partner_id,
    }
    text = notice.locales[locale]

    def fill(value: str) -> str:
        return value.format(**values)

    rendered: dict[str, Any] = {
        "purpose": notice.purpose,
        "version": notice.version,
        "locale": locale,
        "required": notice.required,
        "title": fill(text["title"]),
        "text": fill(text["text"]).strip(),
        "controller": {
            "name": controller["name"][locale],
            "contact": controller["contact"][locale],
            "address": controller["address"][locale],
        },
        "partner": {"id": partner_id, "name": values["partner_name"]},
        "data_categories": [fill(c) for c in text["data_categories"]],
        "processing_method": fill(text["processing_method"]),
        "retention": fill(text["retention"]),
        "recipients": [fill(r) for r in text["recipients"]],
        "withdrawal": fill(text["withdrawal"]),
        "rights": fill(text["rights"]),
    }
    digest = hashlib.sha256(
        json.dumps(rendered, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    return RenderedNotice(
        purpose=rendered["purpose"],
        version=rendered["version"],
        locale=locale,
        required=rendered["required"],
        title=rendered["title"],
        text=rendered["text"],
        controller=rendered["controller"],
        partner=rendered["partner"],
        data_categories=tuple(rendered["data_categories"]),
        processing_method=rendered["processing_method"],
        retention=rendered["retention"],
        recipients=tuple(rendered["recipients"]),
        withdrawal=rendered["withdrawal"],
        rights=rendered["rights"],
        hash="sha256:" + digest,
    )


def controller_identity(locale: str = "en") -> Mapping[str, str]:
    """The bank's name and contact in a locale."""
    controller = _load()[1]
    return {key: controller[key][locale] for key in ("name", "contact", "address")}
