"""Schemathesis against ``/openapi.json``: every operation, in-process, authenticated.

Each operation gets at most :data:`EXAMPLES` generated requests, valid and
invalid ones, derandomised so CI sees the same cases on every run, on both
backends, with a real bearer token. Every answer must be something other than
a 5xx, carry a documented status code and content type, and match the
documented schema for that status. Failures are collected over all operations
and reported together.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_every_operation_answers_without_5xx_and_as_documented(
    app: Flask, partner_api: Any
) -> None:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    headers = partner_api("demo-mall", "sandbox").headers()
    failures: dict[str, str] = {}
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tested += 1
        try:
            _fuzz(operation, headers)
        except Exception as exc:  # collect every operation's failure, then report
            failures[operation.label] = f"{type(exc).__name__}: {exc}"
    assert tested >= 14
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())
