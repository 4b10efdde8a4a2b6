"""The human-review queue: cases with SLA timers, a case's dossier, claim and decide.

Everyone reads the queue and the dossiers (customer references masked for
viewers, the reviewer's note hidden from them); claiming and deciding take
``reviews.decide``, and the decider is the signed-in user. An approval above
the partner's ``review.second_approval_above`` takes a second pair of eyes:
an approved ``review-overturn`` request for the case (asked for from this
page, approved by another user on the approvals page), used up by the decision.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from gateway import clock
from gateway.approvals import services as approvals
from gateway.errors import DomainError, ValidationFailed
from gateway.ops.auth import me, requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.forms import ActionForm, ReviewDecisionForm
from gateway.ops.i18n import translate
from gateway.ops.review_pages import dossier_of, product_tenors, queue, timer
from gateway.reviews import services as reviews
from gateway.reviews.decisions import Decision
from gateway.reviews.models import PENDING, STATUSES
from gateway.reviews.staff import OVERTURN, decide_as_staff
from gateway.sessions import session as db_session

nav("nav.reviews", "console.reviews", "console.read", order=25)


@bp.get("/reviews", endpoint="reviews")
@requires("console.read")
def reviews_page() -> str:
    """The queue, the most urgent first; filters by status, partner and overdue."""
    status = request.args.get("status", "")
    partner = request.args.get("partner", "").strip()
    overdue = request.args.get("overdue") == "1"
    if status and status not in STATUSES:
        abort(400)
    now = clock.utcnow()
    rows = queue(
        db_session(),
        statuses=(status,) if status else (),
        overdue=overdue,
        partner_id=partner or None,
        now=now,
    )
    return render_template(
        "ops/reviews/list.html",
        rows=rows,
        statuses=STATUSES,
        status=status,
        partner=partner,
        overdue=overdue,
    )


def _case_page(case_id: str, form: ReviewDecisionForm | None = None, status: int = 200) -> Any:
    db = db_session()
    try:
        case = reviews.get_case(db, case_id)
    except reviews.ReviewNotFound:
        abort(404)
    now = clock.utcnow()
    document = dossier_of(db, case, now)
    form = form or ReviewDecisionForm(formdata=None)
    form.tenors.choices = [str(t) for t in document["product"]["tenors"]]
    overturns = [
        row for row in approvals.list_requests(db) if row.type == OVERTURN and row.target == case.id
    ]
    user = me()
    return (
        render_template(
            "ops/reviews/show.html",
            case=case,
            d=document,
            timer=timer(case, now),
            pending=case.status in PENDING,
            can_decide=user.can("reviews.decide")
            and case.status in PENDING
            and case.reviewer in (None, user.email),
            can_overturn=user.can("approvals.review-overturn") and case.status in PENDING,
            masked=not user.can("identifiers.read"),
            overturns=overturns,
            overturn_status=approvals.effective_status,
            form=form,
            action=ActionForm(),
        ),
        status,
    )


@bp.get("/reviews/<case_id>", endpoint="review")
@requires("console.read")
def review_page(case_id: str) -> Any:
    """A case's dossier, and the claim and decision forms for reviewers."""
    return _case_page(case_id)


@bp.post("/reviews/<case_id>/claim")
@requires("reviews.decide")
def claim_review(case_id: str) -> Any:
    """Take the case: in review by the signed-in user until decided."""
    db = db_session()
    try:
        reviews.claim(db, case_id, me().email)
    except reviews.ReviewNotFound:
        abort(404)
    except DomainError as exc:
        db.rollback()
        flash(exc.detail, "error")
        return _case_page(case_id, status=409)
    db.commit()
    flash(translate("reviews.claimed"))
    return redirect(url_for("console.review", case_id=case_id))


def _amount(value: str | None) -> Decimal | None:
    if not value or not value.strip():
        return None
    try:
        amount = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed({"amount": "must be an amount such as 3999.00"}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed({"amount": "must be positive, with at most two decimals"})
    return amount


def _decision(form: ReviewDecisionForm) -> Decision:
    approving = form.outcome.data == "approve"
    if not approving and (form.amount.data or form.tenors.data or form.grade.data):
        raise ValidationFailed({"outcome": "amount, tenors and grade are for approve only"})
    return Decision(
        outcome="approve" if approving else "uphold",
        note=form.note.data or "",
        reason_codes=list(form.reasons.data or ()),
        reviewer=me().email,
        amount=_amount(form.amount.data) if approving else None,
        tenors=list(form.tenors.data or ()) or None,
        grade=form.grade.data or None,
    )


def _errors(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed):
        return "; ".join(f"{k}: {v}" for k, v in sorted(exc.errors.items()))
    return exc.detail


@bp.post("/reviews/<case_id>/decide")
@requires("reviews.decide")
def decide_review(case_id: str) -> Any:
    """Approve or uphold, as the signed-in reviewer; the partner hears back."""
    db = db_session()
    form = ReviewDecisionForm()
    try:
        form.tenors.choices = [str(t) for t in product_tenors(db, reviews.get_case(db, case_id))]
    except reviews.ReviewNotFound:
        abort(404)
    if not form.validate():
        fields = ", ".join(sorted(k for k in form.errors if k != "csrf_token"))
        flash(f"{translate('reviews.form_invalid')} ({fields})", "error")
        return _case_page(case_id, form, 400)
    issuer = current_app.extensions["gateway.settings"].issuer or request.host_url.rstrip("/")
    try:
        decided = decide_as_staff(db, case_id, _decision(form), issuer=issuer)
    except DomainError as exc:
        db.rollback()
        flash(_errors(exc), "error")
        return _case_page(case_id, form, 409 if exc.kind == "conflict" else 400)
    db.commit()
    flash(translate("reviews.decided", outcome=decided.case.outcome, offers=len(decided.offers)))
    return redirect(url_for("console.review", case_id=case_id))


@bp.post("/reviews/<case_id>/overturn")
@requires("approvals.review-overturn")
def request_overturn(case_id: str) -> Any:
    """Ask another reviewer to approve a large overturn of this case (four eyes)."""
    db = db_session()
    try:
        case = reviews.get_case(db, case_id)
    except reviews.ReviewNotFound:
        abort(404)
    if case.status not in PENDING:
        abort(409)
    reason = (request.form.get("reason") or "").strip()[:500]
    try:
        approvals.request(db, OVERTURN, case.id, by=me().email, reason=reason)
    except DomainError as exc:
        db.rollback()
        flash(exc.detail, "error")
        return _case_page(case_id, status=409 if exc.kind == "conflict" else 400)
    db.commit()
    flash(translate("reviews.overturn_requested"))
    return redirect(url_for("console.review", case_id=case_id))
