"""``gateway campaigns load DIR``: bring a built list into the gateway.

The job's Parquet (partitioned ``scenario=…/partner=…``) is read in record
batches with pyarrow and written to ``campaign_entries``: ``COPY … FROM
STDIN`` on PostgreSQL, batched multi-row inserts on SQLite. Loading a
campaign again replaces its entries, all in one transaction, so a reload
after a fix never leaves half a list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from gateway.campaigns.models import CampaignEntry
from gateway.db import table_of

BATCH = 10_000
COLUMNS = (
    "campaign_id",
    "customer_ref",
    "partner_id",
    "product_code",
    "environment",
    "scenario",
    "currency",
    "limit_amount",
    "grade",
    "pd_band",
    "segment",
    "contact_rank",
    "issued_at",
    "expires_at",
    "loaded_at",
)


Rows = list[tuple[Any, ...]]


class ListInvalid(ValueError):
    """The directory is not a campaign list the gateway can load."""


@dataclass(frozen=True)
class Loaded:
    """What a load did."""

    campaign_ids: tuple[str, ...]
    rows: int
    replaced: int


def read_list(directory: Path, now: dt.datetime) -> Iterator[Rows]:
    """The list's rows as tuples in :data:`COLUMNS` order, in batches.

    Raises:
        ListInvalid: no Parquet there, or a column is missing.
    """
    import pyarrow.dataset as ds

    try:
        dataset = ds.dataset(directory, format="parquet", partitioning="hive")
    except (OSError, ValueError) as exc:
        raise ListInvalid(f"{directory}: not a campaign list ({type(exc).__name__})") from exc
    names = set(dataset.schema.names)
    wanted = [
        "customer_ref", "campaign_id", "environment", "scenario", "partner", "product_code",
        "limit", "currency", "grade", "pd_band", "segment", "contact_rank", "issued_at",
        "expires_at",
    ]  # fmt: skip
    missing = [n for n in wanted if n not in names]
    if missing:
        raise ListInvalid(f"{directory}: column {missing[0]} is missing")
    for batch in dataset.to_batches(columns=wanted, batch_size=BATCH):
        c = batch.to_pydict()
        yield [
            (
                c["campaign_id"][i],
                c["customer_ref"][i],
                c["partner"][i],
                c["product_code"][i],
                c["environment"][i],
                c["scenario"][i],
                c["currency"][i],
                Decimal(c["limit"][i]),
                c["grade"][i],
                c["pd_band"][i],
                c["segment"][i],
                int(c["contact_rank"][i]),
                _utc(c["issued_at"][i]),
                _utc(c["expires_at"][i]),
                now,
            )
            for i in range(batch.num_rows)
        ]


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def load_list(session: Session, directory: Path, *, now: dt.datetime) -> Loaded:
    """Replace the entries of every campaign in ``directory`` (the caller commits).

    Raises:
        ListInvalid: as :func:`read_list`.
    """
    batches = read_list(directory, now)
    first = next(batches, [])
    campaign_ids = tuple(sorted({row[0] for row in first}))
    if not campaign_ids:
        raise ListInvalid(f"{directory}: the list is empty")
    entries = table_of(CampaignEntry)
    result = session.execute(delete(entries).where(entries.c.campaign_id.in_(campaign_ids)))
    replaced = getattr(result, "rowcount", 0)
    rows = 0
    postgres = session.get_bind().dialect.name == "postgresql"
    for batch in _chain(first, batches):
        if {row[0] for row in batch} - set(campaign_ids):
            raise ListInvalid(f"{directory}: holds more than one campaign's lists")
        if postgres:
            _copy(session, batch)
        else:
            session.execute(
                insert(entries), [dict(zip(COLUMNS, row, strict=True)) for row in batch]
            )
        rows += len(batch)
    return Loaded(campaign_ids, rows, int(replaced or 0))


def _chain(first: Rows, rest: Iterator[Rows]) -> Iterator[Rows]:
    yield first
    yield from rest


def _copy(session: Session, batch: Rows) -> None:
    """``COPY`` through psycopg on the session's own connection (same transaction).

    Values go through each column type's bind processing first (money is
    stored as scaled integers), as an ``INSERT`` would send them.
    """
    connection = session.connection()
    table = table_of(CampaignEntry)
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in COLUMNS]
    raw = connection.connection.driver_connection
    assert raw is not None
    statement = f"COPY campaign_entries ({', '.join(COLUMNS)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in batch:
            copy.write_row([v if p is None else p(v) for p, v in zip(processors, row, strict=True)])
