"""How risk findings change a policy decision (pure functions, no database).

Order: a partner past its concentration limit declines; an enforced rule
hit declines or refers; then the exposure cap cuts the approved amount to
the headroom (``partially_approved`` with ``exposure_limit``), or declines
when the headroom is below the product's minimum. Monitor-mode hits change
nothing here: they are only counted and recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal

from gateway.prequal.policy import PolicyDecision
from gateway.prequal.reasons import Reason
from gateway.risk.reasons import EXPOSURE_LIMIT, PARTNER_LIMIT_REACHED, RISK_REASONS
from gateway.risk.rules import Hit

OFFERING = ("approved", "partially_approved")
LENDING_UNIT = Decimal(100)


def _declined(decision: PolicyDecision, reasons: Sequence[Reason]) -> PolicyDecision:
    """Declined for these reasons only (an offer's own reasons no longer apply)."""
    return replace(
        decision,
        status="declined",
        approved_amount=None,
        upfront_payment=None,
        offer_tenors=(),
        reasons=tuple(reasons),
    )


def partner_limit(decision: PolicyDecision, reached: bool) -> PolicyDecision:
    """Decline every new prequalification of a partner past its ``max_outstanding``."""
    if not reached or decision.status == "declined":
        return decision
    return _declined(decision, (PARTNER_LIMIT_REACHED,))


def rule_hits(decision: PolicyDecision, hits: Sequence[Hit]) -> PolicyDecision:
    """Apply enforced hits: any ``decline`` declines; any ``refer`` refers an offer."""
    enforced = [h for h in hits if h.enforced]
    if not enforced or decision.status == "declined":
        return decision
    reasons = tuple(dict.fromkeys(RISK_REASONS[(h.rule, h.action)] for h in enforced))
    if any(h.action == "decline" for h in enforced):
        declines = tuple(
            RISK_REASONS[(h.rule, "decline")] for h in enforced if h.action == "decline"
        )
        return _declined(decision, tuple(dict.fromkeys(declines)))
    if decision.status == "referred":
        return replace(decision, reasons=(*reasons, *decision.reasons))
    return replace(
        decision,
        status="referred",
        approved_amount=None,
        upfront_payment=None,
        offer_tenors=(),
        reasons=(*reasons, *decision.reasons),
    )


def exposure_cap(
    decision: PolicyDecision, headroom: Decimal, min_amount: Decimal
) -> PolicyDecision:
    """Cut an offer to the customer's headroom under the cap, or decline below the minimum."""
    approved = decision.approved_amount
    if decision.status not in OFFERING or approved is None or approved <= headroom:
        return decision
    # Whole lending units (¥100), as policy's own partial approvals are.
    units = (headroom / LENDING_UNIT).to_integral_value(rounding=ROUND_DOWN)
    cut = (units * LENDING_UNIT).quantize(Decimal("0.01"))
    if cut < min_amount:
        return _declined(decision, (EXPOSURE_LIMIT,))
    return replace(
        decision,
        status="partially_approved",
        approved_amount=cut,
        upfront_payment=(decision.requested_amount - cut).quantize(Decimal("0.01")),
        reasons=(EXPOSURE_LIMIT, *(r for r in decision.reasons if r != EXPOSURE_LIMIT)),
    )
