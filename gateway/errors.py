"""Domain errors: what services raise. They know nothing of HTTP.

Each error names a machine ``code`` (the problem's ``code`` field) and a
``kind``; the API layer maps kinds to statuses (:mod:`gateway.api.problems`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

ErrorKind = Literal[
    "invalid",  # the input is well-formed but not acceptable
    "unauthenticated",
    "forbidden",
    "not_found",
    "conflict",
    "gone",
    "rate_limited",
    "unavailable",
]


class DomainError(Exception):
    """Base of every error a service may raise on purpose."""

    code: ClassVar[str] = "error"
    kind: ClassVar[ErrorKind] = "invalid"
    title: ClassVar[str] = "The request could not be completed"
    retry_after: ClassVar[int | None] = None  # seconds, when retrying later may succeed

    def __init__(
        self,
        detail: str | None = None,
        *,
        field: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.field = field
        self.extra = dict(extra or {})


class ValidationFailed(DomainError):
    """Input that parsed but breaks a rule; ``field`` names the culprit."""

    code = "validation_failed"
    kind = "invalid"
    title = "The request has invalid fields"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        fields = ", ".join(sorted(self.errors))
        first = next(iter(sorted(self.errors)))
        super().__init__(f"invalid field(s): {fields}", field=first)


class NotFound(DomainError):
    """The resource does not exist, or the caller may not know it does."""

    code = "not_found"
    kind = "not_found"
    title = "Not found"


class Conflict(DomainError):
    """The resource's state forbids the operation."""

    code = "conflict"
    kind = "conflict"
    title = "Conflict"


class Unavailable(DomainError):
    """A dependency (usually the database) cannot be reached right now."""

    code = "service_unavailable"
    kind = "unavailable"
    title = "Service temporarily unavailable"
