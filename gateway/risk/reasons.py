"""Reason codes of the risk controls: texts a customer may see, nothing more.

The customer (and the partner) get the code and a generic text that neither
reveals the rule nor helps to game it; what exactly hit, with its counts, is
the ``detail`` kept for bank staff in ``risk_hits`` and the audit log.
"""

from __future__ import annotations

from gateway.prequal.reasons import Reason

EXPOSURE_LIMIT = Reason(
    "exposure_limit",
    "Your total instalment credit with the bank is close to the limit we can lend to one "
    "customer, so we can only offer a lower amount now (or none); repaying existing loans "
    "frees the limit again. You can pay the difference upfront.",
    "您在我行的分期信贷总额已接近单一客户的可贷上限，因此目前只能提供较低的额度（或无法提供）；"
    "归还现有贷款后额度将恢复。差额部分可先行支付。",
)

PARTNER_LIMIT_REACHED = Reason(
    "partner_limit_reached",
    "Instalments are not available for this purchase at the moment. Please choose another "
    "way to pay, or try again later.",
    "本次购买暂时无法使用分期付款，请选择其他支付方式或稍后再试。",
)

_REFER_TEXT = (
    "We need to make some additional checks before we can offer instalments; the bank "
    "will review your request and the merchant will let you know.",
    "我们需要进行一些额外核验后才能为您提供分期服务；我行将对您的申请进行复核，商户会告知您结果。",
)
_DECLINE_TEXT = (
    "We could not complete our security checks for this request. Please contact the "
    "bank's customer service; you can also ask for a review by a person.",
    "本次申请未能通过我行的安全核验。请联系我行客服，您也可以申请人工复核。",
)
RULE_CODES = {
    "customer_velocity": "risk_velocity",
    "phones_per_id_number": "risk_phone_changes",
    "id_number_mismatch": "risk_identity_mismatch",
    "customers_per_device": "risk_shared_device",
}
"""Each rule's reason code: partners may branch on it; the text stays generic."""

RISK_REASONS: dict[tuple[str, str], Reason] = {
    (rule, action): Reason(code, *(_REFER_TEXT if action == "refer" else _DECLINE_TEXT))
    for rule, code in RULE_CODES.items()
    for action in ("refer", "decline")
}
"""The customer-facing reason of each (rule, action): one generic text per action."""

ALL_REASONS = (EXPOSURE_LIMIT, PARTNER_LIMIT_REACHED)
"""The limits' reasons (the rules' are :data:`RISK_REASONS`)."""
