"""``score-batch`` file handling: read a profile CSV, score it, write the results.

Each output row carries the customer reference: the input's ``customer_ref``
column, or the keyed hash of its ``phone`` column (the raw phone is never
written), or else the 1-based row number.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from pathlib import Path
from typing import Any

from gateway.errors import ValidationFailed
from gateway.identity import normalise_phone
from gateway.scoring.batch import score_frame
from gateway.scoring.chunks import CHUNK_ROWS, csv_chunks
from gateway.scoring.frame import DataError


def score_csv(
    artefact: dict[str, Any], data: Path, out: Path, pepper: str, chunk_rows: int = CHUNK_ROWS
) -> dict[str, Any]:
    """Score every row of ``data`` into ``out``, ``chunk_rows`` rows at a time.

    Memory is bounded by the chunk: each is read, scored and written before
    the next is read, so a file of any length fits.

    Returns:
        ``rows``, ``model_version``, ``seconds`` and the share of rows per segment.

    Raises:
        DataError: unreadable input, or a phone that is not a phone number.
    """
    started = time.perf_counter()
    numeric = [f["name"] for f in artefact["features"] if f["type"] == "numeric"]
    segments = artefact.get("segments") or {}
    numeric += [n for n in segments.get("features", []) if "=" not in n]
    text = [f["name"] for f in artefact["features"] if f["type"] == "categorical"]
    text += [n.split("=", 1)[0] for n in segments.get("features", []) if "=" in n]
    rows = 0
    counts: Counter[str] = Counter()
    try:
        handle = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise DataError(f"{out}: cannot write ({type(exc).__name__})") from exc
    with handle:
        handle.write("customer_ref,score,pd,segment\n")
        for first_line, frame in csv_chunks(
            data, numeric, [*text, "customer_ref", "phone"], chunk_rows
        ):
            scores = score_frame(artefact, frame)
            if frame.has("customer_ref"):
                refs = frame.columns["customer_ref"].tolist()
            elif frame.has("phone"):
                refs = _hash_phones(frame.columns["phone"].tolist(), pepper, first_line)
            else:
                refs = [str(i) for i in range(rows + 1, rows + frame.rows + 1)]
            segment = scores.segment.tolist()
            lines = (
                f"{ref},{score},{pd:.6f},{seg}\n"
                for ref, score, pd, seg in zip(
                    refs, scores.score.tolist(), scores.pd.tolist(), segment, strict=True
                )
            )
            try:
                handle.writelines(lines)
            except OSError as exc:
                raise DataError(f"{out}: cannot write ({type(exc).__name__})") from exc
            counts.update(segment)
            rows += frame.rows
    if rows == 0:
        raise DataError(f"{data}: the data has no rows")
    return {
        "rows": rows,
        "model_version": artefact["version"],
        "seconds": round(time.perf_counter() - started, 3),
        "segments": {str(n): round(c / rows, 4) for n, c in sorted(counts.items())},
    }


def _hash_phones(phones: list[str], pepper: str, first_line: int = 2) -> list[str]:
    """:func:`gateway.identity.customer_ref` of each phone, at batch speed.

    The same HMAC-SHA256 of ``"phone:" + normalised phone`` keyed by the
    pepper, computed from precomputed inner and outer pads (RFC 2104) so each
    phone costs two hash copies; a phone already in E.164 form is not
    re-normalised. A test checks the result equals ``customer_ref``.
    """
    key = pepper.encode()
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    refs = []
    for line, phone in enumerate(phones, start=first_line):
        if not _is_e164(phone):
            try:
                phone = normalise_phone(phone)
            except ValidationFailed as exc:
                raise DataError(f"line {line}: phone is not a phone number") from exc
        digest = inner.copy()
        digest.update(b"phone:" + phone.encode())
        mac = outer.copy()
        mac.update(digest.digest())
        refs.append("cus_" + mac.hexdigest())
    return refs


def _is_e164(phone: str) -> bool:
    return 8 <= len(phone) <= 16 and phone[0] == "+" and phone[1] != "0" and phone[1:].isdigit()
