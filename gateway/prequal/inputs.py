"""What a prequalification reads: one statement in the snapshot, one in the write.

:func:`read_inputs` runs in the read snapshot (:func:`gateway.db.reading`):
the consent gate, the profile, the 30-day offer count and everything the
risk controls read, as one statement (:mod:`gateway.prequal.snapshot`).
:func:`recheck_recent` runs in the write transaction when the snapshot was
apart from it (SQLite): the consent again, now under the write lock, and the
count the decision relied on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gateway.prequal import snapshot
from gateway.prequal.decision import Case, Inputs
from gateway.risk import services as risk
from gateway.risk.exposure import Exposure
from gateway.risk.rules import window_params
from gateway.risk.services import RiskCheck


def read_inputs(session: Session, case: Case, *, lock: bool = False) -> Inputs:
    """The consent gate, the profile (stored, or synthetic in the sandbox), the 30-day
    offer count and the risk check, in one statement (:mod:`gateway.prequal.snapshot`).

    Args:
        lock: hold the consent ``FOR SHARE`` (PostgreSQL) until the transaction ends.

    Raises:
        ConsentRequired: the case's consent is not active.
    """
    subject, rules, model = case.subject, case.engine.risk, case.persona is None
    partner_limit = case.partner_config.limits.max_outstanding
    shape = snapshot.Shape(
        lock=lock,
        exposure=subject is not None,
        partner=subject is not None and partner_limit is not None,
        windows=subject is not None and model and bool(rules.rules),
        recent=model,
        profile=model,
    )
    found = snapshot.read(
        session.connection(),
        shape,
        _params(case),
        id_number_hash=subject.id_number_hash if subject is not None else None,
        device_hash=subject.device_hash if subject is not None else None,
    )
    risk_check = _risk_check(case, found)
    if not model:
        return Inputs(None, 0, risk_check)  # a persona's decision is forced
    profile = found.profile
    if profile is None and case.caller.environment == "sandbox":
        from gateway.profiles.synthetic import synthetic_profile_for

        profile = synthetic_profile_for(case.ref)
    return Inputs(profile, found.recent, risk_check)


def recheck_recent(session: Session, case: Case) -> int:
    """In the write transaction: the consent still active (held), and the 30-day count again.

    Raises:
        ConsentRequired: the consent was revoked (or expired) since the snapshot.
    """
    shape = snapshot.Shape(lock=True, recent=case.persona is None)
    return snapshot.read(session.connection(), shape, _params(case)).recent


def _params(case: Case) -> dict[str, Any]:
    params: dict[str, Any] = {
        "consent_id": case.consent_id,
        "partner_id": case.caller.partner_id,
        "environment": case.caller.environment,
        "customer_ref": case.ref,
        "purpose": "prequalification",
        "now": case.now,
    }
    if case.subject is not None:
        params.update(window_params(case.engine.risk, case.subject, case.now))
    return params


def _risk_check(case: Case, found: snapshot.Snapshot) -> RiskCheck | None:
    if case.subject is None or found.exposure is None:
        return None
    rules = case.engine.risk
    return risk.assess(
        rules,
        case.subject,
        exposure=Exposure(found.exposure, rules.exposure.cap_per_customer),
        counts=found.counts,
        partner_outstanding=found.partner_outstanding,
        partner_limit=case.partner_config.limits.max_outstanding,
        persona=case.persona,
    )
