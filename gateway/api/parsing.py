"""Reading a request: JSON bodies, schema loading, text the database cannot store."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import current_app, request
from marshmallow import Schema

from gateway.api.fast_load import fast_load
from gateway.api.problems import ProblemError
from gateway.errors import ValidationFailed

JSON_TYPES = ("application/json",)
# No request of ours nests deeper than a handful of levels; a body that does
# is an attack on the parser or on whatever walks the result recursively.
MAX_JSON_DEPTH = 32


def is_json_mimetype(mimetype: str) -> bool:
    """``application/json`` or any ``application/*+json``."""
    return mimetype in JSON_TYPES or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def read_json_body() -> Any:
    """Parse the request body as JSON; 400 ``malformed_json`` if it is not.

    Bodies nested deeper than :data:`MAX_JSON_DEPTH` are refused the same way
    (the parser's own ``RecursionError`` included): never a 500.
    """
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProblemError(
            400,
            "malformed_json",
            f"the body is not valid JSON (at character {getattr(exc, 'pos', 0)})",
        ) from None
    except RecursionError:
        data = None
        too_deep = True
    else:
        too_deep = json_depth(data) > MAX_JSON_DEPTH
    if too_deep:
        raise ProblemError(
            400, "malformed_json", f"the body nests deeper than {MAX_JSON_DEPTH} levels"
        )
    return data


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (iteratively: no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


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
    loaded = fast_load(schema, data)
    if loaded is None:
        return schema.load(data)
    if current_app.extensions["gateway.settings"].env == "test":
        check_fast_load(schema, data, loaded)
    return loaded


class FastLoadDiffers(AssertionError):
    """The compiled loader's result is not what ``Schema.load`` gives (tests only)."""


def check_fast_load(schema: Schema, data: Any, loaded: Any) -> None:
    expected = schema.load(data)
    if loaded != expected:
        raise FastLoadDiffers(f"{type(schema).__name__}: {loaded!r} != {expected!r}")


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
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return raw
