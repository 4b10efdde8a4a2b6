"""The review pages: the queue with SLA timers, the dossier, claim and decide as the
signed-in reviewer, and four eyes on a large approval through a review-overturn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from gateway import clock
from gateway.approvals import services as approvals
from gateway.offers.models import Offer
from tests.gateway.ops.conftest import Console
from tests.gateway.reviews.flow import case_for, referred

UPHOLD = {"outcome": "uphold", "reasons": ["policy_confirmed"], "note": "bureau file checked"}


def _approve(amount: str, **extra: Any) -> dict[str, str | list[str]]:
    return {
        "outcome": "approve",
        "amount": amount,
        "tenors": ["6", "12"],
        "grade": "C",
        "reasons": ["income_verified"],
        "note": "payslips checked",
        **extra,
    }


def test_a_risk_officer_claims_and_approves_a_case_as_themselves(
    partner_api: Any, signed_in: Callable[[str], Console], db_session: Session
) -> None:
    api = partner_api("demo-mall")
    case = case_for(db_session, referred(api)["id"])
    console = signed_in("risk_officer")
    email = console.staff.email  # type: ignore[attr-defined]
    page = console.get(f"/ops/reviews/{case.id}").get_data(as_text=True)
    assert "Claim this case" in page and "Record the decision" in page
    assert console.post(f"/ops/reviews/{case.id}/claim").status_code == 302
    assert case_for(db_session, case.prequalification_id).reviewer == email
    decided = console.post(f"/ops/reviews/{case.id}/decide", _approve("3999.00"))
    assert decided.status_code == 302, decided.get_data(as_text=True)
    case = case_for(db_session, case.prequalification_id)
    assert (case.status, case.outcome, case.reviewer) == ("decided", "approved", email)
    assert case.decision is not None and case.decision["tenors"] == [6, 12]
    offers = [db_session.get(Offer, o) for o in case.decision["offers"]]
    assert {o.tenor_months for o in offers if o is not None} == {6, 12}
    shown = api.get(f"/v1/prequalifications/{case.prequalification_id}").get_json()
    assert shown["human_review"]["outcome"] == "approved"
    page = console.get(f"/ops/reviews/{case.id}").get_data(as_text=True)
    assert 'data-status="decided"' in page and "Record the decision" not in page


def test_bad_decisions_change_nothing_and_say_why(
    partner_api: Any, signed_in: Callable[[str], Console], db_session: Session
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"))["id"])
    console = signed_in("risk_officer")
    no_note = console.post(f"/ops/reviews/{case.id}/decide", {**UPHOLD, "note": ""})
    assert no_note.status_code == 400
    mixed = console.post(f"/ops/reviews/{case.id}/decide", {**UPHOLD, "amount": "100.00"})
    assert mixed.status_code == 400 and "approve only" in mixed.get_data(as_text=True)
    wrong = console.post(
        f"/ops/reviews/{case.id}/decide", {**UPHOLD, "reasons": ["income_verified"]}
    )
    assert wrong.status_code == 400
    too_much = console.post(f"/ops/reviews/{case.id}/decide", _approve("999999.00"))
    assert too_much.status_code == 400 and "amount" in too_much.get_data(as_text=True)
    assert case_for(db_session, case.prequalification_id).status == "open"


def test_a_large_approval_needs_a_review_overturn_approved_by_another_reviewer(
    partner_api: Any, signed_in: Callable[[str], Console], db_session: Session
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"), amount="30000.00")["id"])
    first, second = signed_in("risk_officer"), signed_in("risk_officer")
    alone = first.post(f"/ops/reviews/{case.id}/decide", _approve("30000.00", tenors=[], grade=""))
    assert alone.status_code == 400 and "second reviewer" in alone.get_data(as_text=True)
    assert first.post(f"/ops/reviews/{case.id}/overturn", {"reason": "30k"}).status_code == 302
    (request,) = approvals.pending(db_session, "review-overturn", case.id)
    own = first.post(f"/ops/approvals/{request.id}/approve")
    assert own.status_code == 403  # the requester cannot approve
    assert second.post(f"/ops/approvals/{request.id}/approve").status_code == 302
    decided = first.post(
        f"/ops/reviews/{case.id}/decide", _approve("30000.00", tenors=[], grade="")
    )
    assert decided.status_code == 302, decided.get_data(as_text=True)
    case = case_for(db_session, case.prequalification_id)
    assert case.outcome == "approved"
    assert case.second_reviewer == second.staff.email  # type: ignore[attr-defined]
    db_session.expire_all()
    assert approvals.get(db_session, request.id).status == "used"


def test_viewers_read_the_queue_and_dossier_but_see_no_reference_and_cannot_decide(
    partner_api: Any, signed_in: Callable[[str], Console], db_session: Session
) -> None:
    body = referred(partner_api("demo-mall"))
    case = case_for(db_session, body["id"])
    viewer = signed_in("viewer")
    queue = viewer.get("/ops/reviews").get_data(as_text=True)
    assert f'data-case="{case.id}"' in queue and "due in" in queue
    page = viewer.get(f"/ops/reviews/{case.id}").get_data(as_text=True)
    assert "affordability" in page.lower() and "cus_" not in page
    assert "+86138" not in page and "13800000003" not in page
    assert "Record the decision" not in page and "Claim this case" not in page
    assert viewer.post(f"/ops/reviews/{case.id}/decide", UPHOLD).status_code == 403
    assert viewer.get("/ops/reviews/rev_unknown").status_code == 404


def test_the_queue_filters_by_status_partner_and_overdue(
    partner_api: Any,
    signed_in: Callable[[str], Console],
    db_session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"))["id"])
    console = signed_in("viewer")
    assert case.id not in console.get("/ops/reviews?overdue=1").get_data(as_text=True)
    assert case.id in console.get("/ops/reviews?status=open&partner=demo-mall").get_data(
        as_text=True
    )
    assert case.id not in console.get("/ops/reviews?partner=demo-travel").get_data(as_text=True)
    assert case.id not in console.get("/ops/reviews?status=decided").get_data(as_text=True)
    later = case.due_at + dt.timedelta(hours=2, minutes=5)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    overdue = console.get("/ops/reviews?overdue=1").get_data(as_text=True)
    assert f'data-case="{case.id}"' in overdue and "overdue by 2 h 5 min" in overdue
    assert console.get("/ops/reviews?status=nope").status_code == 400
