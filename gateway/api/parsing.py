"""Reading a request: JSON bodies, schema loading, text the database cannot store."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import request
from marshmallow import Schema

from gateway.api.problems import ProblemError
from gateway.errors import ValidationFailed

JSON_TYPES = ("application/json",)


def is_json_mimetype(mimetype: str) -> bool:
    """``application/json`` or any ``application/*+json``."""
    return mimetype in JSON_TYPES or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def read_json_body() -> Any:
    """Parse the request body as JSON; 400 ``malformed_json`` if it is not."""
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProblemError(
            400,
            "malformed_json",
            f"the body is not valid JSON (at character {getattr(exc, 'pos', 0)})",
        ) from None


def load_body(schema: Schema) -> Any:
    """Parse and validate the JSON body; the body must be an object."""
    data = read_json_body()
    if not isinstance(data, dict):
        raise ProblemError(
            422,
            "validation_failed",
            "invalid field(s): body",
            extra={"errors": [{"field": "body", "message": "must be a JSON object"}]},
        )
    return schema.load(data)


def unstorable(text: str) -> bool:
    # PostgreSQL text cannot hold NUL, and lone surrogates are not UTF-8: both
    # would fail in the database driver as a 500 instead of a clean 422.
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def unstorable_fields(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if unstorable(value) else []
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found += [name] if unstorable(str(key)) else unstorable_fields(item, name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += unstorable_fields(item, f"{path}.{index}" if path else str(index))
    return found


def refuse_unstorable_text(query: Any, body: Any) -> None:
    """Refuse strings holding NUL or lone surrogates, naming the fields.

    Args:
        query: the loaded query string (or ``None``).
        body: the loaded JSON body (or ``None``).

    Raises:
        ValidationFailed: some field holds such a string.
    """
    named = unstorable_fields(query, "") + unstorable_fields(body, "")
    if named:
        raise ValidationFailed(
            {name or "body": "must be text without NUL characters" for name in named}
        )


def canonical_body(raw: bytes) -> bytes:
    """Bodies that differ only in whitespace or key order are the same request."""
    if not raw:
        return b""
    try:
        return json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (UnicodeDecodeError, json.JSONDecodeError):
        return raw
