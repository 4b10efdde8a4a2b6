"""What the risk controls add to one prequalification (SQLite, populated tables).

The target (issue 17): the velocity and identity rules cost at most 0.3 ms
per prequalification. Measured on a database holding 60,000 observations of
20,000 customers (the windows' index range scans) and 6,000 applications
(the exposure sum across partners), with every rule of
``partner_configs/risk_rules.yaml`` configured: the reads
(:func:`gateway.risk.services.check`: exposure, one statement for every
window, the bank's ID record, the pure evaluation) and the write of the
observation the next windows count.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from benchmarks import Figure

CALLS = 2000
CUSTOMERS = 20_000
OBSERVATIONS = 60_000
APPLICATIONS = 6_000


def _populate(database: object, now: dt.datetime) -> None:
    from gateway.applications.models import Application
    from gateway.db import Database, table_of
    from gateway.risk.models import RiskObservation

    assert isinstance(database, Database)
    rng = random.Random(17)
    observations = [
        {
            "environment": "live",
            "partner_id": rng.choice(("demo-mall", "demo-travel", "demo-academy")),
            "customer_ref": f"cus_{rng.randrange(CUSTOMERS):064d}",
            "id_number_hash": f"idh_{rng.randrange(CUSTOMERS):064d}",
            "device_hash": f"dvh_{rng.randrange(CUSTOMERS * 2):064d}",
            "ip_hash": None,
            "prequalification_id": None,
            "created_at": now - dt.timedelta(seconds=rng.randrange(40 * 86400)),
        }
        for _ in range(OBSERVATIONS)
    ]
    applications = [
        {
            "id": f"app_{i:020d}",
            "offer_id": f"off_{i:020d}",
            "prequalification_id": f"pq_{i:020d}",
            "partner_id": "demo-mall",
            "environment": "live",
            "customer_ref": f"cus_{rng.randrange(CUSTOMERS):064d}",
            "credit_inquiry_consent_id": "cns_x",
            "status": rng.choice(("submitted", "approved", "funded", "declined")),
            "currency": "CNY",
            "principal": Decimal("3999.00"),
            "underwriting_decision": None,
            "decision_reasons": [],
            "funded_amount": None,
            "outstanding_principal": Decimal("2100.00"),
            "refunded_amount": Decimal("0.00"),
            "schedule": None,
            "cancel_reason": None,
            "created_at": now,
            "updated_at": now,
            "review_started_at": None,
            "decided_at": None,
            "funded_at": None,
            "cancelled_at": None,
        }
        for i in range(APPLICATIONS)
    ]
    # A plain engine: SQLite leaves foreign keys off (applications without their offers).
    plain = create_engine(database.url)
    with plain.begin() as conn:
        conn.execute(insert(table_of(RiskObservation)), observations)
        conn.execute(insert(table_of(Application)), applications)
        conn.execute(text("ANALYZE"))
    plain.dispose()


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run() -> list[Figure]:
    """CPU milliseconds per prequalification for each part of the risk controls.

    CPU time (``time.thread_time``), not wall time: on a shared machine the
    wall clock measures the neighbours; the median of 2,000 calls each.
    """
    from gateway.db import Database
    from gateway.migrations import upgrade
    from gateway.risk import services as risk
    from gateway.risk.exposure import customer_exposure
    from gateway.risk.loader import load_rules
    from gateway.risk.rules import Subject, count_windows, evaluate

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='gateway-bench-risk-')) / 'gateway.db'}"
    upgrade(url)
    database = Database(url)
    now = dt.datetime.now(dt.UTC)
    _populate(database, now)
    rules = load_rules(Path(__file__).resolve().parent.parent / "partner_configs").rules
    cap = rules.exposure.cap_per_customer
    rng = random.Random(3)
    session = database.sessionmaker()
    clock = time.thread_time
    parts: dict[str, list[float]] = {"rules": [], "record": [], "exposure": [], "wall": []}
    for i in range(CALLS):
        n = rng.randrange(CUSTOMERS)
        subject = Subject(
            "live", "demo-mall", f"cus_{n:064d}", f"idh_{n:064d}", f"dvh_{n:064d}", None
        )
        wall = time.perf_counter()
        started = clock()
        evaluate(rules, subject, count_windows(session, rules, subject, now))
        ruled = clock()
        found = risk.RiskCheck((), customer_exposure(session, subject.customer_ref, "live", cap))
        exposed = clock()
        risk.record(session, subject, [], subject_id=f"pq_{i}", actor="bench", now=now, found=found)
        session.flush()
        ended = clock()
        parts["wall"].append(time.perf_counter() - wall)
        if i % 50 == 49:
            session.commit()
        parts["rules"].append(ruled - started)
        parts["exposure"].append(exposed - ruled)
        parts["record"].append(ended - exposed)
    session.commit()
    connection = session.connection()
    one = text("SELECT 1")
    baseline: list[float] = []
    for _ in range(CALLS):
        started = clock()
        connection.execute(one).scalar()
        baseline.append(clock() - started)
    session.close()
    database.dispose()
    rules_ms = _ms(parts["rules"]) + _ms(parts["record"])
    return [
        Figure("risk rules: every window + ID record, evaluated (CPU)", _ms(parts["rules"]), "ms"),
        Figure("risk rules: the observation insert (CPU)", _ms(parts["record"]), "ms"),
        Figure("risk rules per prequalification (CPU)", rules_ms, "ms", "≤ 0.3"),
        Figure("exposure across partners (CPU)", _ms(parts["exposure"]), "ms"),
        Figure("all risk controls per prequalification (wall, median)", _ms(parts["wall"]), "ms"),
        Figure("for scale: SELECT 1 on the same connection (CPU)", _ms(baseline), "ms"),
    ]
