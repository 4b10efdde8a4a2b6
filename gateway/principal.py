"""Who is calling: the authenticated partner client of the current request.

The OAuth layer puts a :class:`Principal` on ``flask.g.principal`` after it
validates a bearer token; views pass it to services as a plain value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flask import g

from gateway.caller import Caller
from gateway.errors import DomainError

Environment = Literal["sandbox", "live"]


class Unauthenticated(DomainError):
    """No valid credentials on the request."""

    code = "unauthorized"
    kind = "unauthenticated"
    title = "Authentication required"


@dataclass(frozen=True)
class Principal:
    """An authenticated partner client, in one environment."""

    partner_id: str
    environment: Environment
    client_id: str
    scopes: frozenset[str]
    token_id: str | None = None

    @property
    def tenant(self) -> str:
        """The isolation key: one partner in one environment."""
        return f"{self.partner_id}:{self.environment}"

    @property
    def caller(self) -> Caller:
        """This client as the :class:`~gateway.caller.Caller` services take."""
        return Caller(self.partner_id, self.environment, self.client_id)


def current_principal() -> Principal:
    """The request's principal; raises :class:`Unauthenticated` when there is none."""
    principal: Principal | None = g.get("principal")
    if principal is None:
        raise Unauthenticated("authentication is required")
    return principal
