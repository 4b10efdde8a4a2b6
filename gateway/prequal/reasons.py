"""Reason codes: stable machine codes with texts a customer can act on.

Policy knock-outs come from the catalogue below; the scorecard's adverse
factors are built by the scoring side as :class:`Reason` values too, and the
policy merges them after the knock-outs. Codes never change meaning once
published: partners branch on them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason, with an English and a Simplified Chinese text."""

    code: str
    en: str
    zh_cn: str

    def message(self, locale: str) -> str:
        """The text for a locale (``zh-CN`` and other ``zh`` tags get Chinese)."""
        return self.zh_cn if locale.lower().startswith("zh") else self.en


_CATALOGUE = (
    Reason(
        "fraud_flag",
        "We could not complete our security checks for this application. Please contact "
        "the bank's customer service; you can also ask for a review by a person.",
        "您的申请未能通过我行的安全核验。请联系我行客服，您也可以申请人工复核。",
    ),
    Reason(
        "blacklisted",
        "We cannot offer credit to you through this channel at the moment. Please contact "
        "the bank's customer service for details or to ask for a review by a person.",
        "目前我们无法通过此渠道向您提供信贷服务。请联系我行客服了解详情或申请人工复核。",
    ),
    Reason(
        "current_delinquency",
        "You have a repayment that is overdue. Once it is paid, you are welcome to apply again.",
        "您目前有逾期未还的款项，还清后欢迎再次申请。",
    ),
    Reason(
        "age_out_of_range",
        "Your age at the end of the loan would be outside the range this product serves; "
        "a shorter term or another product may suit you.",
        "按贷款到期时计算，您的年龄不在本产品的服务范围内；选择更短的期限或其他产品或许可行。",
    ),
    Reason(
        "amount_out_of_range",
        "The amount is outside what this product lends; choose an amount within its limits.",
        "申请金额超出本产品的额度范围，请在产品额度范围内选择金额。",
    ),
    Reason(
        "contact_frequency_cap",
        "You have received several credit offers recently. To protect you from borrowing "
        "too much, please try again later (offers are limited per 30 days).",
        "您近期已多次获得信贷报价。为避免过度借贷，请稍后再试（每30天内的报价次数有限）。",
    ),
    Reason(
        "insufficient_income",
        "We could not confirm an income that supports this loan. Telling us your monthly "
        "income, or verifying it with the bank, may help.",
        "我们无法确认足以支持本笔贷款的收入。提供您的月收入或在我行完成收入核实可能会有帮助。",
    ),
    Reason(
        "debt_to_income",
        "Your existing monthly repayments are high compared with your income; reducing "
        "them or choosing a smaller amount may help.",
        "您现有的月还款额相对收入偏高；减少现有负债或选择较小的金额可能会有帮助。",
    ),
    Reason(
        "score_below_cutoff",
        "Based on your credit profile we cannot offer this loan now. Repaying on time and "
        "reducing outstanding debt help future applications; you can ask for a review by "
        "a person.",
        "根据您的信用状况，我们目前无法提供这笔贷款。按时还款、减少未结清债务有助于今后的申请；"
        "您也可以申请人工复核。",
    ),
    Reason(
        "new_to_bank_limit",
        "As a new customer of the bank you start with a lower limit, which can grow as you "
        "repay on time; you can pay the difference upfront.",
        "作为我行新客户，您的初始额度较低，按时还款后可逐步提高；差额部分可先行支付。",
    ),
)

REASONS: dict[str, Reason] = {reason.code: reason for reason in _CATALOGUE}
"""The policy's reason catalogue by code."""


def reason(code: str) -> Reason:
    """The catalogued reason for a code.

    Raises:
        KeyError: the code is not in the catalogue.
    """
    return REASONS[code]
