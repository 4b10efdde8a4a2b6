"""``GET /.well-known/jwks.json``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from gateway.api.operations import operation
from gateway.keys import services
from gateway.sessions import session

bp = Blueprint("keys", __name__)


@bp.get("/.well-known/jwks.json")
@operation(tags=["OAuth"])
def jwks() -> Response:
    """Public keys for access tokens, decision tokens and consent receipts."""
    body: dict[str, Any] = services.public_jwks(session())
    response = jsonify(body)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
