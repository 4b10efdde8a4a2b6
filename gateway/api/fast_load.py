"""Load a valid body through the schema's own fields, without marshmallow's per-load machinery.

``Schema.load`` spends most of its time around the fields rather than in them:
an error store, processor and validator hook lookups, partial and unknown
handling, for every nested schema. For a prequalification's body that was
118 µs of which the fields' own ``deserialize`` (conversion and validators)
was 32 µs. :func:`loader_for` compiles a schema once into a plain loop over
its fields: each field still deserializes and validates itself, and each
``@validates_schema`` method still runs, so the one schema stays the one
definition (and the OpenAPI document still comes from it).

The fast loop only ever answers for a body it accepts. On the first thing it
does not handle exactly as marshmallow would (an unknown key, a missing
required field, any validation error) it gives up and ``Schema.load`` runs, so
every error message, and any body marshmallow would convert differently, is
marshmallow's own. A schema using anything else (pre- or post-load
processors, field ``@validates`` hooks, ``data_key``, ``many``, partial
loading, unknown other than ``RAISE``) is not compiled at all. With
``GATEWAY_ENV=test`` every fast result is also compared with ``Schema.load``'s
(:func:`gateway.api.parsing.load_body`), so the whole suite, fuzzing included,
holds the two to the same output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import RAISE, Schema, fields, missing
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA

Loader = Callable[[Mapping[str, Any]], dict[str, Any]]


class GiveUp(Exception):
    """The fast loop does not decide this body: ``Schema.load`` does."""


def compile_schema(schema: Schema) -> Loader | None:
    """A loader doing exactly what ``schema.load`` does for the bodies it accepts, or ``None``."""
    hooks = schema._hooks  # the hooks the schema class declared
    if schema.many or schema.partial or schema.unknown != RAISE:
        return None
    if hooks[PRE_LOAD] or hooks[POST_LOAD] or hooks[VALIDATES]:
        return None
    validators = []
    for attr_name, hook_many, options in hooks[VALIDATES_SCHEMA]:
        if hook_many or options.get("pass_original"):
            return None
        validators.append(getattr(schema, attr_name))
    plan: list[tuple[str, fields.Field[Any], Loader | None]] = []
    for name, field in schema.load_fields.items():
        if field.data_key is not None and field.data_key != name:
            return None
        nested: Loader | None = None
        if isinstance(field, fields.Nested):
            inner = field.schema
            if field.many or field.validators or field.unknown is not None or inner.only:
                return None
            nested = compile_schema(inner)
            if nested is None:
                return None
        plan.append((name, field, nested))
    known = frozenset(name for name, _, _ in plan)

    def load(data: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(data, dict) or not known.issuperset(data):
            raise GiveUp
        result: dict[str, Any] = {}
        for name, field, nested in plan:
            value = data.get(name, missing)
            if value is missing:
                if field.required:
                    raise GiveUp
                default = field.load_default
                if default is not missing:
                    result[name] = default() if callable(default) else default
            elif nested is not None and value is not None:
                result[name] = nested(value)
            else:
                result[name] = field.deserialize(value, name, data)
        for validate in validators:
            validate(result, partial=None, many=False, unknown=RAISE)
        return result

    return load


_loaders: dict[int, tuple[Schema, Loader | None]] = {}


def loader_for(schema: Schema) -> Loader | None:
    """The schema's compiled loader (compiled on first use; ``None`` if it cannot be)."""
    entry = _loaders.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _loaders[id(schema)] = (schema, compile_schema(schema))
    return entry[1]


def fast_load(schema: Schema, data: Any) -> dict[str, Any] | None:
    """The loaded body, or ``None`` when ``schema.load`` must decide it."""
    loader = loader_for(schema)
    if loader is None:
        return None
    try:
        return loader(data)
    except Exception:  # any doubt: marshmallow decides, and says why
        return None
