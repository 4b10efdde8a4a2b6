"""Reason codes for the model's adverse factors: stable codes, texts a customer can act on.

A scorecard feature maps to one code (the artefact stores it per feature, so a
retrained model keeps its codes). Texts say what would help, never the score
or the bank's data, in simplified Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReasonText:
    """One reason code's customer-facing texts."""

    code: str
    en: str
    zh_cn: str

    def text(self, locale: str) -> str:
        """The text for ``locale`` (``zh-CN``/``zh``; anything else is English)."""
        return self.zh_cn if locale.lower().startswith("zh") else self.en


REASONS: dict[str, ReasonText] = {
    r.code: r
    for r in (
        ReasonText(
            "high_utilisation",
            "Your existing credit lines are heavily used. Paying down balances can help.",
            "您现有信用额度的使用率较高，降低欠款余额会有帮助。",
        ),
        ReasonText(
            "recent_inquiries",
            "You applied for credit several times recently. Fewer new applications can help.",
            "您近期申请信贷的次数较多，减少新的申请会有帮助。",
        ),
        ReasonText(
            "short_credit_history",
            "Your credit history is short. A longer record of on-time repayment helps.",
            "您的信用记录时间较短，持续按时还款会逐步改善。",
        ),
        ReasonText(
            "recent_delinquency",
            "A repayment was missed in the last 12 months. Keeping all accounts current helps.",
            "过去12个月内有逾期还款记录，保持所有账户按时还款会有帮助。",
        ),
        ReasonText(
            "late_repayments",
            "Some past repayments were late. Repaying on time, every time, helps.",
            "您过往有部分还款未按时完成，坚持按时还款会有帮助。",
        ),
        ReasonText(
            "low_income",
            "Your verified income is low for this amount. Verifying further income "
            "or choosing a smaller amount can help.",
            "相对于申请金额，您已核实的收入偏低。补充收入证明或降低金额会有帮助。",
        ),
        ReasonText(
            "high_existing_debt",
            "Your existing monthly repayments are high. Reducing other debts can help.",
            "您现有的每月还款负担较重，减少其他负债会有帮助。",
        ),
        ReasonText(
            "limited_bank_history",
            "You have been with the bank a short time. A longer relationship helps.",
            "您与本行建立业务关系的时间较短，长期往来会有帮助。",
        ),
        ReasonText(
            "low_balance",
            "Your average account balance is low. Keeping a steadier balance can help.",
            "您的账户日均余额较低，保持稳定的余额会有帮助。",
        ),
        ReasonText(
            "limited_repayment_history",
            "You have repaid few loans with us so far. Each loan repaid on time helps.",
            "您在本行的借款还款记录较少，每笔按时还清的借款都会有帮助。",
        ),
        ReasonText(
            "short_employment",
            "Your time in current employment is short. A longer record helps.",
            "您当前工作的年限较短，更长的在职记录会有帮助。",
        ),
        ReasonText(
            "unverified_employment",
            "Your type of employment is harder to verify. Proof of stable income can help.",
            "您的就业类型较难核实，提供稳定收入证明会有帮助。",
        ),
        ReasonText(
            "low_app_activity",
            "We know little about how you bank with us. Using your account regularly helps.",
            "我们对您的账户使用情况了解较少，经常使用账户会有帮助。",
        ),
        ReasonText(
            "other_risk_factors",
            "Other information in your credit profile. You may ask for a human review.",
            "您信用档案中的其他信息。您可以申请人工复核。",
        ),
    )
}

FEATURE_REASONS: dict[str, str] = {
    "utilisation": "high_utilisation",
    "inquiries_6m": "recent_inquiries",
    "oldest_account_months": "short_credit_history",
    "delinquencies_12m": "recent_delinquency",
    "on_time_ratio": "late_repayments",
    "verified_monthly_income": "low_income",
    "monthly_debt_service": "high_existing_debt",
    "months_with_bank": "limited_bank_history",
    "avg_balance": "low_balance",
    "past_loans": "limited_repayment_history",
    "employment_years": "short_employment",
    "employment_type": "unverified_employment",
    "app_logins_30d": "low_app_activity",
}


def reason_for_feature(feature: str) -> str:
    """The reason code a feature's shortfall is reported under."""
    return FEATURE_REASONS.get(feature, "other_risk_factors")


def reason_text(code: str, locale: str = "en") -> str:
    """The customer-facing text of a code in ``locale``; unknown codes get the generic text."""
    return REASONS.get(code, REASONS["other_risk_factors"]).text(locale)
