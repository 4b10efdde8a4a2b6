"""The audit log: recent entries, and a verification of every shard's chain."""

from __future__ import annotations

from typing import Any

from flask import render_template

from gateway.audit import services as audit
from gateway.ops import reads
from gateway.ops.auth import requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.forms import ActionForm
from gateway.sessions import session as db_session

nav("nav.audit", "console.audit", "audit.read", order=60)


@bp.get("/audit", endpoint="audit")
@requires("audit.read")
def audit_page() -> str:
    """The latest entries."""
    return _render(None)


def _render(result: Any) -> str:
    entries = reads.recent_audit(db_session())
    return render_template("ops/audit/list.html", entries=entries, result=result, form=ActionForm())


@bp.post("/audit/verify")
@requires("audit.read")
def verify() -> str:
    """Walk every shard's chain and show the first break in each."""
    return _render(audit.verify(db_session()))
