"""The one role table: which role holds which permission.

Each console view and each CLI action names the permission it needs right
where it is declared (``@requires("partners.write")``); this table is the only
place that says who holds it. ``admin`` holds every permission: an admin can
create a user of any role anyway, so withholding one would only add steps.
Four-eyes still applies to admins: nobody approves their own request.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["viewer", "operator", "risk_officer", "compliance", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "operator", "risk_officer", "compliance", "admin")

PERMISSIONS: dict[str, str] = {
    "console.read": "read every page (customer references masked)",
    "identifiers.read": "see customer references; search decisions by phone",
    "partners.write": "suspend and resume partners",
    "webhooks.replay": "replay webhook events",
    "approvals.go-live": "request and approve going live",
    "approvals.live-credentials": "request and approve issuing or rotating live credentials",
    "approvals.model-activation": "request and approve activating a model",
    "approvals.review-overturn": "request and approve large review overturns",
    "reviews.decide": "claim and decide human-review cases",
    "audit.read": "read and verify the audit log",
    "users.manage": "add and disable console users",
}

_READ = frozenset({"console.read"})
ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    "viewer": _READ,
    "operator": _READ
    | {
        "identifiers.read",
        "partners.write",
        "webhooks.replay",
        "approvals.go-live",
        "approvals.live-credentials",
    },
    "risk_officer": _READ
    | {
        "identifiers.read",
        "reviews.decide",
        "approvals.model-activation",
        "approvals.review-overturn",
    },
    "compliance": _READ | {"identifiers.read", "audit.read", "approvals.go-live"},
    "admin": frozenset(PERMISSIONS),
}

# Roles that can change live state sign in with a TOTP code as well.
TOTP_ROLES: frozenset[Role] = frozenset({"operator", "risk_officer", "compliance", "admin"})


def has_permission(role: str, permission: str) -> bool:
    """Whether ``role`` holds ``permission`` (an unknown role holds nothing)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return permission in ROLE_PERMISSIONS.get(role, frozenset())  # type: ignore[call-overload]


def needs_totp(role: str) -> bool:
    """Whether users of ``role`` must give a TOTP code to sign in."""
    return role in TOTP_ROLES
