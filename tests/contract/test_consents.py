"""Consent endpoints through the SDK: typed results, and problems as typed exceptions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import instalments
import pytest
from instalments import AsyncClient, Client, sandbox, types

from tests.sdk.aio import run_async


def evidence() -> types.EvidenceParam:
    """Evidence of a consent captured just now (the gateway refuses stale captures)."""
    return {
        "captured_at": datetime.now(UTC),
        "channel": "web",
        "ip": "203.0.113.7",
        "locale": "zh-CN",
        "page_url": "https://shop.example/checkout",
    }


def _grant(client: Client, purpose: types.Purpose) -> types.GrantParam:
    notice = client.consent_notices.retrieve(purpose, locale="zh-CN")
    return {"purpose": purpose, "granted": True, "notice_version": notice.version}


def test_consent_round_trip_in_process(gateway_sdk: Client) -> None:
    notice = gateway_sdk.consent_notices.retrieve("prequalification", locale="zh-CN")
    assert isinstance(notice, types.ConsentNotice)
    assert notice.partner.id == "demo-mall" and notice.required
    created = gateway_sdk.consents.create(
        customer={"phone": sandbox.APPROVED},
        grants=[_grant(gateway_sdk, "prequalification"), _grant(gateway_sdk, "credit_inquiry")],
        evidence=evidence(),
    )
    assert [c.purpose for c in created.consents] == ["prequalification", "credit_inquiry"]
    assert {c.status for c in created.consents} == {"active"}
    assert created.consents[0].granted_at.tzinfo is not None
    consent_id = created.consents[0].id
    read = gateway_sdk.consents.retrieve(consent_id)
    assert read.id == consent_id and read.receipt is not None
    revoked = gateway_sdk.consents.revoke(consent_id, reason="changed my mind")
    assert revoked.status == "revoked" and revoked.revoked_at is not None


def test_invalid_fields_raise_unprocessable_naming_them(gateway_sdk: Client) -> None:
    with pytest.raises(instalments.UnprocessableEntityError) as caught:
        gateway_sdk.consents.create(
            customer={"phone": "not a phone"},
            grants=[_grant(gateway_sdk, "prequalification")],
            evidence=evidence(),
        )
    assert caught.value.code == "validation_failed"
    assert "customer.phone" in {e.field for e in caught.value.errors}
    assert caught.value.request_id


def test_an_unknown_consent_is_not_found(gateway_sdk: Client) -> None:
    with pytest.raises(instalments.NotFoundError) as caught:
        gateway_sdk.consents.retrieve("cns_doesnotexist")
    assert caught.value.status_code == 404


def test_reusing_an_idempotency_key_with_another_body_is_a_conflict(gateway_sdk: Client) -> None:
    grant = _grant(gateway_sdk, "prequalification")
    captured = evidence()
    first = gateway_sdk.consents.create(
        customer={"phone": sandbox.APPROVED},
        grants=[grant],
        evidence=captured,
        idempotency_key="k1",
    )
    again = gateway_sdk.consents.create(
        customer={"phone": sandbox.APPROVED},
        grants=[grant],
        evidence=captured,
        idempotency_key="k1",
    )
    assert again.consents[0].id == first.consents[0].id  # replayed, not recorded twice
    with pytest.raises(instalments.IdempotencyConflictError):
        gateway_sdk.consents.create(
            customer={"phone": sandbox.DECLINED},
            grants=[grant],
            evidence=evidence(),
            idempotency_key="k1",
        )


@pytest.mark.committing
def test_consent_round_trip_over_a_real_socket(socket_sdk: Client) -> None:
    created = socket_sdk.consents.create(
        customer={"phone": sandbox.APPROVED},
        grants=[_grant(socket_sdk, "prequalification")],
        evidence=evidence(),
    )
    consent_id = created.consents[0].id
    assert socket_sdk.consents.retrieve(consent_id).status == "active"
    with pytest.raises(instalments.NotFoundError):
        socket_sdk.consents.retrieve("cns_doesnotexist")


@pytest.mark.committing
def test_async_client_over_a_real_socket(async_socket_sdk: AsyncClient) -> None:
    async def main() -> list[str]:
        async with async_socket_sdk as client:
            notices = await asyncio.gather(
                *(client.consent_notices.retrieve("prequalification") for _ in range(10))
            )
        return [n.version for n in notices]

    versions = run_async(main())
    assert len(set(versions)) == 1
