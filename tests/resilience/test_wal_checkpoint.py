"""A served SQLite gateway checkpoints its WAL in the background, not in a request's commit.

Writes made through ``gateway serve`` reach the database file itself within
moments, although far fewer pages were written than a commit's automatic
checkpoint waits for: a worker's checkpointer thread copied them. A copy of
the database file alone (without its ``-wal``) holds them.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx

from tests.resilience.conftest import consent_body


def _consents_in_file_alone(path: Path, copy: Path, ids: list[str]) -> int:
    shutil.copyfile(path, copy)  # the file only: what the log holds is not in the copy
    try:
        with sqlite3.connect(f"file:{copy}?immutable=1", uri=True) as conn:
            marks = ",".join("?" * len(ids))
            row = conn.execute(f"SELECT count(*) FROM consents WHERE id IN ({marks})", ids)
            found: int = row.fetchone()[0]
            return found
    except sqlite3.DatabaseError:  # copied in the middle of a checkpoint's write
        return -1


def test_served_writes_reach_the_database_file_without_waiting_for_a_commit_to_copy_them(
    gateway_process: Any, tmp_path: Path
) -> None:
    path = tmp_path / "served.db"
    gateway = gateway_process(f"sqlite:///{path}")
    gateway.prepare()
    gateway.start(workers=1)
    headers = {"Authorization": f"Bearer {gateway.token()}"}
    ids = []
    with httpx.Client(base_url=gateway.url, headers=headers, timeout=30) as http:
        for n in range(5):
            response = http.post("/v1/consents", json=consent_body(f"+86137{n:08d}"))
            assert response.status_code == 201, response.text
            ids.append(response.json()["consents"][0]["id"])
    assert (path.parent / "served.db-wal").exists()  # the writes went to the log first
    deadline = time.monotonic() + 10
    while (found := _consents_in_file_alone(path, tmp_path / "copy.db", ids)) != len(ids):
        assert time.monotonic() < deadline, f"{found} of {len(ids)} consents in the file"
        time.sleep(0.05)
