"""The ``/docs`` page: the OpenAPI document as a readable, searchable reference.

Rendered on the server from ``/openapi.json`` (operations grouped by tag,
parameters, request and response examples, curl and Python SDK samples,
schemas), with one stylesheet and one small script served by the gateway
itself under a strict Content-Security-Policy: nothing comes from a CDN.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

#: ``/docs`` loads only its own stylesheet and script.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_CODE = re.compile(r"``(.+?)``|`([^`]+?)`")


def inline(text: str | None) -> str:
    """HTML of ``text``: escaped, with ``code`` spans (RST double or Markdown single backticks).

    The template marks the result ``safe``: everything in it was escaped here.
    """
    escaped = html.escape(text or "")
    return _CODE.sub(lambda m: f"<code>{m.group(1) or m.group(2)}</code>", escaped)


def paragraphs(text: str | None) -> str:
    """HTML of blank-line separated paragraphs, each rendered with :func:`inline`."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{inline(' '.join(p.split()))}</p>" for p in parts)


def path_breaks(path: str) -> str:
    """HTML of a URL path that may wrap after each ``/`` (and nowhere inside a segment)."""
    return html.escape(path).replace("/", "/<wbr>")


def pretty(value: Any) -> str:
    """An example as indented JSON (text examples as they are)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def schema_label(schema: Mapping[str, Any] | None) -> str:
    """A short name for a schema: its component name or its type."""
    if not schema:
        return ""
    ref = schema.get("$ref")
    if ref:
        return str(ref).rsplit("/", 1)[-1]
    for combined in ("allOf", "anyOf", "oneOf"):
        for option in schema.get(combined) or []:
            if option.get("$ref"):
                return schema_label(option)
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array":
        return f"array of {schema_label(schema.get('items'))}"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def operations_by_tag(spec: Mapping[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Operations grouped by their first tag, in path order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            tag = (op.get("tags") or ["other"])[0]
            samples = {s["label"]: s["source"] for s in op.get("x-codeSamples", [])}
            request = op.get("requestBody", {}).get("content", {}).get("application/json")
            responses = []
            for status, response in op.get("responses", {}).items():
                content: dict[str, Any] = response.get("content") or {}
                media: str | None = next(iter(content), None)
                body: dict[str, Any] = content[media] if media is not None else {}
                responses.append(
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "media": media,
                        "schema": schema_label(body.get("schema")),
                        "example": body.get("example") if status.startswith("2") else None,
                    }
                )
            groups.setdefault(tag, []).append(
                {
                    **op,
                    "path": path,
                    "method": method.upper(),
                    "samples": samples,
                    "request": request,
                    "response_list": responses,
                }
            )
    return sorted(groups.items(), key=lambda kv: kv[0].lower())
