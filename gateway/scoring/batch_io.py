"""``score-batch`` file handling: read a profile CSV, score it, write the results.

Each output row carries the customer reference: the input's ``customer_ref``
column, or the keyed hash of its ``phone`` column (the raw phone is never
written), or else the 1-based row number.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from gateway.errors import ValidationFailed
from gateway.identity import customer_ref
from gateway.scoring.batch import score_frame
from gateway.scoring.frame import DataError, read_csv


def score_csv(artefact: dict[str, Any], data: Path, out: Path, pepper: str) -> dict[str, Any]:
    """Score every row of ``data`` into ``out``.

    Returns:
        ``rows``, ``model_version``, ``seconds`` and the share of rows per segment.

    Raises:
        DataError: unreadable input, or a phone that is not a phone number.
    """
    started = time.perf_counter()
    frame = read_csv(data)
    scores = score_frame(artefact, frame)
    if frame.has("customer_ref"):
        refs = frame.columns["customer_ref"].tolist()
    elif frame.has("phone"):
        refs = _hash_phones(frame.columns["phone"].tolist(), pepper)
    else:
        refs = [str(i) for i in range(1, frame.rows + 1)]
    pd_text = np.char.mod("%.6f", scores.pd).tolist()
    lines = (
        f"{ref},{score},{pd},{segment}"
        for ref, score, pd, segment in zip(
            refs, scores.score.tolist(), pd_text, scores.segment.tolist(), strict=True
        )
    )
    try:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.write("customer_ref,score,pd,segment\n")
            handle.write("\n".join(lines))
            handle.write("\n")
    except OSError as exc:
        raise DataError(f"{out}: cannot write ({type(exc).__name__})") from exc
    names, counts = np.unique(scores.segment.astype(str), return_counts=True)
    return {
        "rows": frame.rows,
        "model_version": artefact["version"],
        "seconds": round(time.perf_counter() - started, 3),
        "segments": {
            str(n): round(int(c) / frame.rows, 4) for n, c in zip(names, counts, strict=True)
        },
    }


def _hash_phones(phones: list[str], pepper: str) -> list[str]:
    refs = []
    for line, phone in enumerate(phones, start=2):
        try:
            refs.append(customer_ref(pepper, phone))
        except ValidationFailed as exc:
            raise DataError(f"line {line}: phone is not a phone number") from exc
    return refs
