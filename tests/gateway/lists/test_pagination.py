"""Every list walks 250 objects in pages of 100 and of 7, both ways, with no gap or repeat.

Other tenants' objects (another partner, the same partner's other
environment) are interleaved in time and never appear. A page costs the same
number of statements at 7 and at 100 objects (counted with a SQLAlchemy
event listener).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from gateway.applications.models import Application, Refund
from gateway.prequal.models import Prequalification
from gateway.webhooks.models import WebhookEvent
from tests.gateway.lists import rows

COUNT = 250
OTHERS = (("demo-travel", "sandbox"), ("demo-mall", "live"))
MINE = ("demo-mall", "sandbox")


def _seed_prequalifications(db: Session) -> str:
    for i in range(COUNT):
        rows.prequalification(db, *MINE, rows.moment(i))
        rows.prequalification(db, *OTHERS[i % 2], rows.moment(i))
    return "/v1/prequalifications"


def _seed_applications(db: Session) -> str:
    for i in range(COUNT):
        for tenant in (MINE, OTHERS[i % 2]):
            rows.application(db, rows.prequalification(db, *tenant, rows.moment(i)), rows.moment(i))
    return "/v1/applications"


def _seed_refunds(db: Session) -> str:
    pq = rows.prequalification(db, *MINE, rows.BASE)
    mine = rows.application(db, pq, rows.BASE, status="funded", principal=Decimal("99999.00"))
    sibling = rows.application(db, rows.prequalification(db, *MINE, rows.BASE), rows.BASE)
    for i in range(COUNT):
        rows.refund(db, mine, rows.moment(i), Decimal("1.00"))
        rows.refund(db, sibling, rows.moment(i), Decimal("1.00"))
    return f"/v1/applications/{mine.id}/refunds"


def _seed_events(db: Session) -> str:
    for i in range(COUNT):
        rows.webhook_event(db, *MINE, rows.moment(i))
        rows.webhook_event(db, *OTHERS[i % 2], rows.moment(i))
    return "/v1/webhook-events"


SEEDS: dict[str, tuple[Callable[[Session], str], Any]] = {
    "prequalifications": (_seed_prequalifications, Prequalification),
    "applications": (_seed_applications, Application),
    "refunds": (_seed_refunds, Refund),
    "webhook-events": (_seed_events, WebhookEvent),
}


@pytest.fixture(autouse=True)
def _no_rate_limit(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk in pages of 7 is 80 quick requests; demo-mall allows 50 a second."""
    counters = app.extensions["gateway.v1_counters"]
    monkeypatch.setattr(counters, "hit", lambda key, windows: [])


def expected_order(db: Session, model: Any, path: str) -> list[str]:
    """The tenant's ids in the database's own newest-first order (its collation decides ties)."""
    statement = select(model.id).order_by(model.created_at.desc(), model.id.desc())
    if model is Refund:
        statement = statement.where(Refund.application_id == path.split("/")[3])
    else:
        statement = statement.where(model.partner_id == MINE[0], model.environment == MINE[1])
    return list(db.scalars(statement))


def walk_forward(api: Any, path: str, limit: int) -> list[str]:
    """Every id, following ``starting_after`` from the newest page."""
    seen: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    while True:
        response = api.get(path, query_string=params)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["object"] == "list" and body["url"] == path
        page = [item["id"] for item in body["data"]]
        assert len(page) <= limit
        seen += page
        if not body["has_more"]:
            return seen
        params = {"limit": limit, "starting_after": page[-1]}


def walk_backward(api: Any, path: str, limit: int, oldest: str) -> list[str]:
    """Every id newer than ``oldest``, following ``ending_before`` towards the newest."""
    seen: list[str] = []
    params: dict[str, Any] = {"limit": limit, "ending_before": oldest}
    while True:
        response = api.get(path, query_string=params)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        page = [item["id"] for item in body["data"]]
        seen = page + seen
        if not body["has_more"]:
            return seen
        params = {"limit": limit, "ending_before": page[0]}


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    statements: list[str] = []
    engine = app.extensions["gateway.db"].engine

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_250_objects_walk_both_ways_in_pages_of_100_and_7_without_gap_or_repeat(
    app: Flask, db_session: Session, partner_api: Any, kind: str
) -> None:
    seed, model = SEEDS[kind]
    path = seed(db_session)
    db_session.commit()
    expected = expected_order(db_session, model, path)
    assert len(expected) == COUNT
    api = partner_api(*MINE)
    for limit in (100, 7):
        assert walk_forward(api, path, limit) == expected
        assert walk_backward(api, path, limit, expected[-1]) == expected[:-1]


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_a_page_costs_the_same_statements_at_7_and_at_100(
    app: Flask, db_session: Session, partner_api: Any, kind: str
) -> None:
    seed, model = SEEDS[kind]
    path = seed(db_session)
    db_session.commit()
    expected = expected_order(db_session, model, path)
    api = partner_api(*MINE)
    api.get(path)  # token, partner config and caches warmed
    counts = {}
    for limit in (7, 100):
        for cursor in ({}, {"starting_after": expected[3]}, {"ending_before": expected[2]}):
            with counted(app) as statements:
                response = api.get(path, query_string={"limit": limit, **cursor})
            assert response.status_code == 200
            assert len(response.get_json()["data"]) == (2 if "ending_before" in cursor else limit)
            counts[(limit, tuple(cursor))] = len(statements)
    for cursor in ((), ("starting_after",), ("ending_before",)):
        assert counts[(7, cursor)] == counts[(100, cursor)], counts
    assert max(counts.values()) <= 10, counts  # token check, savepoints, cursor, page
