"""The model page: the monitoring report inside the console (CSP-safe), the model versions,
and activation through four eyes (requested by one risk officer, approved by another)."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.orm import Session

from gateway.approvals import services as approvals
from gateway.scoring.artefact import bundled_version
from gateway.scoring.registry import active_version
from tests.gateway.ops.conftest import Console


def test_every_role_reads_the_report_and_the_versions(
    signed_in: Callable[[str], Console],
) -> None:
    response = signed_in("viewer").get("/ops/model?since=7d")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for section in ("Stability", "Mix", "Calibration by score band", "Vintages", "Shadow"):
        assert section in page, section
    assert page.count("<svg") >= 3 and 'aria-label="CSI by characteristic"' in page
    assert "<script" not in page and not re.search(r"\sstyle=", page)  # CSP: no inline style
    version = bundled_version()
    assert f'data-version="{version}" data-active="true"' in page
    assert "Request activation" not in page  # viewers have no such button
    assert "Content-Security-Policy" in response.headers


def test_activation_is_requested_by_one_risk_officer_and_approved_by_another(
    signed_in: Callable[[str], Console], db_session: Session
) -> None:
    version = bundled_version()
    first, second = signed_in("risk_officer"), signed_in("risk_officer")
    refused = first.post("/ops/model/activate", {"version": version})
    assert refused.status_code == 409 and "needs an approved" in refused.get_data(as_text=True)
    assert first.post("/ops/model/request-activation", {"version": version}).status_code == 302
    unknown = first.post("/ops/model/request-activation", {"version": "no-such-model"})
    assert unknown.status_code == 400
    (request,) = approvals.pending(db_session, "model-activation", version)
    assert request.requested_by == first.staff.email  # type: ignore[attr-defined]
    assert first.post(f"/ops/approvals/{request.id}/approve").status_code == 403
    assert second.post(f"/ops/approvals/{request.id}/approve").status_code == 302
    page = first.get("/ops/model").get_data(as_text=True)
    assert 'data-activation="approved"' in page
    assert first.post("/ops/model/activate", {"version": version}).status_code == 302
    db_session.expire_all()
    assert active_version(db_session) == version
    assert approvals.get(db_session, request.id).status == "used"


def test_viewers_and_operators_cannot_request_or_activate(
    signed_in: Callable[[str], Console],
) -> None:
    for role in ("viewer", "operator", "compliance"):
        console = signed_in(role)
        for action in ("/ops/model/request-activation", "/ops/model/activate"):
            assert console.post(action, {"version": bundled_version()}).status_code == 403
