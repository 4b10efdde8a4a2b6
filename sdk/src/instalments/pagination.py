"""Cursor pages: ``client.applications.list()`` returns one; iterating it walks them all.

The gateway's lists are newest first and cursor-paginated (``limit``,
``starting_after``, ``ending_before``, ``has_more``). A page holds its
``data``; iterating the page yields every object of every following page,
fetching each only when the previous one is used up::

    for application in client.applications.list(status="funded", limit=100):
        ...                                   # all of them, 100 per request

    page = await async_client.applications.list()
    async for application in page:            # the same, awaited
        ...

A page fetched with ``ending_before`` walks towards newer objects instead,
so a walk always continues in the direction it started.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from datetime import datetime
from typing import Generic, TypeVar

import httpx

from ._exceptions import APIResponseValidationError, InstalmentsError
from .types import Model

__all__ = ["AsyncPage", "SyncPage"]

ItemT = TypeVar("ItemT", bound=Model)

Params = Mapping[str, str]


def next_params(params: Params, data: list[ItemT], backwards: bool) -> dict[str, str]:
    """The query of the page after this one, in the walk's direction."""
    following = {k: v for k, v in params.items() if k not in ("starting_after", "ending_before")}
    if backwards:
        following["ending_before"] = str(getattr(data[0], "id"))  # noqa: B009
    else:
        following["starting_after"] = str(getattr(data[-1], "id"))  # noqa: B009
    return following


class _Page(Generic[ItemT]):
    def __init__(self, *, data: list[ItemT], has_more: bool, params: Params) -> None:
        self.data = data
        self.has_more = has_more
        self._params = dict(params)
        self._backwards = "ending_before" in params and "starting_after" not in params

    def has_next_page(self) -> bool:
        """Whether another page lies beyond this one (in the walk's direction)."""
        return self.has_more and bool(self.data)

    def _next_params(self) -> dict[str, str]:
        return next_params(self._params, self.data, self._backwards)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data=<{len(self.data)} objects>, has_more={self.has_more})"


class SyncPage(_Page[ItemT]):
    """One page of a list; iterate it for every object of this and the following pages."""

    def __init__(
        self,
        *,
        data: list[ItemT],
        has_more: bool,
        params: Params,
        fetch: Callable[[Params], SyncPage[ItemT]],
    ) -> None:
        super().__init__(data=data, has_more=has_more, params=params)
        self._fetch = fetch

    def next_page(self) -> SyncPage[ItemT] | None:
        """The following page, or ``None`` after the last one."""
        if not self.has_next_page():
            return None
        return self._fetch(self._next_params())

    def iter_pages(self) -> Iterator[SyncPage[ItemT]]:
        """This page and every following one, fetched as you go."""
        page: SyncPage[ItemT] | None = self
        while page is not None:
            yield page
            page = page.next_page()

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_Page[ItemT]):
    """One page of a list; ``async for`` it for every object of this and the following pages."""

    def __init__(
        self,
        *,
        data: list[ItemT],
        has_more: bool,
        params: Params,
        fetch: Callable[[Params], Awaitable[AsyncPage[ItemT]]],
    ) -> None:
        super().__init__(data=data, has_more=has_more, params=params)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[ItemT] | None:
        """The following page, or ``None`` after the last one."""
        if not self.has_next_page():
            return None
        return await self._fetch(self._next_params())

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT]]:
        """This page and every following one, fetched as you go."""
        page: AsyncPage[ItemT] | None = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


def list_params(
    *,
    limit: int | None,
    starting_after: str | None,
    ending_before: str | None,
    created_gte: datetime | None,
    created_lt: datetime | None,
    **filters: str | None,
) -> dict[str, str]:
    """A list's query string; arguments left as ``None`` are not sent.

    Raises:
        InstalmentsError: a naive datetime (the gateway's times are UTC).
    """
    params: dict[str, str] = {}
    if limit is not None:
        params["limit"] = str(limit)
    if starting_after is not None:
        params["starting_after"] = starting_after
    if ending_before is not None:
        params["ending_before"] = ending_before
    for name, when in (("created[gte]", created_gte), ("created[lt]", created_lt)):
        if when is not None:
            if when.tzinfo is None:
                raise InstalmentsError(f"{name} must be a timezone-aware datetime")
            params[name] = when.isoformat()
    params.update({name: value for name, value in filters.items() if value is not None})
    return params


def parse_page(response: httpx.Response, item: type[ItemT]) -> tuple[list[ItemT], bool]:
    """A list response's objects and ``has_more``.

    Raises:
        APIResponseValidationError: the body is not a list of ``item``.
    """
    try:
        body = response.json()
        data = [item.model_validate(entry) for entry in body["data"]]
        has_more = bool(body["has_more"])
    except (ValueError, KeyError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        raise APIResponseValidationError(
            response=response,
            message=f"the gateway's list of {item.__name__} did not match the SDK; upgrade the SDK",
        ) from exc
    return data, has_more
