"""How a review looks to the partner (``human_review`` on a prequalification) and to staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.clock import rfc3339
from gateway.reviews.reasons import SUMMARY, reason_by_code

REVIEWABLE_STATUSES = ("declined", "partially_approved", "referred")


def human_review_view(pq: Any, case: Any | None, locale: str) -> dict[str, Any]:
    """The partner's view of a decision's review: never the note, never the reviewer.

    Args:
        pq: the prequalification (row or attribute view).
        case: its review case, if one was opened.
        locale: ``en`` or ``zh-CN`` for ``message`` and ``reasons``.
    """
    key = "zh-CN" if locale.lower().startswith("zh") else "en"
    view: dict[str, Any] = {
        "available": pq.status in REVIEWABLE_STATUSES,
        "requested_at": pq.human_review_requested_at,
        "kind": None,
        "status": None,
        "due_at": None,
        "decided_at": None,
        "outcome": None,
        "message": None,
        "reasons": [],
    }
    if case is None:
        return view
    summary = SUMMARY.get(case.outcome or ("withdrawn" if case.status == "withdrawn" else ""))
    reasons = [r for r in (reason_by_code(c) for c in case.reason_codes) if r is not None]
    message = None
    if summary is not None:
        message = " ".join([summary.message(key), *(r.message(key) for r in reasons)])
    return view | {
        "requested_at": pq.human_review_requested_at or case.created_at,
        "kind": case.kind,
        "status": case.status,
        "due_at": case.due_at,
        "decided_at": case.decided_at,
        "outcome": case.outcome,
        "message": message,
        "reasons": [{"code": r.code, "message": r.message(key), "locale": key} for r in reasons],
    }


def _when(value: dt.datetime | None) -> str | None:
    return rfc3339(value) if value is not None else None


def case_json(case: Any, now: dt.datetime) -> dict[str, Any]:
    """A case as the CLI (and the console) list it."""
    return {
        "id": case.id,
        "prequalification_id": case.prequalification_id,
        "partner_id": case.partner_id,
        "environment": case.environment,
        "kind": case.kind,
        "status": case.status,
        "overdue": case.overdue_at(now),
        "reviewer": case.reviewer,
        "second_reviewer": case.second_reviewer,
        "created_at": _when(case.created_at),
        "due_at": _when(case.due_at),
        "claimed_at": _when(case.claimed_at),
        "decided_at": _when(case.decided_at),
        "withdrawn_at": _when(case.withdrawn_at),
        "outcome": case.outcome,
        "reason_codes": list(case.reason_codes),
        "note": case.note,
        "approved_amount": f"{case.approved_amount:.2f}" if case.approved_amount else None,
        "decision": case.decision,
    }
