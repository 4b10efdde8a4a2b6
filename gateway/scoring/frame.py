"""Columns read from a CSV file: numeric as float arrays with NaN, categorical as strings.

Training and batch scoring read the same way, so a value means the same thing
to both: an empty cell (or ``NA``, ``NaN``, ``null``) is missing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

MISSING_TOKENS = frozenset({"", "na", "nan", "null", "none"})

FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]


class DataError(ValueError):
    """The data file cannot be used; the message names the column or line."""


@dataclass(frozen=True)
class Frame:
    """Named columns of equal length."""

    columns: Mapping[str, np.ndarray]
    rows: int

    def numeric(self, name: str) -> FloatArray:
        """A column as floats (NaN where missing).

        Raises:
            DataError: the column is absent or holds a value that is not a number.
        """
        column = self._get(name)
        if column.dtype == np.float64:
            return column
        if column.dtype.kind in "biu":
            return column.astype(np.float64)
        values = np.array(column, dtype=np.str_)
        lowered = np.char.lower(np.char.strip(values))
        missing = np.isin(lowered, list(MISSING_TOKENS))
        # np.where widens the dtype: assigning "nan" into a 1-character column would truncate.
        values = np.where(missing, "nan", values)
        try:
            return values.astype(np.float64)
        except ValueError as exc:
            raise DataError(f"column {name}: holds a value that is not a number") from exc

    def categorical(self, name: str) -> ObjectArray:
        """A column as an object array of strings, ``None`` where missing."""
        column = self._get(name)
        if column.dtype == object:
            return column
        out = np.empty(self.rows, dtype=object)
        for i, value in enumerate(column.tolist()):
            if isinstance(value, float):
                out[i] = None if value != value else _number_text(value)
            else:
                text = str(value).strip()
                out[i] = None if text.lower() in MISSING_TOKENS else text
        return out

    def take(self, index: npt.NDArray[np.intp]) -> Frame:
        """The rows at ``index`` (for cross-validation folds)."""
        return Frame({k: v[index] for k, v in self.columns.items()}, len(index))

    def typed(self, kinds: Mapping[str, str]) -> Frame:
        """A copy with the named columns converted once (``numeric`` or ``categorical``)."""
        columns = dict(self.columns)
        for name, kind in kinds.items():
            columns[name] = self.numeric(name) if kind == "numeric" else self.categorical(name)
        return Frame(columns, self.rows)

    def has(self, name: str) -> bool:
        """Whether the column exists."""
        return name in self.columns

    def _get(self, name: str) -> np.ndarray:
        if name not in self.columns:
            raise DataError(f"column {name}: not in the data")
        return self.columns[name]


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def read_csv(path: Path, usecols: Iterable[str] | None = None) -> Frame:
    """Read a CSV file with a header row into string columns.

    Args:
        path: the file.
        usecols: only keep these columns (all when ``None``).

    Raises:
        DataError: unreadable, empty, ragged, or missing a wanted column.
    """
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise DataError(f"{path}: no header row")
            body = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: cannot read ({type(exc).__name__})") from exc
    return frame_from_rows(header, body, usecols)


def read_csv_fast(path: Path, numeric: Iterable[str], text: Iterable[str]) -> Frame:
    """Read a large, unquoted CSV: ``numeric`` columns parsed in C by ``np.loadtxt``.

    The ``text`` columns that exist come back as strings; other columns are
    not read. Files with quoted fields, or whose
    numeric columns do not parse, are read by :func:`read_csv` instead, whose
    errors name the column.

    Raises:
        DataError: as :func:`read_csv`.
    """
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({type(exc).__name__})") from exc
    return parse_csv_text(content, str(path), numeric, text)


def parse_csv_text(content: str, label: str, numeric: Iterable[str], text: Iterable[str]) -> Frame:
    """:func:`read_csv_fast` on CSV text (a whole file, or a header and some of its lines).

    Raises:
        DataError: as :func:`read_csv` (``label`` names the file).
    """
    header, _, body = content.partition("\n")
    names = [h.strip() for h in header.split(",")]
    wanted = [n for n in dict.fromkeys(numeric) if n in names]
    if '"' in content or "\r" in content or not body.strip() or len(wanted) != len(set(numeric)):
        return _read_csv_text(content, label)
    # Empty cells become "nan" so the C parser reads them as missing.
    body = ("\n" + body).replace("\n,", "\nnan,")
    body = body.replace(",,", ",nan,").replace(",,", ",nan,").replace(",\n", ",nan\n")
    body = body.strip("\n")
    if body.endswith(","):
        body += "nan"
    try:
        matrix = np.loadtxt(
            io.StringIO(body),
            delimiter=",",
            usecols=[names.index(n) for n in wanted],
            dtype=np.float64,
            ndmin=2,
        )
    except ValueError:
        return _read_csv_text(content, label)
    lines = body.split("\n")
    as_text = set(text)
    columns: dict[str, np.ndarray] = {n: matrix[:, i] for i, n in enumerate(wanted)}
    for index, name in enumerate(names):
        if name in as_text and name not in columns:
            cells = [line.split(",", index + 1)[index] for line in lines]
            columns[name] = np.array(cells, dtype=object)
    return Frame(columns, len(lines))


def _read_csv_text(content: str, label: str) -> Frame:
    try:
        reader = csv.reader(io.StringIO(content, newline=""))
        header = next(reader, None)
        if not header:
            raise DataError(f"{label}: no header row")
        body = list(reader)
    except csv.Error as exc:
        raise DataError(f"{label}: cannot read ({type(exc).__name__})") from exc
    return frame_from_rows(header, body)


def frame_from_rows(
    header: Sequence[str], body: Sequence[Sequence[str]], usecols: Iterable[str] | None = None
) -> Frame:
    """Build a :class:`Frame` from a header and string rows.

    Raises:
        DataError: a ragged row or a missing wanted column.
    """
    names = [h.strip() for h in header]
    wanted = list(names) if usecols is None else list(dict.fromkeys(usecols))
    for name in wanted:
        if name not in names:
            raise DataError(f"column {name}: not in the data")
    width = len(names)
    for line, row in enumerate(body, start=2):
        if len(row) != width:
            raise DataError(f"line {line}: {len(row)} fields, expected {width}")
    if not body:
        raise DataError("the data has no rows")
    transposed = list(zip(*body, strict=True))
    columns = {name: np.array(transposed[names.index(name)], dtype=np.str_) for name in wanted}
    return Frame(columns, len(body))


def target_vector(frame: Frame, column: str, bad: str) -> npt.NDArray[np.int_]:
    """1 where the target column equals ``bad``, else 0.

    Raises:
        DataError: the target is missing in some row or holds a single class.
    """
    values = frame.categorical(column)
    if any(v is None for v in values):
        raise DataError(f"column {column}: the target is missing in some rows")
    y = np.array([1 if v == bad else 0 for v in values], dtype=np.int_)
    if y.min() == y.max():
        raise DataError(f"column {column}: needs both bad ({bad!r}) and other outcomes")
    return y


def rows_without_flags(frame: Frame, flags: Iterable[str]) -> npt.NDArray[np.bool_]:
    """True for each row where every one of the 0/1 ``flags`` columns is 0 (missing counts as 0).

    Raises:
        DataError: a flag column is absent or not numeric.
    """
    keep = np.ones(frame.rows, dtype=np.bool_)
    for name in flags:
        values = frame.numeric(name)
        keep &= ~(np.nan_to_num(values) != 0)
    return keep
