"""Stripe-style cursor pagination for list endpoints, newest first.

A list endpoint takes ``limit`` (1-100, default 20) and at most one of
``starting_after`` / ``ending_before`` (an object id from a previous page),
plus ``created[gte]`` / ``created[lt]``; it answers::

    {"object": "list", "url": "/v1/applications", "has_more": true, "data": [...]}

Objects are ordered by ``(created_at, id)`` descending, a total order, so a
walk in either direction never skips or repeats an object even when many
share a timestamp. ``starting_after`` pages towards older objects,
``ending_before`` towards newer ones (the page is still newest first).

A page costs a constant number of statements whatever its size: one to find
the cursor (only when one is given) and one for ``limit + 1`` rows; callers
load related rows for the whole page with one ``IN`` query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from gateway.errors import ValidationFailed

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class ListQuerySchema(Schema):
    """The query string every list endpoint takes."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": "How many objects, 1 to 100 (default 20)."},
    )
    starting_after = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "An id from the previous page: the page of older objects."},
    )
    ending_before = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "An id from the previous page: the page of newer objects."},
    )
    created_gte = fields.AwareDateTime(
        data_key="created[gte]",
        load_default=None,
        metadata={"description": "Only objects created at or after this RFC 3339 time."},
    )
    created_lt = fields.AwareDateTime(
        data_key="created[lt]",
        load_default=None,
        metadata={"description": "Only objects created before this RFC 3339 time."},
    )

    @validates_schema
    def _one_cursor(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("starting_after") and data.get("ending_before"):
            raise ValidationError("give starting_after or ending_before, not both", "ending_before")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of objects, newest first."""

    items: list[T]
    has_more: bool

    def wire(self, url: str, present: Callable[[T], Any]) -> dict[str, Any]:
        """The list object the API returns."""
        return {
            "object": "list",
            "url": url,
            "has_more": self.has_more,
            "data": [present(item) for item in self.items],
        }


class CursorNotFound(ValidationFailed):
    """The cursor names no object of this list (or another partner's)."""

    code = "invalid_cursor"


def paginate(
    session: Session,
    statement: Select[T],
    *,
    created: InstrumentedAttribute[dt.datetime],
    key: InstrumentedAttribute[Any],
    query: dict[str, Any],
) -> Page[T]:
    """Run ``statement`` (already filtered to the tenant) one page at a time.

    Args:
        session: the request's session.
        statement: ``select(Model).where(<tenant and filters>)``.
        created: the model's creation time column.
        key: the model's id column (the tie-breaker).
        query: the loaded :class:`ListQuerySchema` (or a subclass).

    Returns:
        The page and whether more objects lie beyond it.

    Raises:
        CursorNotFound: the cursor is not an object of this filtered list.
    """
    limit: int = query.get("limit") or DEFAULT_LIMIT
    if query.get("created_gte") is not None:
        statement = statement.where(created >= query["created_gte"])
    if query.get("created_lt") is not None:
        statement = statement.where(created < query["created_lt"])
    after, before = query.get("starting_after"), query.get("ending_before")
    cursor_id = after or before
    backwards = before is not None and after is None
    if cursor_id is not None:
        found = session.execute(
            statement.with_only_columns(created, key).where(key == cursor_id)
        ).first()
        if found is None:
            field = "ending_before" if backwards else "starting_after"
            raise CursorNotFound({field: "no object with this id in this list"})
        when, ident = found
        if backwards:
            statement = statement.where(_after(created, key, when, ident))
        else:
            statement = statement.where(_before(created, key, when, ident))
    if backwards:
        statement = statement.order_by(created.asc(), key.asc())
    else:
        statement = statement.order_by(created.desc(), key.desc())
    rows = list(session.scalars(statement.limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    return Page(items=rows, has_more=has_more)


def _before(created: Any, key: Any, when: dt.datetime, ident: Any) -> ColumnElement[bool]:
    return or_(created < when, and_(created == when, key < ident))


def _after(created: Any, key: Any, when: dt.datetime, ident: Any) -> ColumnElement[bool]:
    return or_(created > when, and_(created == when, key > ident))


def list_schema(item: type[Schema] | Schema, name: str) -> Schema:
    """The response schema of a list of ``item`` (named ``name`` in OpenAPI)."""
    nested = item if isinstance(item, Schema) else item()
    fields_: dict[str, fields.Field[Any]] = {
        "object": fields.Constant("list", metadata={"description": 'Always "list".'}),
        "url": fields.String(metadata={"description": "This list's path."}),
        "has_more": fields.Boolean(
            metadata={"description": "Whether more objects lie beyond this page."}
        ),
        "data": fields.List(fields.Nested(nested), metadata={"description": "Newest first."}),
    }
    schema_cls = Schema.from_dict(fields_, name=name)
    return schema_cls()
