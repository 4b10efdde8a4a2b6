"""Money in requests: a JSON string with at most two decimal places, nothing looser.

DESIGN §4: money is a decimal string with two places. A JSON number (``3999.0``
— binary floating point on many partners' stacks), an exponent
(``"3.999E+3"``), surrounding spaces (``" 3999.00"``), a sign, leading zeros
or more than two decimals are each a ``422`` naming the field: the amount a
customer is quoted must be the amount the partner meant, byte for byte.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields

MONEY_PATTERN = r"^(0|[1-9][0-9]{0,15})(\.[0-9]{1,2})?$"
_MONEY = re.compile(MONEY_PATTERN)
MESSAGE = 'must be a decimal string with at most two decimal places, e.g. "3999.00"'


def parse_money(value: Any) -> Decimal:
    """The amount a request field holds, if it is written as money must be.

    Raises:
        ValidationError: not a string of digits with at most two decimals.
    """
    if not isinstance(value, str) or not _MONEY.fullmatch(value):
        raise ValidationError(MESSAGE)
    return Decimal(value)


class MoneyString(fields.Decimal):
    """A marshmallow field for request money (dumps as a string too)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = dict(kwargs.pop("metadata", None) or {})
        metadata.setdefault("pattern", MONEY_PATTERN)
        super().__init__(as_string=True, allow_nan=False, metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        return parse_money(value)
