"""What the review pages show: queue rows with SLA timers, a case's dossier, its product's tenors.

Read-only helpers over the reviews domain's services, kept out of the view
module so the views stay routes and forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from gateway.ops.i18n import translate
from gateway.partners.services import get_partner
from gateway.prequal.products import terms_of
from gateway.prequal.records import get_prequalification
from gateway.reviews import services as reviews
from gateway.reviews.dossier import dossier
from gateway.reviews.models import PENDING, ReviewCase
from gateway.reviews.presenters import case_json


def span(delta: dt.timedelta) -> str:
    """A duration as ``2 d 3 h``, ``3 h 5 min`` or ``12 min`` (in the user's language)."""
    minutes = max(int(abs(delta.total_seconds()) // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    d, h, m = translate("time.d"), translate("time.h"), translate("time.min")
    if days:
        return f"{days} {d} {hours} {h}"
    if hours:
        return f"{hours} {h} {mins} {m}"
    return f"{mins} {m}"


def timer(case: ReviewCase, now: dt.datetime) -> dict[str, str]:
    """The SLA timer of a case: ``state`` (due, overdue, closed) and its text."""
    if case.status not in PENDING:
        return {"state": "closed", "text": translate("reviews.closed")}
    if case.overdue_at(now):
        return {
            "state": "overdue",
            "text": translate("reviews.overdue_by", span=span(now - case.due_at)),
        }
    return {"state": "due", "text": translate("reviews.due_in", span=span(case.due_at - now))}


def queue(
    session: Session,
    *,
    statuses: Sequence[str],
    overdue: bool,
    partner_id: str | None,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """The queue's rows, the most urgent first, each with its timer."""
    cases = reviews.list_cases(
        session, statuses=statuses, overdue=overdue, partner_id=partner_id, now=now, limit=200
    )
    return [case_json(case, now) | {"timer": timer(case, now)} for case in cases]


def dossier_of(session: Session, case: ReviewCase, now: dt.datetime) -> dict[str, Any]:
    """The case's dossier, its factors re-scored by the active model."""
    from gateway.scoring.registry import active_scorer

    return dossier(session, case, now, active_scorer(session))


def product_tenors(session: Session, case: ReviewCase) -> list[int]:
    """The tenors the case's product offers (the decision form's choices)."""
    pq, _offers = get_prequalification(
        session, case.partner_id, case.environment, case.prequalification_id
    )
    config = get_partner(session, case.partner_id).config
    product = config.product(pq.product_code or "") or config.products[0]
    return list(terms_of(product).tenors)
