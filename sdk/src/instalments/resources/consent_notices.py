"""``GET /v1/consent-notices[/{purpose}]``: the texts to show before asking for consent."""

from __future__ import annotations

from .._requests import NOT_GIVEN, NotGiven, TimeoutArg, path_segment
from ..types import ConsentNotice, ConsentNoticeList, Purpose
from ._resource import AsyncAPIResource, SyncAPIResource


def _params(locale: str | None) -> dict[str, str]:
    return {"locale": locale} if locale is not None else {}


class ConsentNotices(SyncAPIResource):
    """Consent notice texts, one per purpose."""

    def list(
        self,
        *,
        locale: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ConsentNoticeList:
        """Every purpose's current notice in one locale.

        Show each in ``locale``; with the consent send its ``version`` as the
        grant's ``notice_version`` and the same ``locale`` in the evidence (the
        consent records the hash of that rendering).

        Args:
            locale: e.g. ``zh-CN`` or ``en``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            ``data``: one notice per purpose.
        """
        return self._client._request(
            "GET",
            "/v1/consent-notices",
            cast_to=ConsentNoticeList,
            params=_params(locale),
            options=self._client._options("GET", timeout, max_retries),
        )

    def retrieve(
        self,
        purpose: Purpose,
        *,
        locale: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ConsentNotice:
        """The current notice for ``purpose``; record its ``version`` with the consent.

        Args:
            purpose: ``prequalification``, ``credit_inquiry`` or ``marketing``.
            locale: e.g. ``zh-CN`` or ``en``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The notice, filled with the partner's name.

        Raises:
            NotFoundError: no such purpose.
        """
        return self._client._request(
            "GET",
            f"/v1/consent-notices/{path_segment(purpose)}",
            cast_to=ConsentNotice,
            params=_params(locale),
            options=self._client._options("GET", timeout, max_retries),
        )


class AsyncConsentNotices(AsyncAPIResource):
    """Consent notice texts, one per purpose."""

    async def list(
        self,
        *,
        locale: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ConsentNoticeList:
        """Every purpose's current notice in one locale (see the sync twin)."""
        return await self._client._request(
            "GET",
            "/v1/consent-notices",
            cast_to=ConsentNoticeList,
            params=_params(locale),
            options=self._client._options("GET", timeout, max_retries),
        )

    async def retrieve(
        self,
        purpose: Purpose,
        *,
        locale: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ConsentNotice:
        """The current notice for ``purpose``; record its ``version`` with the consent.

        Args:
            purpose: ``prequalification``, ``credit_inquiry`` or ``marketing``.
            locale: e.g. ``zh-CN`` or ``en``.
            timeout: this call's timeout.
            max_retries: this call's retries.

        Returns:
            The notice, filled with the partner's name.

        Raises:
            NotFoundError: no such purpose.
        """
        return await self._client._request(
            "GET",
            f"/v1/consent-notices/{path_segment(purpose)}",
            cast_to=ConsentNotice,
            params=_params(locale),
            options=self._client._options("GET", timeout, max_retries),
        )
