"""Who may capture consent for a partner: its own pages, our widget, or both.

A partner whose config says ``consent_capture: widget`` has agreed that the
customer consents on the bank's own widget, where the bank renders the notice
and records the evidence itself. Such a partner asserting consents over the
API, with evidence it produced, would be relying on proof the bank never
accepted: refused with ``403 consent_capture_widget_only``. The widget path
(:mod:`gateway.widget.services`) records consents for every partner.
"""

from __future__ import annotations

from gateway.errors import DomainError
from gateway.partners.config import PartnerConfig


class ConsentCaptureWidgetOnly(DomainError):
    """The partner captures consent through the bank's widget only."""

    code = "consent_capture_widget_only"
    kind = "forbidden"
    title = "Consent is captured through the widget for this partner"


def may_record_over_api(config: PartnerConfig) -> bool:
    """Whether the partner may record consents with ``POST /v1/consents``."""
    return config.consent_capture in ("partner", "both")


def require_api_capture(config: PartnerConfig) -> None:
    """Refuse API consent recording for a widget-only partner.

    Raises:
        ConsentCaptureWidgetOnly: the config says ``consent_capture: widget``.
    """
    if not may_record_over_api(config):
        raise ConsentCaptureWidgetOnly(
            f"{config.id} captures consent through the checkout widget "
            "(consent_capture: widget); create a checkout session instead"
        )
