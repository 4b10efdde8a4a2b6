"""OAuth client credentials: cached, refreshed early, fetched once under concurrency."""

from __future__ import annotations

import asyncio
import base64
import builtins
import threading
import time
from typing import Any
from urllib.parse import parse_qs

import httpx
import instalments
import pytest
import respx
from instalments import AsyncClient, Client
from instalments._auth import ClientCredentials
from joserfc import jwk, jwt

from .aio import run_async
from .conftest import BASE_URL, token_response

PRODUCTS = {"data": []}


class FakeClock:
    """Monotonic seconds the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _products(router: respx.MockRouter) -> respx.Route:
    return router.get("/v1/products").mock(return_value=httpx.Response(200, json=PRODUCTS))


def test_the_token_is_fetched_once_and_sent_as_bearer(
    sdk: Client, router: respx.MockRouter
) -> None:
    route = _products(router)
    for _ in range(3):
        sdk.products.list()
    assert router["token"].call_count == 1
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-1"
    token_request = router["token"].calls.last.request
    assert parse_qs(token_request.content.decode()) == {"grant_type": ["client_credentials"]}
    assert (
        token_request.headers["Authorization"]
        == "Basic " + base64.b64encode(b"cid:csecret").decode()
    )


def test_credentials_are_form_encoded_before_basic(router: respx.MockRouter) -> None:
    _products(router)
    Client(
        client_id="a b", client_secret="p:w&d", base_url=BASE_URL, scope="offers:read"
    ).products.list()
    request = router["token"].calls.last.request
    assert (
        request.headers["Authorization"] == "Basic " + base64.b64encode(b"a+b:p%3Aw%26d").decode()
    )
    assert parse_qs(request.content.decode())["scope"] == ["offers:read"]


def test_the_token_is_refreshed_sixty_seconds_before_expiry(
    sdk: Client, router: respx.MockRouter
) -> None:
    clock = FakeClock()
    sdk._auth.clock = clock
    router["token"].mock(side_effect=[token_response("tok-1", 3600), token_response("tok-2", 3600)])
    route = _products(router)
    sdk.products.list()
    clock.now += 3600 - 61
    sdk.products.list()
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-1"
    clock.now += 2  # now 59 s before expiry
    sdk.products.list()
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-2"
    assert router["token"].call_count == 2


def test_a_short_lived_token_is_refreshed_at_half_its_life(
    sdk: Client, router: respx.MockRouter
) -> None:
    clock = FakeClock()
    sdk._auth.clock = clock
    router["token"].mock(side_effect=[token_response("a", 30), token_response("b", 30)])
    _products(router)
    sdk.products.list()
    clock.now += 14
    sdk.products.list()
    assert router["token"].call_count == 1
    clock.now += 2
    sdk.products.list()
    assert router["token"].call_count == 2


def test_threads_needing_an_expired_token_cause_one_fetch(
    sdk: Client, router: respx.MockRouter
) -> None:
    clock = FakeClock()
    sdk._auth.clock = clock
    assert sdk.products is not None  # create the resource before the threads race
    _products(router)
    sdk.products.list()
    clock.now += 7200  # the cached token has expired

    def slow_token(request: httpx.Request) -> httpx.Response:
        time.sleep(0.05)  # a window in which every other thread finds no token
        return token_response("tok-new")

    router["token"].mock(side_effect=slow_token)
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            barrier.wait()
            sdk.products.list()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert router["token"].call_count == 2  # the first token, then exactly one refresh


def test_fifty_async_calls_with_an_expired_token_cause_one_token_request(
    async_sdk: AsyncClient, router: respx.MockRouter
) -> None:
    clock = FakeClock()
    async_sdk._auth.clock = clock
    async_sdk._auth._token, async_sdk._auth._refresh_at = "expired", clock.now - 1
    route = _products(router)

    async def slow_token(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.05)  # every other task reaches the lock meanwhile
        return token_response("tok-new")

    router["token"].mock(side_effect=slow_token)

    async def main() -> None:
        await asyncio.gather(*(async_sdk.products.list() for _ in range(50)))

    run_async(main())
    assert router["token"].call_count == 1
    assert route.call_count == 50
    assert {c.request.headers["Authorization"] for c in route.calls} == {"Bearer tok-new"}


def _invalid_token() -> httpx.Response:
    return httpx.Response(
        401,
        json={"code": "invalid_token", "title": "Unauthorized"},
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def test_a_401_invalid_token_refreshes_once_and_retries(
    sdk: Client, router: respx.MockRouter
) -> None:
    router["token"].mock(side_effect=[token_response("old"), token_response("new")])
    route = router.get("/v1/products").mock(
        side_effect=[_invalid_token(), httpx.Response(200, json=PRODUCTS)]
    )
    sdk.products.list()
    assert [c.request.headers["Authorization"] for c in route.calls] == ["Bearer old", "Bearer new"]
    assert router["token"].call_count == 2


def test_a_second_401_invalid_token_is_raised_not_looped(
    sdk: Client, router: respx.MockRouter
) -> None:
    route = router.get("/v1/products").mock(return_value=_invalid_token())
    with pytest.raises(instalments.AuthenticationError) as caught:
        sdk.products.list()
    assert caught.value.code == "invalid_token"
    assert route.call_count == 2 and router["token"].call_count == 2


def test_invalid_token_is_also_recognised_from_the_body(
    sdk: Client, router: respx.MockRouter
) -> None:
    router.get("/v1/products").mock(
        side_effect=[
            httpx.Response(401, json={"error": "invalid_token"}),
            httpx.Response(200, json=PRODUCTS),
        ]
    )
    sdk.products.list()
    assert router["token"].call_count == 2


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(401, json={"code": "unauthorized"}),
        httpx.Response(401, text="no"),
        httpx.Response(401, json=["x"]),
    ],
)
def test_other_401s_do_not_refresh(
    sdk: Client, router: respx.MockRouter, response: httpx.Response
) -> None:
    router.get("/v1/products").mock(return_value=response)
    with pytest.raises(instalments.AuthenticationError):
        sdk.products.list()
    assert router["token"].call_count == 1


def test_a_token_another_caller_refreshed_is_reused_after_a_401(
    sdk: Client, router: respx.MockRouter
) -> None:
    def reject_then_rotate(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer tok-1":
            sdk._auth._token = "tok-by-another-thread"  # someone refreshed meanwhile
            return _invalid_token()
        return httpx.Response(200, json=PRODUCTS)

    route = router.get("/v1/products").mock(side_effect=reject_then_rotate)
    sdk.products.list()
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-by-another-thread"
    assert router["token"].call_count == 1


def test_refused_credentials_raise_with_the_oauth_error(
    sdk: Client, router: respx.MockRouter
) -> None:
    router["token"].mock(
        return_value=httpx.Response(
            401, json={"error": "invalid_client", "error_description": "no"}
        )
    )
    route = _products(router)
    with pytest.raises(instalments.AuthenticationError) as caught:
        sdk.products.list()
    assert caught.value.code == "invalid_client"
    assert route.call_count == 0


def test_a_failed_refresh_after_a_401_raises_the_token_error(
    sdk: Client, router: respx.MockRouter
) -> None:
    router["token"].mock(
        side_effect=[token_response(), httpx.Response(400, json={"error": "invalid_client"})]
    )
    router.get("/v1/products").mock(return_value=_invalid_token())
    with pytest.raises(instalments.AuthenticationError) as caught:
        sdk.products.list()
    assert caught.value.code == "invalid_client"


@pytest.mark.parametrize(
    "body", [{"token_type": "Bearer"}, {"access_token": 5}, {"access_token": ""}, "[]"]
)
def test_a_malformed_token_answer_is_reported(
    sdk: Client, router: respx.MockRouter, body: Any
) -> None:
    router["token"].mock(return_value=httpx.Response(200, json=body))
    _products(router)
    with pytest.raises(instalments.APIResponseValidationError):
        sdk.products.list()


def test_async_flow_refreshes_on_invalid_token_and_reports_failures(
    async_sdk: AsyncClient, router: respx.MockRouter
) -> None:
    router["token"].mock(
        side_effect=[
            token_response("old"),
            token_response("new"),
            httpx.Response(401, json={"error": "invalid_client"}),
        ]
    )
    route = router.get("/v1/products").mock(
        side_effect=[
            _invalid_token(),
            httpx.Response(200, json=PRODUCTS),
            httpx.Response(401, json={"code": "unauthorized"}),
            _invalid_token(),
        ]
    )

    async def main() -> None:
        await async_sdk.products.list()
        with pytest.raises(instalments.AuthenticationError) as plain:
            await async_sdk.products.list()
        assert plain.value.code == "unauthorized"
        with pytest.raises(instalments.AuthenticationError) as refused:
            await async_sdk.products.list()
        assert refused.value.code == "invalid_client"

    run_async(main())
    assert route.calls[1].request.headers["Authorization"] == "Bearer new"


def test_async_refused_credentials_raise(async_sdk: AsyncClient, router: respx.MockRouter) -> None:
    router["token"].mock(return_value=httpx.Response(401, json={"error": "invalid_client"}))

    async def main() -> None:
        await async_sdk.products.list()

    with pytest.raises(instalments.AuthenticationError):
        run_async(main())


def test_async_reuses_a_token_another_task_refreshed(
    async_sdk: AsyncClient, router: respx.MockRouter
) -> None:
    def reject_then_rotate(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer tok-1":
            async_sdk._auth._token = "tok-by-another-task"
            return _invalid_token()
        return httpx.Response(200, json=PRODUCTS)

    router.get("/v1/products").mock(side_effect=reject_then_rotate)
    run_async(async_sdk.products.list())
    assert router["token"].call_count == 1


def test_private_key_jwt_sends_a_signed_assertion(router: respx.MockRouter) -> None:
    key = jwk.ECKey.generate_key("P-256", parameters={"kid": "partner-key-1"})
    _products(router)
    client = Client(client_id="demo-mall", private_key=key.as_dict(private=True), base_url=BASE_URL)
    client.products.list()
    form = parse_qs(router["token"].calls.last.request.content.decode())
    assert form["client_assertion_type"] == [
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    ]
    assert form["client_id"] == ["demo-mall"]
    assert "Authorization" not in router["token"].calls.last.request.headers
    public = jwk.ECKey.import_key(key.as_dict(private=False))
    token = jwt.decode(form["client_assertion"][0], public, algorithms=["ES256"])
    assert token.header["kid"] == "partner-key-1"
    assert token.claims["iss"] == token.claims["sub"] == "demo-mall"
    assert token.claims["aud"] == f"{BASE_URL}/oauth/token"
    assert token.claims["exp"] - token.claims["iat"] == 60


def test_private_key_jwt_takes_rsa_pem_without_kid(router: respx.MockRouter) -> None:
    key = jwk.RSAKey.generate_key(2048)
    pem = key.as_pem(private=True)
    _products(router)
    Client(client_id="demo-mall", private_key=pem, base_url=BASE_URL).products.list()
    assertion = parse_qs(router["token"].calls.last.request.content.decode())["client_assertion"][0]
    decoded = jwt.decode(assertion, key, algorithms=["RS256"])
    assert "kid" not in decoded.header


def test_private_key_jwt_needs_the_jwt_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_joserfc(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("joserfc"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_joserfc)
    with pytest.raises(instalments.InstalmentsError, match=r"instalments\[jwt\]"):
        Client(client_id="c", private_key="-----BEGIN PRIVATE KEY-----")


def test_exactly_one_of_secret_and_key() -> None:
    with pytest.raises(instalments.InstalmentsError, match="exactly one"):
        ClientCredentials(token_url="https://gw.test/oauth/token", client_id="c")


def test_a_private_key_that_is_no_key_is_refused() -> None:
    with pytest.raises(instalments.InstalmentsError, match="EC, RSA or OKP"):
        Client(client_id="c", private_key="-----BEGIN PRIVATE KEY-----\nnope\n")
