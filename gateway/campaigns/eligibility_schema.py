"""The eligibility export's columns (``gateway campaigns export-eligibility``).

One row per customer holding an active ``marketing`` consent in the
environment: whether the consent lets the bank market to them
(``marketing_bank``, the notice names the bank as recipient) and which
partners' consents name only that partner; the last campaign contact and the
number in the last 30 days; the last prequalification decision; and the
outstanding exposure across partners. Profiles without a row have no
marketing consent.
"""

from __future__ import annotations

import pyarrow as pa


def eligibility_schema() -> pa.Schema:
    """The Arrow schema of the export (and of what the job reads)."""
    return pa.schema(
        [
            pa.field("customer_ref", pa.string(), nullable=False),
            pa.field("marketing_bank", pa.bool_(), nullable=False),
            pa.field("marketing_partners", pa.list_(pa.string()), nullable=False),
            pa.field("last_contact_at", pa.timestamp("us", tz="UTC")),
            pa.field("last_decision_at", pa.timestamp("us", tz="UTC")),
            pa.field("last_decision", pa.string()),
            pa.field("contacts_30d", pa.int32(), nullable=False),
            pa.field("exposure", pa.decimal128(14, 2), nullable=False),
        ]
    )
