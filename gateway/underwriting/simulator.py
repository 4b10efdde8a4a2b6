"""A stand-in for the bank's loan-origination system (development and sandbox).

It does what final underwriting does, on simulated data: a fresh check of
the bank's profile of the customer (fraud, blacklist, current delinquency,
debt service with the new instalment against verified income) and a
simulated credit-bureau pull, deterministic per customer, after a delay like
a real bureau's. The sandbox persona ``underwriting_decline``
(``+8613800000005``) is always declined here, after prequalification approved it.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from gateway.profiles.profile import Profile
from gateway.underwriting.adapter import DecisionReason, UnderwritingCase, UnderwritingDecision

MAX_DEBT_SERVICE_RATIO = Decimal("0.55")
MAX_BUREAU_INQUIRIES_90D = 8

REASONS = {
    "bureau_adverse_record": "The credit bureau reports an adverse record.",
    "bureau_many_inquiries": "Too many recent credit applications at the credit bureau.",
    "fraud_check_failed": "The application did not pass identity and fraud checks.",
    "current_delinquency": "An existing loan is currently overdue.",
    "debt_to_income": "Repayments would be too high for the verified income.",
    "consent_withdrawn": "The customer withdrew consent to the credit inquiry.",
}


def reason(code: str) -> DecisionReason:
    """A decline reason with its customer-facing message."""
    return DecisionReason(code, REASONS[code])


@dataclass(frozen=True)
class BureauReport:
    """What the simulated bureau returns for a customer."""

    inquiries_90d: int
    adverse_records: int


def bureau_pull(customer_ref: str) -> BureauReport:
    """A simulated bureau report: the same customer always gets the same one.

    About one customer in forty has an adverse record, one in fifty a burst of
    recent inquiries.
    """
    digest = hashlib.sha256(b"bureau:" + customer_ref.encode()).digest()
    inquiries = digest[0] % 8 + (4 if digest[1] < 6 else 0)
    adverse = 1 if digest[2] < 7 else 0
    return BureauReport(inquiries_90d=inquiries, adverse_records=adverse)


class SimulatedLoanOrigination:
    """The built-in :class:`~gateway.underwriting.adapter.LoanOrigination`.

    Args:
        profiles: looks up the bank's profile of a customer (``None`` if none).
        delay: seconds to wait per decision, as ``(low, high)`` (a bureau
            answers in about a second); ``(0, 0)`` in tests.
        sleep: the sleeping function (tests may replace it).
    """

    def __init__(
        self,
        profiles: Callable[[str, str], Profile | None],
        *,
        delay: tuple[float, float] = (0.5, 2.0),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._profiles = profiles
        self._delay = delay
        self._sleep = sleep

    def decide(self, case: UnderwritingCase) -> UnderwritingDecision:
        """Decide after a fresh profile check and a bureau pull (see the module docstring)."""
        low, high = self._delay
        if high > 0:
            self._sleep(random.uniform(low, high))
        if case.sandbox_persona == "underwriting_decline":
            return UnderwritingDecision(False, (reason("bureau_adverse_record"),))
        if case.sandbox_persona is not None:
            return UnderwritingDecision(True)
        reasons = []
        profile = self._profiles(case.customer_ref, case.environment)
        if profile is not None:
            if profile.fraud_flag or profile.blacklist_flag:
                reasons.append(reason("fraud_check_failed"))
            if profile.current_delinquency:
                reasons.append(reason("current_delinquency"))
            income = profile.verified_monthly_income
            debt = profile.monthly_debt_service + case.monthly_payment
            if income <= 0 or debt > income * MAX_DEBT_SERVICE_RATIO:
                reasons.append(reason("debt_to_income"))
        report = bureau_pull(case.customer_ref)
        if report.adverse_records:
            reasons.append(reason("bureau_adverse_record"))
        if report.inquiries_90d > MAX_BUREAU_INQUIRIES_90D:
            reasons.append(reason("bureau_many_inquiries"))
        return UnderwritingDecision(not reasons, tuple(reasons))
