"""Consent endpoints: notices, record, read, revoke."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Blueprint, current_app, request

from gateway.api.operations import operation
from gateway.api.pagination import list_schema
from gateway.clock import utcnow
from gateway.config import Settings
from gateway.consent import notices, services
from gateway.consent.capture import require_api_capture
from gateway.consent.schemas import (
    ConsentCreatedSchema,
    ConsentCreateSchema,
    ConsentNoticeSchema,
    ConsentSchema,
    NoticeQuerySchema,
    RevokeSchema,
    consent_view,
)
from gateway.principal import current_principal
from gateway.sessions import session

bp = Blueprint("consent", __name__)


def _settings() -> Settings:
    settings: Settings = current_app.extensions["gateway.settings"]
    return settings


def _partner_names(partner_id: str) -> dict[str, str]:
    from gateway.partners.services import request_partner_config

    name = request_partner_config(session(), partner_id).display_name
    return {"zh-CN": name.zh_cn, "en": name.en}


def _tenant() -> services.Tenant:
    principal = current_principal()
    return services.Tenant(
        partner_id=principal.partner_id,
        environment=principal.environment,
        actor=principal.client_id,
        partner_names=_partner_names(principal.partner_id),
    )


def issuer() -> str:
    """The gateway's issuer URL (configured, else the URL this request came in on)."""
    return _settings().issuer or request.url_root.rstrip("/")


ConsentNoticeList = list_schema(ConsentNoticeSchema, "ConsentNoticeListSchema")


@bp.get("/v1/consent-notices")
@operation(
    query=NoticeQuerySchema, response=ConsentNoticeList, scope="consents:write", tags=["consent"]
)
def list_notices(query: dict[str, Any]) -> dict[str, Any]:
    """Every purpose's current notice in one locale: what to show, and what to echo.

    Show each notice in ``locale`` and, when the customer agrees, send its
    ``version`` as the grant's ``notice_version`` with ``evidence.locale`` set
    to the same locale: the consent records the ``hash`` of that rendering.
    """
    principal = current_principal()
    names = _partner_names(principal.partner_id)
    now = utcnow()
    data = [
        dataclasses.asdict(
            notices.render(
                notices.current_version(purpose, now), query["locale"], principal.partner_id, names
            )
        )
        for purpose in notices.PURPOSES
    ]
    return {"object": "list", "url": "/v1/consent-notices", "has_more": False, "data": data}


@bp.get("/v1/consent-notices/<purpose>")
@operation(
    query=NoticeQuerySchema, response=ConsentNoticeSchema, scope="consents:write", tags=["consent"]
)
def get_notice(purpose: str, query: dict[str, Any]) -> dict[str, Any]:
    """The current notice for a purpose, filled with the partner's identity."""
    principal = current_principal()
    current = notices.current_version(purpose, utcnow())
    rendered = notices.render(
        current, query["locale"], principal.partner_id, _partner_names(principal.partner_id)
    )
    return dataclasses.asdict(rendered)


@bp.post("/v1/consents")
@operation(
    body=ConsentCreateSchema,
    response=ConsentCreatedSchema,
    status=201,
    scope="consents:write",
    tags=["consent"],
)
def create_consents(body: dict[str, Any]) -> dict[str, Any]:
    """Record a customer's consent: one explicit grant per purpose; returns a signed receipt."""
    from gateway.partners.services import request_partner_config

    principal = current_principal()
    require_api_capture(request_partner_config(session(), principal.partner_id))
    settings = _settings()
    evidence = body["evidence"]
    recorded = services.record_consents(
        session(),
        _tenant(),
        pepper=settings.identifier_pepper,
        phone=body["customer"]["phone"],
        id_number=body["customer"]["id_number"],
        grants=[services.Grant(**grant) for grant in body["grants"]],
        evidence=services.Evidence(
            captured_at=evidence["captured_at"].astimezone(dt.UTC),
            channel=evidence["channel"],
            locale=evidence["locale"],
            ip=str(evidence["ip"]) if evidence["ip"] is not None else None,
            user_agent=evidence["user_agent"],
            page_url=evidence["page_url"],
        ),
        policy=services.ConsentPolicy(
            lifetime_days=settings.consent_lifetime_days,
            notice_grace=dt.timedelta(minutes=settings.notice_grace_minutes),
        ),
        issuer=issuer(),
    )
    receipt = {"id": recorded.receipt.id, "token": recorded.receipt.token}
    return {
        "consents": [consent_view(c, "active") for c in recorded.consents],
        "receipt": receipt,
    }


@bp.get("/v1/consents/<consent_id>")
@operation(response=ConsentSchema, scope="consents:write", tags=["consent"])
def get_consent(consent_id: str) -> dict[str, Any]:
    """Read a consent, with its status as of now and its receipt."""
    principal = current_principal()
    db = session()
    consent = services.get_consent(db, principal.partner_id, principal.environment, consent_id)
    return consent_view(consent, consent.status_at(utcnow()), services.receipt_for(db, consent))


@bp.post("/v1/consents/<consent_id>/revoke")
@operation(body=RevokeSchema, response=ConsentSchema, scope="consents:write", tags=["consent"])
def revoke_consent(consent_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Revoke a consent at once; offers that relied on it are voided."""
    principal = current_principal()
    db = session()
    consent = services.get_consent(db, principal.partner_id, principal.environment, consent_id)
    revoked = services.revoke(db, consent, actor=principal.client_id, reason=body["reason"])
    return consent_view(revoked, revoked.status, services.receipt_for(db, revoked))
