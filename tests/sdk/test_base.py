"""The sans-I/O core: retry decisions, delays, requests and errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import httpx
import instalments
import pytest
from instalments import _base, _retries
from instalments._base import (
    backoff_delay,
    build_request,
    encode_json,
    jitter,
    parse_retry_after,
    path_segment,
    read_problem,
    resolve_options,
    retry_delay,
    should_retry,
    status_error,
)

NOW = datetime(2026, 11, 21, 6, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("60", 60.0),
        ("Sat, 21 Nov 2026 06:00:10 GMT", 10.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("Sat, 99 Nov 2026 06:00:10 GMT", None),
    ],
)
def test_retry_after_is_parsed_as_seconds_or_http_date(
    header: str | None, expected: float | None
) -> None:
    assert parse_retry_after(header, NOW) == expected


@pytest.mark.parametrize(
    ("header", "honoured"),
    [
        ("0", 0.0),
        ("2", 2.0),
        ("60", 60.0),
        ("Sat, 21 Nov 2026 06:00:30 GMT", 30.0),
        ("61", None),  # longer than the cap: back off instead
        ("3600", None),
        ("-5", None),
        ("Sat, 21 Nov 2026 05:59:00 GMT", None),  # in the past
        ("garbage", None),
        (None, None),
    ],
)
def test_retry_after_is_honoured_up_to_60_seconds(
    header: str | None, honoured: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_retries, "jitter", lambda delay: delay)
    expected = honoured if honoured is not None else 1.0  # backoff after one retry
    assert retry_delay(1, header, NOW) == expected


@pytest.mark.parametrize(
    ("retries_done", "expected"), [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]
)
def test_backoff_doubles_from_half_a_second_to_eight(retries_done: int, expected: float) -> None:
    assert backoff_delay(retries_done) == expected


def test_jitter_stays_between_three_quarters_and_the_full_delay() -> None:
    delays = [jitter(8.0) for _ in range(2000)]
    assert all(6.0 <= d <= 8.0 for d in delays)
    assert max(delays) - min(delays) > 1.0  # it does spread


def test_retry_delays_stay_within_backoff_bounds_without_retry_after() -> None:
    for retries_done in range(8):
        delay = retry_delay(retries_done, None, NOW)
        ceiling = min(0.5 * 2**retries_done, 8.0)
        assert 0.75 * ceiling <= delay <= ceiling


@pytest.mark.parametrize(
    ("status", "code", "retry"),
    [
        (408, None, True),
        (429, "rate_limited", True),
        (500, "internal_error", True),
        (502, None, True),
        (503, "service_unavailable", True),
        (409, "idempotency_in_flight", True),
        (409, "idempotency_conflict", False),
        (400, None, False),
        (401, "unauthorized", False),
        (404, "not_found", False),
        (422, "validation_failed", False),
    ],
)
def test_only_transient_statuses_are_retried(status: int, code: str | None, retry: bool) -> None:
    assert should_retry(status, code) is retry


@pytest.mark.parametrize(
    ("status", "code", "advice", "retry"),
    [
        (409, "idempotency_in_flight", "true", True),
        (409, "application_state_conflict", "false", False),
        (409, "some_new_code", "true", True),  # the gateway knows better than the SDK's table
        (503, "service_unavailable", "false", False),
        (500, None, " TRUE ", True),
        (400, None, "true", True),
        (503, None, "maybe", True),  # unreadable advice: the SDK's own rules
        (400, None, "", False),
    ],
)
def test_the_gateways_x_should_retry_decides_before_the_sdks_rules(
    status: int, code: str | None, advice: str, retry: bool
) -> None:
    assert should_retry(status, code, advice) is retry


def _response(status: int, **kwargs: object) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", "https://gw.test/x"), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, "malformed_json", instalments.BadRequestError),
        (401, "unauthorized", instalments.AuthenticationError),
        (403, "forbidden", instalments.PermissionDeniedError),
        (403, "consent_required", instalments.ConsentRequiredError),
        (404, "not_found", instalments.NotFoundError),
        (409, "conflict", instalments.ConflictError),
        (409, "idempotency_conflict", instalments.IdempotencyConflictError),
        (409, "idempotency_in_flight", instalments.IdempotencyInFlightError),
        (409, "consent_not_active", instalments.ConsentNotActiveError),
        (409, "offer_void", instalments.OfferVoidError),
        (409, "offer_already_accepted", instalments.OfferAlreadyAcceptedError),
        (409, "exposure_limit", instalments.ExposureLimitError),
        (400, "offer_token_mismatch", instalments.OfferTokenMismatchError),
        (400, "decision_token_mismatch", instalments.DecisionTokenMismatchError),
        (410, "offer_expired", instalments.OfferExpiredError),
        (422, "offer_expired", instalments.OfferExpiredError),  # the code wins
        (410, "gone", instalments.GoneError),
        (422, "validation_failed", instalments.UnprocessableEntityError),
        (429, "rate_limited", instalments.RateLimitError),
        (500, "internal_error", instalments.InternalServerError),
        (503, "service_unavailable", instalments.ServiceUnavailableError),
        (504, None, instalments.InternalServerError),
        (418, None, instalments.APIStatusError),
    ],
)
def test_each_status_and_problem_code_has_its_exception(
    status: int, code: str | None, expected: type[instalments.APIStatusError]
) -> None:
    body = {"title": "t", "status": status, "detail": "what happened", "request_id": "req-b"}
    if code:
        body["code"] = code
    error = status_error(_response(status, json=body, headers={"X-Request-Id": "req-h"}))
    assert type(error) is expected
    assert error.status_code == status
    assert error.request_id == "req-h"
    assert error.code == code
    assert error.problem.detail == "what happened"
    assert str(error) == f"{status}{' ' + code if code else ''}: what happened"


def test_request_id_falls_back_to_the_problem_body() -> None:
    error = status_error(_response(404, json={"code": "not_found", "request_id": "req-b"}))
    assert error.request_id == "req-b"


def test_validation_error_lists_the_fields() -> None:
    body = {"code": "validation_failed", "errors": [{"field": "customer.phone", "message": "bad"}]}
    error = status_error(_response(422, json=body))
    assert isinstance(error, instalments.UnprocessableEntityError)
    assert [e.field for e in error.errors] == ["customer.phone"]
    assert status_error(_response(422, json={"code": "validation_failed"})).errors == []


def test_oauth_error_bodies_become_problems() -> None:
    body = {"error": "invalid_client", "error_description": "unknown client"}
    error = status_error(_response(401, json=body))
    assert isinstance(error, instalments.AuthenticationError)
    assert (error.code, error.problem.detail, error.problem.title) == (
        "invalid_client",
        "unknown client",
        "Unauthorized",
    )


def test_non_json_and_odd_bodies_still_give_a_problem() -> None:
    html = read_problem(_response(502, text="<h1>Bad gateway</h1>"))
    assert (html.status, html.title, html.detail) == (502, "Bad Gateway", "<h1>Bad gateway</h1>")
    empty = read_problem(_response(599))
    assert (empty.title, empty.detail) == ("Error", None)
    listed = read_problem(_response(500, json=["not", "an", "object"]))
    assert listed.status == 500
    mistyped = read_problem(_response(500, json={"errors": "not a list"}))
    assert (mistyped.status, mistyped.errors) == (500, None)
    assert str(status_error(_response(500, json={}))) == "500: error"


def test_json_bodies_keep_decimals_as_strings_and_times_aware() -> None:
    body = {
        "amount": Decimal("3999.00"),
        "at": datetime(2026, 11, 21, 6, 0, tzinfo=timezone(timedelta(hours=8))),
        "day": date(2026, 12, 21),
        "name": "购物",
    }
    assert (
        encode_json(body)
        == (
            '{"amount": "3999.00", "at": "2026-11-21T06:00:00+08:00", "day": "2026-12-21", '
            '"name": "购物"}'
        ).encode()
    )


def test_naive_datetimes_and_unknown_types_are_refused() -> None:
    with pytest.raises(instalments.InstalmentsError, match="timezone-aware"):
        encode_json({"at": datetime(2026, 11, 21)})  # noqa: DTZ001 - the point of the test
    with pytest.raises(TypeError, match="set"):
        encode_json({"x": {1}})


def test_ids_cannot_change_the_path() -> None:
    assert path_segment("off_123") == "off_123"
    assert path_segment("../admin?x=1#y") == "..%2Fadmin%3Fx%3D1%23y"
    for bad in ("", ".", ".."):
        with pytest.raises(instalments.InstalmentsError):
            path_segment(bad)


def test_posts_get_a_generated_key_and_gets_none() -> None:
    common = {"default_timeout": httpx.Timeout(5.0), "default_max_retries": 2}
    post = resolve_options(
        "POST", timeout=_base.NOT_GIVEN, max_retries=_base.NOT_GIVEN, idempotency_key=None, **common
    )
    get = resolve_options(
        "GET",
        timeout=3.0,
        max_retries=0,
        idempotency_key=None,
        **common,  # type: ignore[arg-type]
    )
    assert post.idempotency_key is not None and len(post.idempotency_key) == 36
    assert (post.timeout, post.max_retries) == (httpx.Timeout(5.0), 2)
    assert (get.idempotency_key, get.timeout, get.max_retries) == (None, httpx.Timeout(3.0), 0)
    with pytest.raises(instalments.InstalmentsError, match="max_retries"):
        resolve_options("GET", timeout=None, max_retries=-1, idempotency_key=None, **common)  # type: ignore[arg-type]
    assert repr(_base.NOT_GIVEN) == "NOT_GIVEN"


def test_built_request_carries_key_timeout_and_json() -> None:
    options = _base.RequestOptions(httpx.Timeout(1.0, connect=2.0), 2, "key-1")
    request = build_request(
        "POST", "https://gw.test/v1/x", options=options, body={"a": 1}, headers={"X-A": "b"}
    )
    assert request.headers["Idempotency-Key"] == "key-1"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-A"] == "b"
    assert request.headers["User-Agent"] == f"instalments-python/{instalments.__version__}"
    assert request.extensions["timeout"] == {"connect": 2.0, "read": 1.0, "write": 1.0, "pool": 1.0}
    assert request.content == b'{"a": 1}'
    bare = build_request(
        "GET", "https://gw.test/v1/x", options=_base.RequestOptions(options.timeout, 0, None)
    )
    assert "Idempotency-Key" not in bare.headers and "Content-Type" not in bare.headers
