"""A CSV file in chunks of rows, each parsed like :func:`gateway.scoring.frame.read_csv_fast`.

``score-batch`` reads its input this way so its memory stays bounded by the
chunk, not the file: four million rows are read ``CHUNK_ROWS`` at a time. A
quoted field that spans lines is never split: a chunk whose quotes are
unbalanced takes the next lines until they balance.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from gateway.scoring.frame import DataError, Frame, parse_csv_text

CHUNK_ROWS = 100_000


def csv_chunks(
    path: Path, numeric: Iterable[str], text: Iterable[str], rows: int = CHUNK_ROWS
) -> Iterator[tuple[int, Frame]]:
    """Each chunk's first line number (the header is line 1) and its columns.

    Raises:
        DataError: unreadable, no header, or a chunk that does not parse.
    """
    numeric, text = list(numeric), list(text)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            header = handle.readline()
            if not header.strip():
                raise DataError(f"{path}: no header row")
            line = 2
            while True:
                lines = list(islice(handle, rows))
                if not lines:
                    return
                while sum(chunk.count('"') for chunk in lines) % 2:
                    extra = handle.readline()
                    if not extra:
                        break
                    lines.append(extra)
                if not "".join(lines).strip():
                    return
                yield line, parse_csv_text(header + "".join(lines), str(path), numeric, text)
                line += len(lines)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({type(exc).__name__})") from exc
