"""Prequalification: decide, price and sign offers, in one transaction.

``prequalify`` is the checkout's hot path. In order: hash the identifiers,
hold the customer's ``prequalification`` consent (so a racing revocation waits
for this decision and then voids its offers), pick the product, score the
bank's profile of the customer (a synthetic one in the sandbox, the partner's
declared data for a customer new to the bank), apply policy, price the offers,
sign each offer's terms, and record the decision — consent, model version,
inputs' hash, grade, score band, decision and reasons — in the audit log.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import insert
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.campaigns import checkout as campaigns
from gateway.clock import utcnow
from gateway.db import reading, reads_apart, table_of
from gateway.identity import customer_ref as make_customer_ref
from gateway.identity import id_number_hash, normalise_phone
from gateway.offers.models import Offer
from gateway.partners.config import PartnerConfig
from gateway.prequal.decision import Case, Inputs, choose_product, choose_tenors, draft
from gateway.prequal.inputs import read_inputs, recheck_recent
from gateway.prequal.models import Prequalification
from gateway.prequal.products import terms_of
from gateway.prequal.records import (
    decisions_of_customer,
    get_prequalification,
    request_human_review,
)
from gateway.prequal.sandbox import persona_for
from gateway.prequal.types import (
    Caller,
    Declared,
    Engine,
    Outcome,
    PrequalificationNotFound,
    PrequalRequest,
)
from gateway.reviews.services import open_case
from gateway.risk.rules import Subject
from gateway.risk.services import record as record_risk

__all__ = [
    "Caller",
    "Declared",
    "Engine",
    "Outcome",
    "PrequalRequest",
    "PrequalificationNotFound",
    "decisions_of_customer",
    "get_prequalification",
    "prequalify",
    "request_human_review",
]


_INSERT_PREQUALIFICATION = insert(table_of(Prequalification))
_INSERT_OFFERS = insert(table_of(Offer))


def prequalify(
    session: Session,
    caller: Caller,
    partner_config: PartnerConfig,
    request: PrequalRequest,
    engine: Engine,
    *,
    now: dt.datetime | None = None,
) -> Outcome:
    """Decide a prequalification and create its signed offers (the caller commits).

    The reads and the work (profile, contact count, scoring, pricing,
    signing) run in a read-only snapshot (:func:`gateway.db.reading`), so on
    SQLite they neither wait for nor hold the write lock; the write
    transaction then re-reads what the decision relied on — the consent,
    held ``FOR SHARE``, and the contact count — redoes the decision in the
    rare case the count moved, and inserts. A revocation racing this
    decision either commits first (``403 consent_required``) or waits for it
    and voids its offers.

    Args:
        session: the unit of work.
        caller: partner, environment and acting client.
        partner_config: the partner's validated ``PartnerConfig``.
        request: the question.
        engine: pepper, issuer, scorer, policy and offer lifetime.
        now: the current time (tests).

    Returns:
        The stored decision, its offers (best first for the customer's
        segment) and whether the sandbox asks for a fault after commit.

    Raises:
        ValidationFailed: a field is invalid (named).
        ConsentRequired: no active ``prequalification`` consent for this customer.
    """
    now = now or utcnow()
    phone = normalise_phone(request.phone) if request.phone is not None else None
    ref = request.customer_ref or make_customer_ref(engine.pepper, phone or "")
    id_hash = id_number_hash(engine.pepper, request.id_number) if request.id_number else None
    product = choose_product(partner_config, request)
    terms = terms_of(product)
    persona = (
        persona_for(caller.environment, phone)
        if phone is not None
        else (request.persona if caller.environment == "sandbox" else None)
    )
    tenors = choose_tenors(terms.tenors, request.requested_tenors)
    apart = reads_apart(session)
    subject = Subject(
        caller.environment, caller.partner_id, ref, id_hash, request.device_hash, request.ip_hash
    )
    case = Case(
        caller, request, engine, partner_config, terms, ref, id_hash, persona, tenors,
        request.consent_id, now, subject,
    )  # fmt: skip
    with reading(session):
        # The consent gate and every read, in one statement; held FOR SHARE
        # when this is the write transaction too (PostgreSQL).
        inputs = read_inputs(session, case, lock=not apart)
        drafted = draft(session, case, inputs)
    if apart:
        # The write transaction: what the decision relied on must still hold.
        recent = recheck_recent(session, case)
        if persona is None and recent != inputs.recent:
            drafted = draft(session, case, Inputs(inputs.profile, recent, inputs.risk))
    # On the session's connection, statements built once: cheaper than through the session.
    connection = session.connection()
    connection.execute(_INSERT_PREQUALIFICATION, drafted.pq)
    if drafted.offers:
        connection.execute(_INSERT_OFFERS, drafted.offers)
    if drafted.pre_approval is not None:
        campaigns.record(session, drafted.pq, drafted.pre_approval)
    audit(
        session,
        action="prequalification.decided",
        actor=caller.actor,
        partner_id=caller.partner_id,
        environment=caller.environment,
        subject=drafted.pq["id"],
        data=drafted.audit_data,
    )
    record_risk(
        session,
        subject,
        drafted.risk_hits,
        subject_id=drafted.pq["id"],
        actor=caller.actor,
        now=now,
        found=inputs.risk,
    )
    decided = SimpleNamespace(**drafted.pq)
    review = None
    if decided.status == "referred":
        # A referral is a promise that a person decides: its case opens with it.
        review = open_case(session, decided, partner_config.review, actor="policy", now=now)
    return Outcome(
        decided,
        [SimpleNamespace(**offer) for offer in drafted.offers],
        fail_after_commit=persona == "fault_after_commit",
        review=review,
        pre_approval=drafted.pre_approval,
    )
