"""Marshmallow fields shared by the schemas: RFC 3339 timestamps, customer phones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import ValidationError, fields, validate

from gateway.clock import rfc3339
from gateway.errors import ValidationFailed
from gateway.identity import normalise_phone


class Timestamp(fields.DateTime):
    """A time written RFC 3339 UTC with milliseconds and ``Z`` (``2026-11-21T06:00:00.000Z``).

    The same text as webhook payloads and every other JSON the gateway writes
    (:func:`gateway.clock.rfc3339`); read like marshmallow's ``DateTime``.
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            return str(super()._serialize(value, attr, obj, **kwargs))
        return rfc3339(value)


def _phone_format(value: str) -> None:
    try:
        normalise_phone(value)
    except ValidationFailed as exc:
        raise ValidationError(next(iter(exc.errors.values()))) from None


def Phone(*, required: bool = True, **kwargs: Any) -> fields.String:  # noqa: N802 - like a class
    """A customer's phone, checked in the schema with every other field (one 422 names all).

    The same rule as :func:`gateway.identity.normalise_phone`: E.164, or a bare
    PRC mobile number that gains ``+86``; spaces and dashes are ignored.
    """
    kwargs.setdefault(
        "metadata",
        {"description": "E.164 (+8613800000001) or a PRC mobile number; never stored raw."},
    )
    return fields.String(
        required=required,
        validate=[validate.Length(min=5, max=32), _phone_format],
        **kwargs,
    )
