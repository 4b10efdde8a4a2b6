"""Pages: the query each list sends, auto-pagination both ways, sync and async alike."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from instalments import APIResponseValidationError, AsyncClient, Client, InstalmentsError, types
from instalments.pagination import AsyncPage, SyncPage

from . import samples
from .aio import run_async

LISTS = ("/v1/prequalifications", "/v1/applications/app_1/refunds", "/v1/webhook-events")
IDS = [f"app_{n:02d}" for n in range(10, 0, -1)]  # newest first


def _application(app_id: str) -> dict[str, Any]:
    return samples.APPLICATION | {"id": app_id}


def _pages(request: httpx.Request) -> httpx.Response:
    """A gateway holding ten applications, three a page at most."""
    params = request.url.params
    limit = int(params.get("limit", "3"))
    if "ending_before" in params:
        end = IDS.index(params["ending_before"])
        chosen = IDS[max(0, end - limit) : end]
        more = end - limit > 0
    else:
        start = IDS.index(params["starting_after"]) + 1 if "starting_after" in params else 0
        chosen = IDS[start : start + limit]
        more = start + limit < len(IDS)
    body = {"object": "list", "url": request.url.path, "has_more": more}
    return httpx.Response(200, json=body | {"data": [_application(i) for i in chosen]})


def test_iterating_a_page_walks_every_page_keeping_the_filters(
    sdk: Client, router: respx.MockRouter
) -> None:
    route = router.get("/v1/applications").mock(side_effect=_pages)
    since = datetime(2026, 11, 1, tzinfo=UTC)
    page = sdk.applications.list(
        limit=3, status="funded", created_gte=since, merchant_order_ref="o"
    )
    assert isinstance(page, SyncPage) and len(page.data) == 3 and page.has_more
    assert [a.id for a in page] == IDS
    assert route.call_count == 4
    last = route.calls.last.request.url.params
    assert dict(last) == {
        "limit": "3",
        "status": "funded",
        "created[gte]": "2026-11-01T00:00:00+00:00",
        "merchant_order_ref": "o",
        "starting_after": "app_02",
    }
    assert [len(p.data) for p in page.iter_pages()] == [3, 3, 3, 1]
    assert "has_more=True" in repr(page)


def test_a_walk_started_with_ending_before_goes_towards_newer_objects(
    sdk: Client, router: respx.MockRouter
) -> None:
    router.get("/v1/applications").mock(side_effect=_pages)
    page = sdk.applications.list(limit=3, ending_before="app_01")
    assert [a.id for a in page.data] == IDS[6:9]
    assert sorted(a.id for a in page) == sorted(IDS[:9])


def test_the_last_page_has_no_next_page(sdk: Client, router: respx.MockRouter) -> None:
    router.get("/v1/applications").mock(side_effect=_pages)
    page = sdk.applications.list(limit=20)
    assert not page.has_next_page() and page.next_page() is None
    empty = {"object": "list", "url": "/v1/applications", "has_more": True, "data": []}
    router.get("/v1/webhook-events").mock(return_value=httpx.Response(200, json=empty))
    assert list(sdk.webhook_events.list()) == []  # has_more without data ends the walk


def test_every_list_sends_its_path_and_filters(sdk: Client, router: respx.MockRouter) -> None:
    empty = {"object": "list", "has_more": False, "data": []}
    routes = {
        path: router.get(path).mock(return_value=httpx.Response(200, json=empty))
        for path in (
            "/v1/prequalifications",
            "/v1/applications/app_1/refunds",
            "/v1/webhook-events",
        )
    }
    before = datetime(2026, 11, 2, tzinfo=UTC)
    sdk.prequalifications.list(status="declined", created_lt=before, starting_after="pq_9")
    sdk.applications.list_refunds("app_1", limit=5)
    sdk.webhook_events.list(type="ping", status="dead")
    assert dict(routes["/v1/prequalifications"].calls.last.request.url.params) == {
        "status": "declined",
        "created[lt]": "2026-11-02T00:00:00+00:00",
        "starting_after": "pq_9",
    }
    assert dict(routes["/v1/applications/app_1/refunds"].calls.last.request.url.params) == {
        "limit": "5"
    }
    assert dict(routes["/v1/webhook-events"].calls.last.request.url.params) == {
        "type": "ping",
        "status": "dead",
    }


def test_list_items_are_typed(sdk: Client, router: respx.MockRouter) -> None:
    def page_of(item: dict[str, Any]) -> httpx.Response:
        return httpx.Response(200, json={"object": "list", "has_more": False, "data": [item]})

    refund = {k: v for k, v in samples.REFUND.items() if k != "application"}
    router.get("/v1/prequalifications").mock(return_value=page_of(samples.PREQUALIFICATION))
    router.get("/v1/applications/app_1/refunds").mock(return_value=page_of(refund))
    router.get("/v1/webhook-events").mock(return_value=page_of(samples.LOGGED_EVENT))
    (decision,) = sdk.prequalifications.list()
    (listed,) = sdk.applications.list_refunds("app_1")
    (event,) = sdk.webhook_events.list()
    assert isinstance(decision, types.Prequalification)
    assert isinstance(listed, types.Refund) and listed.application is None
    assert isinstance(event, types.LoggedEvent) and event.attempts[0].status_code == 204


def test_a_naive_created_filter_is_refused(sdk: Client) -> None:
    with pytest.raises(InstalmentsError, match="created\\[gte\\]"):
        sdk.applications.list(created_gte=datetime(2026, 11, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    "body", [{"data": "nope", "has_more": False}, {"data": []}, [1], {"data": [{"id": 1}]}]
)
def test_a_list_body_that_does_not_match_is_reported(
    sdk: Client, router: respx.MockRouter, body: Any
) -> None:
    router.get("/v1/applications").mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(APIResponseValidationError, match="list of Application"):
        sdk.applications.list()


def test_async_pages_walk_the_same_way(async_sdk: AsyncClient, router: respx.MockRouter) -> None:
    router.get("/v1/applications").mock(side_effect=_pages)

    async def walk() -> tuple[AsyncPage[types.Application], list[str], list[int]]:
        async with async_sdk:
            page = await async_sdk.applications.list(limit=3)
            ids = [a.id async for a in page]
            sizes = [len(p.data) async for p in page.iter_pages()]
            last = page
            while (following := await last.next_page()) is not None:
                last = following
            return last, ids, sizes

    last, ids, sizes = run_async(walk())
    assert ids == IDS and sizes == [3, 3, 3, 1]
    assert not last.has_next_page()


def test_every_async_list_sends_its_path(async_sdk: AsyncClient, router: respx.MockRouter) -> None:
    empty = {"object": "list", "has_more": False, "data": []}
    for path in LISTS:
        router.get(path).mock(return_value=httpx.Response(200, json=empty))

    async def calls() -> list[int]:
        async with async_sdk:
            pages = [
                await async_sdk.prequalifications.list(),
                await async_sdk.applications.list_refunds("app_1"),
                await async_sdk.webhook_events.list(),
            ]
        return [len(page.data) for page in pages]

    assert run_async(calls()) == [0, 0, 0]
