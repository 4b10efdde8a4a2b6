"""``gateway campaigns export-eligibility``: what the Spark job needs to know from the gateway.

One row per customer holding an active ``marketing`` consent in the
environment (:mod:`gateway.campaigns.eligibility_schema`). The consent's
scope is read from its notice version: a notice naming the bank (the
controller) among its recipients lets the bank market to the customer for any
partner's scenario; one naming only the partner, for that partner alone.
Recent contacts are the campaign entries loaded for the customer; recent
decisions and exposure come from prequalifications and live applications.
Nothing here imports pyarrow: :func:`write_parquet` does, when called.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.campaigns.models import CampaignEntry
from gateway.consent.models import Consent
from gateway.consent.notices import find_version
from gateway.prequal.models import Prequalification

LIVE_APPLICATIONS = ("submitted", "under_review", "approved", "funded")
DECISION_LOOKBACK = dt.timedelta(days=90)
BATCH = 50_000


@dataclass
class _Customer:
    marketing_bank: bool = False
    marketing_partners: set[str] = field(default_factory=set)
    last_contact_at: dt.datetime | None = None
    contacts_30d: int = 0
    last_decision_at: dt.datetime | None = None
    last_decision: str | None = None
    exposure: Decimal = Decimal("0.00")


def bank_scoped(notice_version: str) -> bool:
    """Whether a marketing notice version names the bank among its recipients."""
    notice = find_version("marketing", notice_version)
    if notice is None:
        return False
    return any(
        "{controller_name}" in str(recipient)
        for texts in notice.locales.values()
        for recipient in texts.get("recipients", ())
    )


def eligibility_rows(
    session: Session, *, environment: str, now: dt.datetime
) -> Iterator[dict[str, Any]]:
    """Every marketing-consented customer's eligibility facts, by customer reference.

    Args:
        session: a database session (read only).
        environment: ``live`` or ``sandbox``.
        now: the export's time (consents past expiry are not active).
    """
    customers: dict[str, _Customer] = {}
    scopes: dict[str, bool] = {}
    consents = session.execute(
        select(Consent.customer_ref, Consent.partner_id, Consent.notice_version).where(
            Consent.purpose == "marketing",
            Consent.environment == environment,
            Consent.status == "active",
            Consent.expires_at > now,
        )
    )
    for ref, partner_id, version in consents:
        if version not in scopes:
            scopes[version] = bank_scoped(version)
        customer = customers.setdefault(ref, _Customer())
        if scopes[version]:
            customer.marketing_bank = True
        else:
            customer.marketing_partners.add(partner_id)
    month_ago = now - dt.timedelta(days=30)
    contacts = session.execute(
        select(
            CampaignEntry.customer_ref,
            func.max(CampaignEntry.issued_at),
            func.count().filter(CampaignEntry.issued_at > month_ago),
        )
        .where(CampaignEntry.environment == environment)
        .group_by(CampaignEntry.customer_ref)
    )
    for ref, last, count in contacts:
        if ref in customers:
            customers[ref].last_contact_at = last
            customers[ref].contacts_30d = int(count)
    decisions = session.execute(
        select(Prequalification.customer_ref, Prequalification.status, Prequalification.created_at)
        .where(
            Prequalification.environment == environment,
            Prequalification.created_at > now - DECISION_LOOKBACK,
        )
        .order_by(Prequalification.created_at)
    )
    for ref, status, created_at in decisions:
        if ref in customers:
            customers[ref].last_decision_at, customers[ref].last_decision = created_at, status
    exposure = session.execute(
        select(
            Application.customer_ref,
            func.sum(func.coalesce(Application.outstanding_principal, Application.principal)),
        )
        .where(Application.environment == environment, Application.status.in_(LIVE_APPLICATIONS))
        .group_by(Application.customer_ref)
    )
    for ref, amount in exposure:
        if ref in customers and amount is not None:
            customers[ref].exposure = Decimal(amount).quantize(Decimal("0.01"))
    for ref in sorted(customers):
        c = customers[ref]
        yield {
            "customer_ref": ref,
            "marketing_bank": c.marketing_bank,
            "marketing_partners": sorted(c.marketing_partners),
            "last_contact_at": c.last_contact_at,
            "last_decision_at": c.last_decision_at,
            "last_decision": c.last_decision,
            "contacts_30d": c.contacts_30d,
            "exposure": c.exposure,
        }


def write_parquet(rows: Iterator[dict[str, Any]], out: Path) -> int:
    """Write the rows as Parquet in batches; returns how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from gateway.campaigns.eligibility_schema import eligibility_schema

    schema = eligibility_schema()
    written = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written, batch = written + len(batch), []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        written += len(batch)
    return written
