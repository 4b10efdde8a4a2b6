"""Synthetic campaign inputs: bank profiles and an eligibility export, as Parquet.

For tests, the demo and ``make bench-campaigns``: the profiles are the
synthetic population of :mod:`gateway.profiles.synthetic` keyed by made-up
customer references; the eligibility rows give a share of them marketing
consent (to the bank, or to one partner), recent contacts, decisions and
exposure. Written in chunks, so ten million rows need little memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gateway.campaigns.eligibility_schema import eligibility_schema
from gateway.profiles.profile import FEATURE_FIELDS
from gateway.profiles.synthetic import generate_population

CHUNK = 500_000
CONSENT_SHARE = 0.6
BANK_SCOPE_SHARE = 0.7


def synthetic_ref(index: int) -> str:
    """A made-up customer reference of the real format (``cus_`` + 64 hex)."""
    return "cus_" + hashlib.sha256(f"synthetic:{index}".encode()).hexdigest()


def _profiles_table(columns: dict[str, Any], refs: list[str]) -> pa.Table:
    data: dict[str, Any] = {"customer_ref": refs}
    for name in FEATURE_FIELDS:
        data[name] = columns[name]
    return pa.table(data)


def _eligibility_table(
    rng: np.random.Generator, refs: list[str], partners: Sequence[str], now: dt.datetime
) -> pa.Table:
    n = len(refs)
    keep = rng.random(n) < CONSENT_SHARE
    index = np.flatnonzero(keep)
    bank = rng.random(len(index)) < BANK_SCOPE_SHARE
    partner = np.array(partners, dtype=object)[rng.integers(0, len(partners), len(index))]
    partner_lists = [[] if b else [p] for b, p in zip(bank.tolist(), partner.tolist(), strict=True)]
    days_ago = rng.exponential(40.0, len(index))
    contacted = rng.random(len(index)) < 0.3
    last_contact = [
        now - dt.timedelta(days=float(d)) if c else None
        for d, c in zip(days_ago.tolist(), contacted.tolist(), strict=True)
    ]
    decided = rng.random(len(index)) < 0.1
    decision_days = rng.exponential(60.0, len(index))
    last_decision = [
        now - dt.timedelta(days=float(d)) if c else None
        for d, c in zip(decision_days.tolist(), decided.tolist(), strict=True)
    ]
    contacts = np.where(contacted & (days_ago < 30), rng.integers(1, 4, len(index)), 0)
    exposure = np.where(
        rng.random(len(index)) < 0.15, np.round(rng.gamma(2.0, 30000.0, len(index)), 2), 0.0
    )
    return pa.Table.from_pydict(
        {
            "customer_ref": [refs[i] for i in index.tolist()],
            "marketing_bank": bank.tolist(),
            "marketing_partners": partner_lists,
            "last_contact_at": last_contact,
            "last_decision_at": last_decision,
            "last_decision": ["declined" if d else None for d in decided.tolist()],
            "contacts_30d": contacts.astype(np.int32).tolist(),
            "exposure": [_money(e) for e in exposure.tolist()],
        },
        schema=eligibility_schema(),
    )


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def write_synthetic_inputs(
    count: int,
    directory: Path,
    *,
    partners: Sequence[str],
    seed: int = 7,
    now: dt.datetime,
) -> tuple[Path, Path]:
    """Write ``profiles.parquet`` and ``eligibility.parquet`` for ``count`` customers.

    Returns:
        The two paths.
    """
    directory.mkdir(parents=True, exist_ok=True)
    profiles_path = directory / "profiles.parquet"
    eligibility_path = directory / "eligibility.parquet"
    # Its own stream: the population is drawn from default_rng(seed + start).
    rng = np.random.default_rng([seed, 1])
    profiles_writer: pq.ParquetWriter | None = None
    with pq.ParquetWriter(eligibility_path, eligibility_schema()) as eligibility_writer:
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            columns, _ = generate_population(size, seed + start)
            refs = [synthetic_ref(i) for i in range(start, start + size)]
            table = _profiles_table(columns, refs)
            if profiles_writer is None:
                profiles_writer = pq.ParquetWriter(profiles_path, table.schema)
            profiles_writer.write_table(table)
            eligibility_writer.write_table(_eligibility_table(rng, refs, partners, now))
    if profiles_writer is not None:
        profiles_writer.close()
    return profiles_path, eligibility_path
