"""Decision search by decision id, ``cus_…`` reference or phone number.

The search is a POST: a phone number never appears in a URL (or an access
log). It is normalised and turned into the customer reference with the
identity HMAC on the server, used for the query, and dropped; the page never
echoes it back. Viewers search by decision id only and see references masked.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template

from gateway.audit.services import record as audit
from gateway.errors import ValidationFailed
from gateway.identity import customer_ref
from gateway.ops import reads
from gateway.ops.auth import me, requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.forms import DecisionSearchForm
from gateway.prequal.records import decisions_of_customer
from gateway.sessions import session as db_session

nav("nav.decisions", "console.decisions", "console.read", order=30)


def _row(pq: Any) -> dict[str, Any]:
    return {
        "id": pq.id,
        "partner_id": pq.partner_id,
        "environment": pq.environment,
        "decided_at": pq.created_at.isoformat(),
        "decision": pq.status,
        "grade": pq.grade,
        "model_version": pq.model_version,
        "requested_amount": str(pq.requested_amount),
        "reasons": [r["code"] for r in pq.reasons],
        "customer_ref": pq.customer_ref,
    }


def _search(query: str) -> list[dict[str, Any]]:
    db = db_session()
    if query.startswith("pq_"):
        found = reads.decision(db, query)
        return [_row(found)] if found is not None else []
    if not me().can("identifiers.read"):
        abort(403)
    if query.startswith("cus_"):
        ref = query
    else:
        pepper = current_app.extensions["gateway.settings"].identifier_pepper
        try:
            ref = customer_ref(pepper, query)
        except ValidationFailed:
            return []
    rows = [{**row, "customer_ref": ref} for row in decisions_of_customer(db, ref)]
    # Who looked a customer up is on record (the reference, never the phone number).
    audit(
        db,
        action="ops.customer_searched",
        actor=f"ops:{me().email}",
        subject=ref,
        data={"by": "reference" if query.startswith("cus_") else "phone", "found": len(rows)},
    )
    db.commit()
    return rows


@bp.route("/decisions", methods=["GET", "POST"], endpoint="decisions")
@requires("console.read")
def decisions_page() -> Any:
    """The search form, and its results."""
    form = DecisionSearchForm()
    rows: list[dict[str, Any]] | None = None
    if form.validate_on_submit():
        rows = _search(form.query.data.strip())
        form.query.data = ""  # never echo a phone number back
    masked = not me().can("identifiers.read")
    return render_template("ops/decisions/search.html", form=form, rows=rows, masked=masked)
