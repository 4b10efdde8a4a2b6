"""A campaign list as the job writes it (Parquet, partitioned by scenario and partner), small."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def entry(ref: str, **overrides: Any) -> dict[str, Any]:
    """One list row (defaults: a grade-B mass-market customer at demo-mall)."""
    row: dict[str, Any] = {
        "customer_ref": ref,
        "campaign_id": "cmp_test_list",
        "environment": "sandbox",
        "scenario": "shopping",
        "partner": "demo-mall",
        "product_code": "mall_instalments",
        "limit": Decimal("8000.00"),
        "currency": "CNY",
        "grade": "B",
        "pd_band": "2-5%",
        "segment": "mass_market",
        "contact_rank": 1,
        "issued_at": NOW,
        "expires_at": NOW + dt.timedelta(days=30),
    }
    row.update(overrides)
    return row


def write_list(directory: Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` under ``scenario=…/partner=…`` as Spark would."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["scenario"], row["partner"]), []).append(row)
    for (scenario, partner), members in groups.items():
        part = directory / f"scenario={scenario}" / f"partner={partner}"
        part.mkdir(parents=True, exist_ok=True)
        data = [{k: v for k, v in r.items() if k not in ("scenario", "partner")} for r in members]
        table = pa.Table.from_pylist(data)
        limit = table.schema.get_field_index("limit")
        table = table.cast(table.schema.set(limit, pa.field("limit", pa.decimal128(12, 2))))
        pq.write_table(table, part / "part-00000.parquet")
    return directory
