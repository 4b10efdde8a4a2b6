"""Every resource method: its HTTP call, its body, its typed result — sync and async alike."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx
from instalments import AsyncClient, Client, types

from . import samples
from .aio import run_async

CUSTOMER: types.CustomerParam = {"phone": "+8613800000001"}
SCENARIO: types.ScenarioParam = {
    "type": "ecommerce",
    "amount": Decimal("3999.00"),
    "currency": "CNY",
}
EVIDENCE: types.EvidenceParam = {
    "captured_at": datetime(2026, 11, 21, 6, 0, tzinfo=UTC),
    "channel": "web",
    "locale": "zh-CN",
}
GRANTS: list[types.GrantParam] = [
    {"purpose": "prequalification", "granted": True, "notice_version": "2026-11-01"}
]

# (resource, method, args, kwargs, HTTP method, path, query, JSON body sent, answer, model)
CALLS: list[tuple[Any, ...]] = [
    ("products", "list", (), {"amount": Decimal("3999.00"), "currency": "CNY"}, "GET",
     "/v1/products", {"amount": "3999.00", "currency": "CNY"}, None,
     {"data": [samples.PRODUCT]}, types.ProductList),
    ("products", "list", (), {}, "GET", "/v1/products", {}, None, {"data": []}, types.ProductList),
    ("consent_notices", "retrieve", ("prequalification",), {"locale": "zh-CN"}, "GET",
     "/v1/consent-notices/prequalification", {"locale": "zh-CN"}, None, samples.NOTICE,
     types.ConsentNotice),
    ("consent_notices", "list", (), {"locale": "en"}, "GET", "/v1/consent-notices",
     {"locale": "en"}, None, {"object": "list", "data": [samples.NOTICE]},
     types.ConsentNoticeList),
    ("consent_notices", "retrieve", ("marketing",), {}, "GET", "/v1/consent-notices/marketing",
     {}, None, samples.NOTICE, types.ConsentNotice),
    ("consents", "create", (), {"customer": CUSTOMER, "grants": GRANTS, "evidence": EVIDENCE},
     "POST", "/v1/consents", {},
     {"customer": {"phone": "+8613800000001"},
      "grants": [{"purpose": "prequalification", "granted": True, "notice_version": "2026-11-01"}],
      "evidence": {"captured_at": "2026-11-21T06:00:00+00:00", "channel": "web",
                   "locale": "zh-CN"}},
     samples.CONSENTS_CREATED, types.ConsentCreateResponse),
    ("consents", "retrieve", ("cns_1",), {}, "GET", "/v1/consents/cns_1", {}, None,
     samples.CONSENT, types.Consent),
    ("consents", "revoke", ("cns_1",), {"reason": "changed my mind"}, "POST",
     "/v1/consents/cns_1/revoke", {}, {"reason": "changed my mind"}, samples.CONSENT,
     types.Consent),
    ("consents", "revoke", ("cns_1",), {}, "POST", "/v1/consents/cns_1/revoke", {}, {},
     samples.CONSENT, types.Consent),
    ("prequalifications", "create", (),
     {"consent_id": "cns_1", "customer": CUSTOMER, "scenario": SCENARIO,
      "requested_tenors": (3, 6), "product_code": "mall_instalments"},
     "POST", "/v1/prequalifications", {},
     {"consent_id": "cns_1", "customer": {"phone": "+8613800000001"},
      "scenario": {"type": "ecommerce", "amount": "3999.00", "currency": "CNY"},
      "requested_tenors": [3, 6], "product_code": "mall_instalments"},
     samples.PREQUALIFICATION, types.Prequalification),
    ("prequalifications", "create", (),
     {"consent_id": "cns_1", "customer": CUSTOMER, "scenario": SCENARIO},
     "POST", "/v1/prequalifications", {},
     {"consent_id": "cns_1", "customer": {"phone": "+8613800000001"},
      "scenario": {"type": "ecommerce", "amount": "3999.00", "currency": "CNY"}},
     samples.PREQUALIFICATION, types.Prequalification),
    ("prequalifications", "retrieve", ("pq_1",), {}, "GET", "/v1/prequalifications/pq_1", {},
     None, samples.PREQUALIFICATION, types.Prequalification),
    ("offers", "retrieve", ("off_1",), {}, "GET", "/v1/offers/off_1", {}, None, samples.OFFER,
     types.Offer),
    ("offers", "accept", ("off_1",),
     {"decision_token": "a.b.c", "credit_inquiry_consent_id": "cns_2"},
     "POST", "/v1/offers/off_1/accept", {},
     {"decision_token": "a.b.c", "credit_inquiry_consent_id": "cns_2"}, samples.APPLICATION,
     types.Application),
    ("offers", "accept", ("off_1",), {"offer_token": "a.b.c", "credit_inquiry_consent_id": "cns_2"},
     "POST", "/v1/offers/off_1/accept", {},
     {"offer_token": "a.b.c", "credit_inquiry_consent_id": "cns_2"}, samples.APPLICATION,
     types.Application),
    ("applications", "retrieve", ("app_1",), {}, "GET", "/v1/applications/app_1", {}, None,
     samples.APPLICATION, types.Application),
    ("applications", "cancel", ("app_1",), {"reason": "order cancelled"}, "POST",
     "/v1/applications/app_1/cancel", {}, {"reason": "order cancelled"}, samples.APPLICATION,
     types.Application),
    ("applications", "cancel", ("app_1",), {}, "POST", "/v1/applications/app_1/cancel", {}, {},
     samples.APPLICATION, types.Application),
    ("applications", "refund", ("app_1",),
     {"refund_id": "rf-1", "amount": Decimal("100.00"), "reason": "returned one item"}, "POST",
     "/v1/applications/app_1/refunds", {},
     {"refund_id": "rf-1", "amount": "100.00", "reason": "returned one item"}, samples.REFUND,
     types.Refund),
    ("prequalifications", "request_human_review", ("pq_1",), {}, "POST",
     "/v1/prequalifications/pq_1/human-review", {}, None, samples.PREQUALIFICATION,
     types.Prequalification),
    ("events", "create", (),
     {"id": "evt-1", "type": "offer_displayed", "offer_id": "off_1",
      "occurred_at": datetime(2026, 11, 21, 6, 0, tzinfo=UTC)},
     "POST", "/v1/events", {},
     {"id": "evt-1", "type": "offer_displayed", "offer_id": "off_1",
      "occurred_at": "2026-11-21T06:00:00+00:00"},
     samples.EVENT, types.FunnelEvent),
    ("checkout_sessions", "create", (),
     {"amount": "3999.00", "currency": "CNY", "scenario": "ecommerce",
      "allowed_origin": "https://shop.example", "merchant_order_ref": "order-1001"},
     "POST", "/v1/checkout-sessions", {},
     {"amount": "3999.00", "currency": "CNY", "scenario": "ecommerce",
      "allowed_origin": "https://shop.example", "merchant_order_ref": "order-1001"},
     samples.CHECKOUT_SESSION, types.CheckoutSession),
    ("webhook_events", "retrieve", ("evt_1",), {}, "GET", "/v1/webhook-events/evt_1", {}, None,
     samples.LOGGED_EVENT, types.LoggedEvent),
    ("webhook_endpoints", "test", (), {}, "POST", "/v1/webhook-endpoints/test", {}, {},
     samples.PING_RESULT, types.PingResult),
    ("settlements", "retrieve", (), {"date": date(2026, 11, 21)}, "GET", "/v1/settlements",
     {"date": "2026-11-21"}, None, samples.SETTLEMENT, types.Settlement),
]  # fmt: skip


def _check(route: respx.Route, http_method: str, query: dict[str, str], body: Any) -> None:
    request = route.calls.last.request
    assert request.method == http_method
    assert dict(request.url.params) == query
    if body is None:
        assert request.content == b""
    else:
        assert json.loads(request.content) == body
    # Every POST, and only a POST, carries an idempotency key.
    assert ("Idempotency-Key" in request.headers) is (http_method == "POST")


@pytest.mark.parametrize(
    ("resource", "method", "args", "kwargs", "http", "path", "query", "body", "answer", "model"),
    CALLS,
)
def test_sync_methods_call_their_endpoint_and_type_the_answer(
    sdk: Client,
    router: respx.MockRouter,
    resource: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    http: str,
    path: str,
    query: dict[str, str],
    body: Any,
    answer: dict[str, Any],
    model: type[types.Model],
) -> None:
    route = router.route(method=http, path=path).mock(return_value=httpx.Response(200, json=answer))
    result = getattr(getattr(sdk, resource), method)(*args, **kwargs)
    assert isinstance(result, model)
    _check(route, http, query, body)


@pytest.mark.parametrize(
    ("resource", "method", "args", "kwargs", "http", "path", "query", "body", "answer", "model"),
    CALLS,
)
def test_async_methods_call_their_endpoint_and_type_the_answer(
    async_sdk: AsyncClient,
    router: respx.MockRouter,
    resource: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    http: str,
    path: str,
    query: dict[str, str],
    body: Any,
    answer: dict[str, Any],
    model: type[types.Model],
) -> None:
    route = router.route(method=http, path=path).mock(return_value=httpx.Response(200, json=answer))
    call: Callable[..., Any] = getattr(getattr(async_sdk, resource), method)
    result = run_async(call(*args, **kwargs))
    assert isinstance(result, model)
    _check(route, http, query, body)


def test_money_parses_to_decimal_and_times_to_aware_datetimes(
    sdk: Client, router: respx.MockRouter
) -> None:
    router.post("/v1/prequalifications").mock(
        return_value=httpx.Response(201, json=samples.PREQUALIFICATION)
    )
    decision = sdk.prequalifications.create(
        consent_id="cns_1", customer=CUSTOMER, scenario=SCENARIO
    )
    offer = decision.offers[0]
    assert offer.monthly_payment == Decimal("356.72") and offer.apr == Decimal("0.1290")
    assert decision.created_at.tzinfo is not None
    assert offer.schedule[0].due_date.isoformat() == "2026-12-21"


def _public_methods(resource_cls: type) -> dict[str, inspect.Signature]:
    # A list returns a SyncPage from the sync client and an AsyncPage from the async one.
    return {
        name: _same_page(inspect.signature(member))
        for name, member in inspect.getmembers(resource_cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_sync_and_async_clients_expose_the_same_resources_and_signatures() -> None:
    assert Client.RESOURCES == AsyncClient.RESOURCES
    for name in Client.RESOURCES:
        sync_cls = inspect.signature(getattr(Client, name).func).return_annotation
        async_cls = inspect.signature(getattr(AsyncClient, name).func).return_annotation
        sync_methods = _public_methods(_resolve(sync_cls))
        async_methods = _public_methods(_resolve(async_cls))
        assert sync_methods, name
        assert sync_methods == async_methods, name
        for method in async_methods:
            assert inspect.iscoroutinefunction(getattr(_resolve(async_cls), method)), method
    public = {n for n in dir(Client) if not n.startswith("_")}
    assert public == {n for n in dir(AsyncClient) if not n.startswith("_")}


def _same_page(signature: inspect.Signature) -> inspect.Signature:
    returned = signature.return_annotation
    if isinstance(returned, str):
        returned = returned.replace("AsyncPage[", "SyncPage[")
    return signature.replace(return_annotation=returned)


def _resolve(annotation: str | type) -> type:
    import instalments.resources as resources

    return getattr(resources, annotation) if isinstance(annotation, str) else annotation
