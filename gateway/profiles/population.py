"""Write a synthetic population to CSV, or turn it into rows for the profile table.

Generated phones are ``+86139`` plus eight digits, consecutive from an offset
drawn from the seed: unique within a population and never in the sandbox
persona range ``+86138000000xx`` (DESIGN §5), which the gateway handles itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from gateway.identity import customer_ref
from gateway.profiles.profile import FEATURE_FIELDS, FLAG_FIELDS, MONEY_FIELDS
from gateway.profiles.synthetic import Columns

TARGET_COLUMN = "defaulted"
_DECIMALS = {"employment_years": 1, "on_time_ratio": 3, "utilisation": 3}


def synthetic_phones(count: int, seed: int) -> list[str]:
    """``count`` distinct phone numbers for a population drawn with ``seed``."""
    offset = (seed * 104_729) % 10**8
    return [f"+86139{(offset + i) % 10**8:08d}" for i in range(count)]


def _text(name: str, values: npt.NDArray[Any]) -> npt.NDArray[np.str_]:
    if name in FLAG_FIELDS:
        return np.where(values.astype(bool), "1", "0")
    if values.dtype == object:
        return values.astype(np.str_)
    if np.issubdtype(values.dtype, np.integer):
        return values.astype(np.str_)
    places = 2 if name in MONEY_FIELDS else _DECIMALS.get(name, 2)
    text = np.char.mod(f"%.{places}f", values)
    return np.where(np.isnan(values), "", text)


def write_population_csv(
    path: Path, columns: Columns, defaulted: npt.NDArray[np.int_], seed: int
) -> None:
    """Write ``phone``, every profile feature and the true outcome ``defaulted``."""
    count = len(defaulted)
    header = ["phone", *FEATURE_FIELDS, TARGET_COLUMN]
    cells = [
        np.array(synthetic_phones(count, seed), dtype=np.str_),
        *(_text(name, columns[name]) for name in FEATURE_FIELDS),
        defaulted.astype(np.str_),
    ]
    lines = (",".join(row) for row in zip(*(c.tolist() for c in cells), strict=True))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        for chunk_start in range(0, count, 100_000):
            chunk = [next(lines) for _ in range(min(100_000, count - chunk_start))]
            handle.write("\n".join(chunk) + "\n")


def population_rows(
    columns: Columns, count: int, seed: int, pepper: str
) -> Iterator[dict[str, Any]]:
    """Rows for :func:`gateway.profiles.services.store_profiles`, phones hashed."""
    phones = synthetic_phones(count, seed)
    lists = {name: columns[name].tolist() for name in FEATURE_FIELDS}
    for i in range(count):
        row: dict[str, Any] = {
            "customer_ref": customer_ref(pepper, phones[i]),
            "id_number_hash": None,
        }
        for name in FEATURE_FIELDS:
            value = lists[name][i]
            if name in MONEY_FIELDS:
                value = Decimal(f"{value:.2f}")
            elif isinstance(value, float) and value != value:
                value = None
            row[name] = value
        yield row
