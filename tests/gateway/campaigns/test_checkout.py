"""At checkout: the campaign's limit is honoured, lowered by fresh affordability, never raised."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from sqlalchemy.orm import Session

from gateway.campaigns.checkout import honoured_for, pre_approval, record, view
from gateway.campaigns.loading import load_list
from gateway.prequal.policy import PolicyDecision
from tests.gateway.campaigns.lists import NOW, entry, write_list

REF = "cus_" + "e" * 64


def _decision(status: str = "approved", best: str = "20000.00") -> PolicyDecision:
    return PolicyDecision(
        status,  # type: ignore[arg-type]
        "B",
        0.03,
        640,
        Decimal("3000.00"),
        approved_amount=Decimal("3000.00"),
        max_principal_by_tenor=MappingProxyType({6: Decimal("1000.00"), 12: Decimal(best)}),
    )


def _find(session: Session, decision: PolicyDecision, now: dt.datetime = NOW) -> object:
    return pre_approval(
        session,
        customer_ref=REF,
        partner_id="demo-mall",
        environment="sandbox",
        product_code="mall_instalments",
        now=now,
        decision=decision,
    )


def _loaded(session: Session, tmp_path: Path, **overrides: object) -> None:
    load_list(session, write_list(tmp_path / "list", [entry(REF, **overrides)]), now=NOW)


def test_the_campaign_limit_is_honoured_when_fresh_checks_allow_it(
    db_session: Session, tmp_path: Path
) -> None:
    _loaded(db_session, tmp_path)
    honoured = _find(db_session, _decision())
    assert honoured is not None
    assert view(honoured) == {  # type: ignore[arg-type]
        "pre_approved": True,
        "campaign_id": "cmp_test_list",
        "pre_approved_limit": "8000.00",
    }


def test_fresh_affordability_lowers_the_limit(db_session: Session, tmp_path: Path) -> None:
    _loaded(db_session, tmp_path)
    honoured = _find(db_session, _decision(best="5000.00"))
    assert honoured is not None
    assert honoured.limit == Decimal("5000.00")  # type: ignore[attr-defined]
    assert honoured.campaign_limit == Decimal("8000.00")  # type: ignore[attr-defined]


def test_the_exposure_headroom_lowers_the_limit(db_session: Session, tmp_path: Path) -> None:
    _loaded(db_session, tmp_path)
    honoured = pre_approval(
        db_session,
        customer_ref=REF,
        partner_id="demo-mall",
        environment="sandbox",
        product_code="mall_instalments",
        now=NOW,
        decision=_decision(),
        headroom=Decimal("4321.99"),
    )
    assert honoured is not None
    assert honoured.limit == Decimal("4300.00")


def test_a_declined_or_referred_decision_is_not_pre_approved(
    db_session: Session, tmp_path: Path
) -> None:
    _loaded(db_session, tmp_path)
    assert _find(db_session, _decision(status="declined")) is None
    assert _find(db_session, _decision(status="referred")) is None


def test_expired_lists_and_other_partners_are_not_honoured(
    db_session: Session, tmp_path: Path
) -> None:
    _loaded(db_session, tmp_path)
    assert _find(db_session, _decision(), now=NOW + dt.timedelta(days=31)) is None
    other = pre_approval(
        db_session,
        customer_ref=REF,
        partner_id="demo-travel",
        environment="sandbox",
        product_code="mall_instalments",
        now=NOW,
        decision=_decision(),
    )
    assert other is None


def test_an_honoured_decision_is_recorded_and_read_back(
    db_session: Session, tmp_path: Path
) -> None:
    _loaded(db_session, tmp_path)
    honoured = _find(db_session, _decision())
    assert honoured is not None
    pq = {
        "id": "pq_test",
        "partner_id": "demo-mall",
        "environment": "sandbox",
        "customer_ref": REF,
        "created_at": NOW,
    }
    record(db_session, pq, honoured)  # type: ignore[arg-type]
    assert honoured_for(db_session, "pq_test") == honoured
    assert honoured_for(db_session, "pq_other") is None
