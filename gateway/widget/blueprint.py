"""The widget's blueprint, its CORS hooks, and what every widget route needs from the request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, request

from gateway.clock import utcnow
from gateway.config import Settings
from gateway.sessions import session
from gateway.widget import cors, tokens
from gateway.widget.models import CheckoutSession

bp = Blueprint("widget", __name__)
STATIC = Path(__file__).resolve().parent / "static"
SESSION = "/widget/v1/sessions/<session_id>"
bp.before_request(cors.preflight)
bp.after_request(cors.add_headers)


def gateway_settings() -> Settings:
    settings: Settings = current_app.extensions["gateway.settings"]
    return settings


def issuer_url() -> str:
    return gateway_settings().issuer or request.url_root.rstrip("/")


def partner_config(partner_id: str) -> Any:
    from gateway.partners.services import get_partner

    return get_partner(session(), partner_id).config


def partner_names(config: Any) -> dict[str, str]:
    return {"zh-CN": config.display_name.zh_cn, "en": config.display_name.en}


# Every session call authenticates the client token (401) and the browser's origin (403).
CLIENT_TOKEN_ERRORS = (401, 403)


def authenticated_checkout(session_id: str) -> CheckoutSession:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return tokens.authenticate(
        session(),
        token.strip() if scheme.lower() == "bearer" else None,
        session_id=session_id,
        origin=request.headers.get("Origin"),
        issuer=issuer_url(),
        now=utcnow(),
    )
