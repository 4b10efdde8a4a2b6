"""Decision search by id, reference or phone: the phone is never echoed, stored or logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from tests.gateway.offers.flow import approved_offer
from tests.gateway.ops.conftest import Console

PHONE_AS_TYPED = "+86 138-0000-0001"
DIGITS = "13800000001"


def test_an_operator_finds_a_decision_by_phone_and_the_phone_leaves_no_trace(
    partner_api: Any,
    signed_in: Callable[[str], Console],
    db_session: Session,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    offer, _credit = approved_offer(partner_api("demo-mall", "sandbox"))
    console = signed_in("operator")
    page = console.post("/ops/decisions", {"query": PHONE_AS_TYPED})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("data-decision=") == 1 and offer["prequalification_id"] in html
    assert DIGITS not in html  # never echoed back
    assert DIGITS not in caplog.text and DIGITS not in capsys.readouterr().err
    db_session.expire_all()
    entry = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "ops.customer_searched")
    ).one()
    assert entry.subject is not None and entry.subject.startswith("cus_")
    assert DIGITS not in str(entry.data)
    # The same decision by its id and by the reference.
    for query in (offer["prequalification_id"], entry.subject):
        found = console.post("/ops/decisions", {"query": query}).get_data(as_text=True)
        assert found.count("data-decision=") == 1


def test_a_viewer_finds_by_id_with_the_reference_masked(
    partner_api: Any, signed_in: Callable[[str], Console]
) -> None:
    offer, _credit = approved_offer(partner_api("demo-mall", "sandbox"))
    console = signed_in("viewer")
    html = console.post("/ops/decisions", {"query": offer["prequalification_id"]}).get_data(
        as_text=True
    )
    assert "data-decision=" in html and "<code>cus_" not in html
    assert console.post("/ops/decisions", {"query": PHONE_AS_TYPED}).status_code == 403


def test_a_disabled_user_is_signed_out_on_the_next_request(
    signed_in: Callable[[str], Console], db_session: Session
) -> None:
    from gateway.ops import users

    console = signed_in("operator")
    assert console.get("/ops/partners").status_code == 200
    users.disable_user(db_session, console.staff.email, actor="test")  # type: ignore[attr-defined]
    db_session.commit()
    assert console.get("/ops/partners").location.endswith("/ops/sign-in")
