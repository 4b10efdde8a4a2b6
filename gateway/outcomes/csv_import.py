"""``gateway outcomes import CSV``: a file of loan events, recorded all or nothing.

Columns: ``event_id, application_id, type, occurred_at`` (RFC 3339 with a
zone), and, as the type needs them, ``instalment``, ``amount``,
``days_past_due``. Any bad row rejects the whole file with its position as
``line N.column`` (line 1 is the header).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from gateway.outcomes.events import LoanEventIn
from gateway.outcomes.services import InvalidEvents

COLUMNS = (
    "event_id",
    "application_id",
    "type",
    "occurred_at",
    "instalment",
    "amount",
    "days_past_due",
)
REQUIRED_COLUMNS = COLUMNS[:4]
_FIELD_TO_COLUMN = {"id": "event_id"}


class BadRow(ValueError):
    """A row that cannot be read: ``line N.column: reason``."""

    def __init__(self, line: int, column: str, reason: str) -> None:
        super().__init__(f"line {line}.{column}: {reason}")


def _timestamp(text: str, line: int, column: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadRow(line, column, f"not an RFC 3339 time: {text[:40]!r}") from None
    if value.tzinfo is None:
        raise BadRow(line, column, "needs a time zone")
    return value.astimezone(dt.UTC)


def _integer(text: str, line: int, column: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise BadRow(line, column, f"not a whole number: {text[:20]!r}") from None


def _money(text: str, line: int, column: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadRow(line, column, f"not an amount: {text[:20]!r}") from None
    if not value.is_finite():
        raise BadRow(line, column, "not an amount")
    return value


def read_events(path: Path) -> list[LoanEventIn]:
    """Parse every row (no database); the first unreadable one raises.

    Raises:
        BadRow: a missing column or a value of the wrong shape.
        OSError: the file cannot be read.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(_rows(csv.DictReader(handle)))


def _rows(reader: csv.DictReader[str]) -> Iterator[LoanEventIn]:
    header = reader.fieldnames or []
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise BadRow(1, column, "missing column")
    for row in reader:
        line = reader.line_num

        def text(column: str, row: dict[str, str | None] = row) -> str:
            return (row.get(column) or "").strip()

        for column in REQUIRED_COLUMNS:
            if not text(column):
                raise BadRow(line, column, "empty")
        if len(text("event_id")) > 64 or len(text("application_id")) > 32:
            column = "event_id" if len(text("event_id")) > 64 else "application_id"
            raise BadRow(line, column, "too long")
        yield LoanEventIn(
            id=text("event_id"),
            application_id=text("application_id"),
            type=text("type"),
            occurred_at=_timestamp(text("occurred_at"), line, "occurred_at"),
            instalment=_integer(text("instalment"), line, "instalment"),
            amount=_money(text("amount"), line, "amount"),
            days_past_due=_integer(text("days_past_due"), line, "days_past_due"),
        )


def describe(error: InvalidEvents, first_line: int = 2) -> str:
    """The first of a batch's errors as ``line N.column: reason`` (rows from line 2)."""
    (index, name), reason = next(iter(error.errors.items()))
    return f"line {index + first_line}.{_FIELD_TO_COLUMN.get(name, name)}: {reason}"
