"""``GET /v1/prequalifications``: a partner's decisions, newest first, one page at a time."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from marshmallow import fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.api.pagination import ListQuerySchema, Page, paginate
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification

STATUSES = ("approved", "partially_approved", "declined", "referred")


class PrequalificationListQuerySchema(ListQuerySchema):
    """Pagination plus the prequalification filters."""

    status = fields.String(
        load_default=None,
        validate=validate.OneOf(STATUSES),
        metadata={"description": "Only decisions with this status."},
    )
    merchant_order_ref = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "Only decisions made for this order reference of yours."},
    )


def list_prequalifications(
    session: Session, partner_id: str, environment: str, query: dict[str, Any]
) -> tuple[Page[Prequalification], dict[str, list[Offer]]]:
    """One page of a tenant's prequalifications and the offers of each (by rank).

    Two statements (three with a cursor), whatever the page size.
    """
    statement = select(Prequalification).where(
        Prequalification.partner_id == partner_id, Prequalification.environment == environment
    )
    if query.get("status"):
        statement = statement.where(Prequalification.status == query["status"])
    if query.get("merchant_order_ref"):
        ref = Prequalification.scenario["merchant_order_ref"].as_string()
        statement = statement.where(ref == query["merchant_order_ref"])
    page = paginate(
        session,
        statement,
        created=Prequalification.created_at,
        key=Prequalification.id,
        query=query,
    )
    offers: dict[str, list[Offer]] = defaultdict(list)
    if page.items:
        for offer in session.scalars(
            select(Offer)
            .where(Offer.prequalification_id.in_([pq.id for pq in page.items]))
            .order_by(Offer.prequalification_id, Offer.rank)
        ):
            offers[offer.prequalification_id].append(offer)
    return page, offers
