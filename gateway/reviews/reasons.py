"""Review reason codes: why a person approved or upheld, in words a customer can read.

A decision carries one or more codes; the partner sees each code with its
text (``human_review.reasons``) and one summary message. The reviewer's note
stays inside the bank: it may hold what the customer told the call centre.
Codes never change meaning once published.
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.errors import ValidationFailed
from gateway.prequal.reasons import Reason

APPROVE_REASONS = (
    Reason(
        "income_verified",
        "A member of staff verified your income.",
        "工作人员已核实您的收入。",
    ),
    Reason(
        "credit_history_acceptable",
        "A member of staff found your credit history acceptable.",
        "工作人员认为您的信用记录符合要求。",
    ),
    Reason(
        "risk_acceptable",
        "A member of staff assessed the risk and found it acceptable for this amount.",
        "工作人员评估后认为该金额的风险可以接受。",
    ),
)
UPHOLD_REASONS = (
    Reason(
        "affordability_confirmed",
        "A member of staff confirmed that the repayments would be too high for your income.",
        "工作人员复核后确认，按您的收入，还款负担过重。",
    ),
    Reason(
        "credit_history_confirmed",
        "A member of staff reviewed your credit history and confirmed the decision.",
        "工作人员复核了您的信用记录，维持原决定。",
    ),
    Reason(
        "policy_confirmed",
        "A member of staff confirmed that the application falls outside the bank's lending policy.",
        "工作人员确认该申请不符合我行的信贷政策。",
    ),
    Reason(
        "insufficient_information",
        "A member of staff could not verify enough information to change the decision; "
        "you are welcome to apply again with proof of income.",
        "工作人员无法核实足够的信息以改变决定；欢迎您提供收入证明后再次申请。",
    ),
)
REASONS: dict[str, dict[str, Reason]] = {
    "approve": {r.code: r for r in APPROVE_REASONS},
    "uphold": {r.code: r for r in UPHOLD_REASONS},
}
SUMMARY = {
    "approved": Reason(
        "approved",
        "After a review by a person, new offers are available.",
        "经人工复核，您现在可以选择新的分期方案。",
    ),
    "upheld": Reason(
        "upheld",
        "After a review by a person, the decision stands.",
        "经人工复核，维持原决定。",
    ),
    "withdrawn": Reason(
        "withdrawn",
        "The review was stopped because the consent it relied on was withdrawn.",
        "由于相关授权已撤回，复核已终止。",
    ),
}


def review_reasons(outcome: str, codes: Sequence[str]) -> list[Reason]:
    """The reasons for ``codes`` under ``outcome`` (``approve`` or ``uphold``), in order.

    Raises:
        ValidationFailed: no code, or a code that does not belong to the outcome.
    """
    catalogue = REASONS[outcome]
    if not codes:
        raise ValidationFailed({"reason_codes": f"give at least one of {', '.join(catalogue)}"})
    unknown = [c for c in codes if c not in catalogue]
    if unknown:
        raise ValidationFailed(
            {
                "reason_codes": f"{', '.join(unknown)}: not a reason to {outcome}; "
                f"choose from {', '.join(catalogue)}"
            }
        )
    return [catalogue[c] for c in dict.fromkeys(codes)]


def reason_by_code(code: str) -> Reason | None:
    """The reason with this code, under either outcome."""
    for catalogue in REASONS.values():
        if code in catalogue:
            return catalogue[code]
    return None
