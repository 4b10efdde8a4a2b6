"""Who is acting: a partner in one environment, through one client or widget session.

The one "who is calling" value every service takes. The OAuth layer builds it
from an access token (:meth:`gateway.principal.Principal.caller`), the widget
from its checkout session, the CLI from its own name. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """A partner in one environment, and the client (or session) acting for it."""

    partner_id: str
    environment: str
    actor: str

    @property
    def tenant(self) -> str:
        """The isolation key: one partner in one environment."""
        return f"{self.partner_id}:{self.environment}"
