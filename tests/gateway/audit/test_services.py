"""The audit log detects altered, deleted and reordered entries, and names them."""

from __future__ import annotations

import itertools
import json

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.audit.services import record, release_shard, verify


@pytest.fixture
def chain(db_session: Session) -> list[AuditEntry]:
    """Six entries in one shard, committed (inside the test's transaction)."""
    entries = [
        record(
            db_session,
            action="consent.granted",
            partner_id="demo-mall",
            environment="sandbox",
            subject=f"cns_{i}",
            data={"purpose": "prequalification"},
        )
        for i in range(6)
    ]
    db_session.commit()
    release_shard(db_session)
    return entries


def _verify_cli(runner: FlaskCliRunner) -> tuple[int, dict[str, object]]:
    result = runner.invoke(args=["audit", "verify", "--json"])
    return result.exit_code, json.loads(result.output.splitlines()[0])


def test_untouched_log_verifies(chain: list[AuditEntry], runner: FlaskCliRunner) -> None:
    code, report = _verify_cli(runner)
    assert code == 0
    assert report["ok"] is True
    assert report["entries"] == 6


def test_entries_link_to_their_predecessor(chain: list[AuditEntry]) -> None:
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.chain_hash
        assert after.seq == before.seq + 1


def test_edited_row_is_named(
    chain: list[AuditEntry], db_session: Session, runner: FlaskCliRunner
) -> None:
    target = chain[2]
    db_session.execute(
        update(AuditEntry).where(AuditEntry.id == target.id).values(subject="cns_forged")
    )
    db_session.commit()
    code, report = _verify_cli(runner)
    assert code == 1
    finding = report["findings"][0]  # type: ignore[index]
    assert finding["entry_id"] == target.id
    assert "altered" in finding["problem"]


def test_deleted_row_is_named(
    chain: list[AuditEntry], db_session: Session, runner: FlaskCliRunner
) -> None:
    db_session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": chain[3].id})
    db_session.commit()
    code, report = _verify_cli(runner)
    assert code == 1
    finding = report["findings"][0]  # type: ignore[index]
    assert finding["seq"] == chain[3].seq
    assert "deleted" in finding["problem"]


def test_deleted_last_row_is_detected(
    chain: list[AuditEntry], db_session: Session, runner: FlaskCliRunner
) -> None:
    db_session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": chain[-1].id})
    db_session.commit()
    code, report = _verify_cli(runner)
    assert code == 1
    assert "deleted at the end" in report["findings"][0]["problem"]  # type: ignore[index]


def test_reordered_rows_are_named(
    chain: list[AuditEntry], db_session: Session, runner: FlaskCliRunner
) -> None:
    (first_id, first_seq), (second_id, second_seq) = ((e.id, e.seq) for e in chain[1:3])
    for entry_id, seq in ((first_id, -1), (second_id, first_seq), (first_id, second_seq)):
        db_session.execute(update(AuditEntry).where(AuditEntry.id == entry_id).values(seq=seq))
    db_session.commit()
    code, report = _verify_cli(runner)
    assert code == 1
    finding = report["findings"][0]  # type: ignore[index]
    assert finding["entry_id"] == second_id
    assert finding["seq"] == first_seq


def test_human_readable_failure_names_the_row(
    chain: list[AuditEntry], db_session: Session, runner: FlaskCliRunner
) -> None:
    db_session.execute(
        update(AuditEntry).where(AuditEntry.id == chain[0].id).values(data={"purpose": "x"})
    )
    db_session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry id {chain[0].id}" in result.output


def test_one_transaction_appends_to_one_shard(db_session: Session) -> None:
    entries = [record(db_session, action="x.y", subject=str(i)) for i in range(5)]
    assert len({e.shard for e in entries}) == 1
    db_session.commit()
    report = verify(db_session)
    assert report.ok
    count = len(list(db_session.scalars(select(AuditEntry))))
    assert report.entries == count
