"""What final underwriting needs from the bank's loan-origination system.

In production an adapter calls the bank's LOS; the built-in
:class:`gateway.underwriting.simulator.SimulatedLoanOrigination` stands in
for it in development and the sandbox. The worker
(:mod:`gateway.underwriting.worker`) only ever talks to this interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class UnderwritingCase:
    """An accepted offer, as the loan-origination system is asked to decide it."""

    application_id: str
    partner_id: str
    environment: str
    customer_ref: str
    currency: str
    principal: Decimal
    tenor_months: int
    monthly_payment: Decimal
    sandbox_persona: str | None = None


@dataclass(frozen=True)
class DecisionReason:
    """Why an application was declined, in words a customer can be shown."""

    code: str
    message: str


@dataclass(frozen=True)
class UnderwritingDecision:
    """Approved, or declined with reasons."""

    approved: bool
    reasons: tuple[DecisionReason, ...] = ()


class LoanOrigination(Protocol):
    """Decides an application after a fresh check and a credit-bureau pull."""

    def decide(self, case: UnderwritingCase) -> UnderwritingDecision:
        """Decide one application (may take seconds: it queries the bureau).

        Args:
            case: the application and its terms.

        Returns:
            The final decision.
        """
        ...
