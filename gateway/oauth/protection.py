"""Resource protection: bearer token → :class:`~gateway.principal.Principal`.

Cost per request: the signature check is skipped for a token already verified
by this process (a bounded cache keyed by the token itself; the claims are
still checked each time), and one indexed query reads the client's status, its
partner's status and whether the token was revoked — so suspension and
revocation take effect on the very next request, in every process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.orm import Session

from gateway.db.raw import fetch_one
from gateway.keys.services import InvalidToken
from gateway.oauth import tokens
from gateway.principal import Environment, Principal

_VERIFIED_MAX = 4096


class _VerifiedTokens:
    """Claims of tokens whose signature this process has already verified."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> dict[str, Any] | None:
        with self._lock:
            claims = self._items.get(token)
            if claims is not None:
                self._items.move_to_end(token)
            return claims

    def put(self, token: str, claims: dict[str, Any]) -> None:
        with self._lock:
            self._items[token] = claims
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_verified = _VerifiedTokens(_VERIFIED_MAX)


@dataclass(frozen=True)
class Authenticated:
    """A valid token's principal, its partner's config hash (for rate limits) and
    the thumbprint of the DPoP key it is bound to (``cnf.jkt``), if any."""

    principal: Principal
    config_hash: str
    jkt: str | None = None


def _claims(session: Session, token: str, issuer: str) -> dict[str, Any]:
    claims = _verified.get(token)
    if claims is None:
        claims = tokens.decode(session, token, issuer=issuer)
        _verified.put(token, claims)
        return claims
    # Cached signature, fresh time checks.
    if claims["iss"] != issuer:
        raise InvalidToken("the token was issued by someone else")
    if claims["exp"] <= time.time() - tokens.LEEWAY:
        raise InvalidToken("the token has expired")
    return claims


# One round trip on the driver's own cursor (gateway.db.raw), in the request's transaction:
# SQLAlchemy's statement building and result processing cost three times the
# query itself on this path, which every /v1 request takes.
_STATE_SQL = """
    SELECT c.status, c.partner_id, c.environment, p.config_status, p.suspended_at,
           p.config_hash,
           EXISTS (SELECT 1 FROM oauth_revoked_tokens r WHERE r.jti = {jti}) AS revoked
    FROM oauth_clients c JOIN partners p ON p.id = c.partner_id
    WHERE c.client_id = {client_id}
"""
# sqlite3 takes named parameters, psycopg pyformat ones.
_STATE_BY_DIALECT = {
    "sqlite": _STATE_SQL.format(jti=":jti", client_id=":client_id"),
    "postgresql": _STATE_SQL.format(jti="%(jti)s", client_id="%(client_id)s"),
}


def _state_row(session: Session, jti: str, client_id: str) -> tuple[Any, ...] | None:
    connection = session.connection()
    sql = _STATE_BY_DIALECT[connection.dialect.name]
    return fetch_one(connection, sql, {"jti": jti, "client_id": client_id})


def authenticate(session: Session, token: str, *, issuer: str) -> Authenticated:
    """Validate a bearer token and the standing of its client and partner.

    Args:
        session: the request's session.
        token: the bearer token.
        issuer: our issuer URL.

    Returns:
        The principal and its partner's config hash.

    Raises:
        InvalidToken: a bad token, a revoked token, a revoked client, a
            suspended partner, or a token whose claims contradict its client.
    """
    claims = _claims(session, token, issuer)
    row = _state_row(session, claims["jti"], claims["client_id"])
    if row is None:
        raise InvalidToken("the token's client does not exist")
    status, partner_id, environment, config_status, suspended_at, config_hash, is_revoked = row
    if is_revoked:
        raise InvalidToken("the token has been revoked")
    if status != "active":
        raise InvalidToken("the token's client has been revoked")
    if config_status != "active" or suspended_at is not None:
        raise InvalidToken("the partner is suspended")
    if partner_id != claims["partner_id"] or environment != claims["environment"]:
        raise InvalidToken("the token does not match its client")
    principal = Principal(
        partner_id=partner_id,
        environment=cast(Environment, environment),
        client_id=claims["client_id"],
        scopes=frozenset(claims["scope"].split()),
        token_id=claims["jti"],
    )
    cnf = claims.get("cnf")
    jkt = cnf.get("jkt") if isinstance(cnf, dict) else None
    return Authenticated(principal, config_hash, jkt if isinstance(jkt, str) else None)
