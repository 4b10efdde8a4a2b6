"""The clients: configuration, with_options, retries and idempotency keys over respx."""

from __future__ import annotations

from types import SimpleNamespace

import httpx
import instalments
import pytest
import respx
from instalments import AsyncClient, Client, _async_client, _sync_client
from instalments.types import ProductList

from . import samples
from .aio import run_async
from .conftest import BASE_URL, problem

PRODUCTS = {"data": []}


def test_configuration_comes_from_arguments_then_environment_then_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INSTALMENTS_CLIENT_ID", "env-id")
    monkeypatch.setenv("INSTALMENTS_CLIENT_SECRET", "env-secret")
    from_env = Client()
    assert (from_env.client_id, from_env.base_url) == ("env-id", "http://127.0.0.1:8000")
    monkeypatch.setenv("INSTALMENTS_BASE_URL", "https://env.example/")
    assert Client().base_url == "https://env.example"
    explicit = Client(client_id="arg-id", client_secret="s", base_url="https://arg.example")
    assert (explicit.client_id, explicit.base_url) == ("arg-id", "https://arg.example")
    assert explicit._auth.token_url == "https://arg.example/oauth/token"


def test_missing_credentials_are_refused_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(instalments.InstalmentsError, match="INSTALMENTS_CLIENT_ID"):
        Client(client_secret="s")
    with pytest.raises(instalments.InstalmentsError, match="INSTALMENTS_CLIENT_SECRET"):
        AsyncClient(client_id="c")
    with pytest.raises(instalments.InstalmentsError, match="max_retries"):
        Client(client_id="c", client_secret="s", max_retries=-1)


def test_default_timeouts_are_five_seconds_to_connect_and_ten_to_read() -> None:
    client = Client(client_id="c", client_secret="s")
    assert (client.timeout.connect, client.timeout.read) == (5.0, 10.0)
    assert client.max_retries == 2
    assert Client(client_id="c", client_secret="s", timeout=3).timeout == httpx.Timeout(3)


def test_with_options_copies_settings_but_shares_pool_token_and_jwks(sdk: Client) -> None:
    products = sdk.products
    quick = sdk.with_options(timeout=1.0, max_retries=0)
    assert (quick.timeout, quick.max_retries) == (httpx.Timeout(1.0), 0)
    assert (sdk.timeout.read, sdk.max_retries) == (10.0, 2)
    assert quick._http is sdk._http and quick._auth is sdk._auth and quick._jwks is sdk._jwks
    assert quick.products is not products and quick.products._client is quick
    assert sdk.with_options(timeout=httpx.Timeout(2.0)).max_retries == 2
    assert sdk.with_options().timeout == sdk.timeout
    with pytest.raises(instalments.InstalmentsError):
        sdk.with_options(max_retries=-1)


def test_resources_are_created_once_on_first_use(sdk: Client) -> None:
    assert "offers" not in vars(sdk)
    assert sdk.offers is sdk.offers


def test_a_post_retried_after_a_500_reuses_its_idempotency_key(
    sdk: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    session = {"id": "cs_1", "client_token": "ct", "expires_at": "2026-11-21T06:15:00Z"}
    route = router.post("/v1/checkout-sessions").mock(
        side_effect=[
            problem(500, "internal_error"),
            httpx.ConnectError("reset"),
            httpx.Response(201, json=session),
        ]
    )
    result = sdk.checkout_sessions.create(
        amount="3999.00", currency="CNY", scenario="ecommerce", allowed_origin="https://s.example"
    )
    assert result.id == "cs_1"
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert route.call_count == 3 and len(keys) == 1
    assert len(sleeps) == 2


def test_two_logical_posts_get_two_keys(sdk: Client, router: respx.MockRouter) -> None:
    session = {"id": "cs_1", "client_token": "ct", "expires_at": "2026-11-21T06:15:00Z"}
    route = router.post("/v1/checkout-sessions").mock(
        return_value=httpx.Response(201, json=session)
    )
    for _ in range(2):
        sdk.checkout_sessions.create(
            amount="1.00", currency="CNY", scenario="ecommerce", allowed_origin="https://s.example"
        )
    assert len({call.request.headers["Idempotency-Key"] for call in route.calls}) == 2


def test_a_caller_chosen_idempotency_key_is_sent(sdk: Client, router: respx.MockRouter) -> None:
    session = {"id": "cs_1", "client_token": "ct", "expires_at": "2026-11-21T06:15:00Z"}
    route = router.post("/v1/checkout-sessions").mock(
        return_value=httpx.Response(201, json=session)
    )
    sdk.checkout_sessions.create(
        amount="1.00",
        currency="CNY",
        scenario="ecommerce",
        allowed_origin="https://s.example",
        idempotency_key="order-1001-session",
    )
    assert route.calls.last.request.headers["Idempotency-Key"] == "order-1001-session"


def test_retry_after_is_slept_before_the_next_attempt(
    sdk: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    router.get("/v1/products").mock(
        side_effect=[
            httpx.Response(429, json={"code": "rate_limited"}, headers={"Retry-After": "7"}),
            httpx.Response(200, json=PRODUCTS),
        ]
    )
    assert sdk.products.list().data == []
    assert sleeps == [7.0]


def test_retries_stop_after_max_retries_with_the_last_error(
    sdk: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.get("/v1/products").mock(return_value=problem(503, "service_unavailable"))
    with pytest.raises(instalments.ServiceUnavailableError) as caught:
        sdk.products.list()
    assert route.call_count == 3 and len(sleeps) == 2
    assert caught.value.request_id == "req-body"
    with pytest.raises(instalments.ServiceUnavailableError):
        sdk.products.list(max_retries=0)
    assert route.call_count == 4


def test_client_errors_are_not_retried(sdk: Client, router: respx.MockRouter) -> None:
    route = router.get("/v1/products").mock(return_value=problem(422, "validation_failed"))
    with pytest.raises(instalments.UnprocessableEntityError):
        sdk.products.list(amount="-1")
    assert route.call_count == 1


def test_connection_errors_and_timeouts_raise_their_own_exceptions(
    sdk: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.get("/v1/products").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(instalments.APIConnectionError) as refused:
        sdk.products.list()
    assert not isinstance(refused.value, instalments.APITimeoutError)
    assert route.call_count == 3
    route.mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(instalments.APITimeoutError):
        sdk.products.list(max_retries=1)
    assert route.call_count == 5


def test_per_call_timeout_reaches_the_transport(sdk: Client, router: respx.MockRouter) -> None:
    route = router.get("/v1/products").mock(return_value=httpx.Response(200, json=PRODUCTS))
    sdk.products.list(timeout=2.5)
    assert route.calls.last.request.extensions["timeout"]["read"] == 2.5
    sdk.products.list()
    assert route.calls.last.request.extensions["timeout"] == {
        "connect": 5.0,
        "read": 10.0,
        "write": 10.0,
        "pool": 10.0,
    }


def test_a_body_that_does_not_match_the_model_is_reported(
    sdk: Client, router: respx.MockRouter
) -> None:
    router.get("/v1/products").mock(return_value=httpx.Response(200, json={"data": "nope"}))
    with pytest.raises(instalments.APIResponseValidationError, match="ProductList"):
        sdk.products.list()


def test_unknown_response_fields_are_kept(sdk: Client, router: respx.MockRouter) -> None:
    router.get("/v1/products").mock(return_value=httpx.Response(200, json={"data": [], "new": 1}))
    assert sdk.products.list().model_extra == {"new": 1}


def test_default_headers_and_your_own_http_client_are_used(router: respx.MockRouter) -> None:
    route = router.get("/v1/products").mock(return_value=httpx.Response(200, json=PRODUCTS))
    with httpx.Client() as http:
        client = Client(
            client_id="c",
            client_secret="s",
            base_url=BASE_URL,
            http_client=http,
            default_headers={"X-Partner-Trace": "t-1"},
        )
        assert isinstance(client.products.list(), ProductList)
        assert client._http is http
    assert route.calls.last.request.headers["X-Partner-Trace"] == "t-1"


def test_async_client_retries_with_the_same_key_and_closes(
    async_sdk: AsyncClient, router: respx.MockRouter, sleeps: list[float]
) -> None:
    session = {"id": "cs_1", "client_token": "ct", "expires_at": "2026-11-21T06:15:00Z"}
    route = router.post("/v1/checkout-sessions").mock(
        side_effect=[
            problem(409, "idempotency_in_flight"),
            httpx.ConnectTimeout("slow"),
            httpx.Response(201, json=session),
        ]
    )

    async def main() -> str:
        async with async_sdk as client:
            created = await client.checkout_sessions.create(
                amount="1.00", currency="CNY", scenario="ecommerce", allowed_origin="https://s.ex"
            )
        return created.id

    assert run_async(main()) == "cs_1"
    assert len({call.request.headers["Idempotency-Key"] for call in route.calls}) == 1
    assert route.call_count == 3 and len(sleeps) == 2
    assert async_sdk._http.is_closed


def test_async_client_raises_the_same_errors(
    async_sdk: AsyncClient, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.get("/v1/products").mock(side_effect=httpx.ConnectError("refused"))

    async def call() -> None:
        await async_sdk.products.list()

    with pytest.raises(instalments.APIConnectionError):
        run_async(call())
    route.mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(instalments.APITimeoutError):
        run_async(call())
    route.mock(return_value=problem(404, "not_found"))
    with pytest.raises(instalments.NotFoundError):
        run_async(call())
    assert async_sdk.with_options(max_retries=0).max_retries == 0


def test_real_sleeps_are_used_outside_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    # The clients' modules see stand-ins for ``time`` and ``asyncio``. Patching
    # ``time.sleep`` itself would patch it for every thread of the test session:
    # Spark's py4j finalizer thread then spun on the no-op sleep, filled the list
    # with millions of entries, and printing the failed comparison ran pytest
    # out of memory (a CI run SIGKILLed at this test).
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(_sync_client, "time", SimpleNamespace(sleep=slept.append))
    monkeypatch.setattr(_async_client, "asyncio", SimpleNamespace(sleep=fake_sleep))
    Client(client_id="c", client_secret="s")._sleep(0.25)
    run_async(AsyncClient(client_id="c", client_secret="s")._sleep(0.5))
    assert slept == [0.25, 0.5]


def test_x_should_retry_false_stops_a_retry_and_true_forces_one(
    sdk: Client, router: respx.MockRouter
) -> None:
    down = problem(503, "service_unavailable")
    down.headers["x-should-retry"] = "false"
    route = router.get("/v1/applications/app_1").mock(side_effect=[down])
    with pytest.raises(instalments.ServiceUnavailableError):
        sdk.applications.retrieve("app_1")
    assert route.call_count == 1
    busy = problem(409, "brand_new_in_flight_code")
    busy.headers["x-should-retry"] = "true"
    ok = httpx.Response(200, json=samples.APPLICATION)
    route = router.get("/v1/applications/app_2").mock(side_effect=[busy, ok])
    assert sdk.applications.retrieve("app_2").id == samples.APPLICATION["id"]
    assert route.call_count == 2
