"""Appends racing on one shard keep its chain whole (threads, real commits, both backends).

The head row is taken ``FOR UPDATE`` (PostgreSQL; SQLite's ``BEGIN
IMMEDIATE`` takes the write lock) before the entry is hashed, and the entry's
INSERT moves the head in the same statement on PostgreSQL: whichever order
the appends commit in, every seq is used once and the chain verifies.
"""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.audit import services as audit
from gateway.audit.models import AuditEntry

THREADS = 6
APPENDS = 8


@pytest.mark.committing
def test_appends_racing_on_one_shard_keep_the_chain_whole(app: Flask, db_session: Session) -> None:
    database = app.extensions["gateway.db"]
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def append(worker: int) -> None:
        start.wait()
        try:
            for n in range(APPENDS):
                with database.new_session() as db:
                    db.info[audit._SHARD_KEY] = 0  # every append on one shard
                    audit.record(db, action="test.raced", subject=f"w{worker}-{n}")
                    db.commit()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=append, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    seqs = db_session.scalars(
        select(AuditEntry.seq).where(AuditEntry.shard == 0).order_by(AuditEntry.seq)
    ).all()
    assert list(seqs) == list(range(1, THREADS * APPENDS + 1))
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)) == len(seqs)
    report = audit.verify(db_session)
    assert report.ok, [f.describe() for f in report.findings]
