"""Sandbox test customers: a phone number forces each outcome (sandbox credentials only).

Use them in tests of your checkout::

    from instalments import sandbox

    client.prequalifications.create(customer={"phone": sandbox.DECLINED}, ...)

Any other phone is scored by the real model on a synthetic profile.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "APPROVED",
    "APPROVED_LOWER_LIMIT",
    "DECLINED",
    "DECLINED_AFTER_ACCEPTANCE",
    "EXPOSURE_LIMITED",
    "FAILS_AFTER_COMMIT",
    "PERSONAS",
    "REFERRED",
    "VELOCITY_REFERRED",
]

#: Approved for the full amount, every tenor.
APPROVED: Final = "+8613800000001"
#: Declined, with reason codes.
DECLINED: Final = "+8613800000002"
#: Referred to manual review (no offers yet).
REFERRED: Final = "+8613800000003"
#: Approved for a lower limit than asked (``partially_approved``).
APPROVED_LOWER_LIMIT: Final = "+8613800000004"
#: The application is declined at final underwriting, after acceptance.
DECLINED_AFTER_ACCEPTANCE: Final = "+8613800000005"
#: The gateway commits, then answers 500 once: proves the SDK's retry replays
#: the committed result (same ``Idempotency-Key``) instead of applying twice.
FAILS_AFTER_COMMIT: Final = "+8613800000006"
#: Approved only up to ¥2,000 of exposure headroom across partners
#: (``partially_approved`` with reason ``exposure_limit`` above it).
EXPOSURE_LIMITED: Final = "+8613800000007"
#: Referred by the velocity rule (reason ``risk_velocity``).
VELOCITY_REFERRED: Final = "+8613800000008"

#: Every persona, phone → what it forces.
PERSONAS: Final[dict[str, str]] = {
    APPROVED: "approved for the full amount, every tenor",
    DECLINED: "declined, with reason codes",
    REFERRED: "referred to manual review",
    APPROVED_LOWER_LIMIT: "approved for a lower limit than asked",
    DECLINED_AFTER_ACCEPTANCE: "application declined at final underwriting after acceptance",
    FAILS_AFTER_COMMIT: "the gateway commits, then answers 500 once",
    EXPOSURE_LIMITED: "approved only up to the exposure headroom (exposure_limit)",
    VELOCITY_REFERRED: "referred by the velocity rule",
}
