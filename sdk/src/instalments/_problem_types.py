"""The gateway's error body: RFC 9457 problem details.

Re-exported by :mod:`instalments.types`; import them from there.
"""

from __future__ import annotations

from ._model import Model


class FieldError(Model):
    """One invalid field of a ``422 validation_failed``."""

    field: str
    message: str


class Problem(Model):
    """RFC 9457 problem details (OAuth error bodies are mapped onto it)."""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    code: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None
