"""Record loan events (all or nothing, idempotent by event id) and keep servicing state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.clock import utcnow
from gateway.errors import Conflict, DomainError
from gateway.outcomes.events import LoanEventIn, field_errors
from gateway.outcomes.models import LoanEvent, LoanServicing
from gateway.outcomes.servicing import EventFacts, replay

_CHUNK = 500


class InvalidEvents(DomainError):
    """One or more events are invalid; nothing was recorded.

    ``errors`` maps ``(index, field)`` to the reason, ``index`` counting from 0.
    """

    code = "invalid_loan_events"
    kind = "invalid"
    title = "Invalid loan events"

    def __init__(self, errors: dict[tuple[int, str], str]) -> None:
        self.errors = dict(sorted(errors.items()))
        (index, name), reason = next(iter(self.errors.items()))
        super().__init__(f"event {index}: {name}: {reason}", field=f"events[{index}].{name}")


class EventConflict(Conflict):
    """An event id was already recorded with other content."""

    code = "loan_event_conflict"
    title = "Event id already used for another event"


@dataclass(frozen=True)
class Recorded:
    """What a batch did: events recorded, events already known, loans touched."""

    recorded: int
    duplicates: int
    loans: tuple[LoanServicing, ...]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def record_events(session: Session, events: Sequence[LoanEventIn], *, source: str) -> Recorded:
    """Validate a batch, store its new events, and replay the servicing of every loan touched.

    Args:
        session: the caller's session (flushed; the caller commits).
        events: the batch; valid or not as a whole.
        source: ``feed``, ``import`` or ``simulation``.

    Returns:
        Counts and the servicing rows of the loans the batch touched.

    Raises:
        InvalidEvents: a field breaks a rule, an application is unknown or not
            funded, or the batch repeats an id with other content.
        EventConflict: an id was recorded before with other content.
    """
    errors: dict[tuple[int, str], str] = {}
    seen: dict[str, str] = {}
    for index, event in enumerate(events):
        for name, reason in field_errors(event).items():
            errors[(index, name)] = reason
        digest = event.payload_hash()
        if seen.setdefault(event.id, digest) != digest:
            errors[(index, "id")] = "repeated in this batch with other content"
    app_ids = sorted({e.application_id for e in events})
    applications: dict[str, Application] = {}
    for chunk in _chunks(app_ids):
        rows = session.scalars(select(Application).where(Application.id.in_(chunk)))
        applications.update({row.id: row for row in rows})
    for index, event in enumerate(events):
        found = applications.get(event.application_id)
        if found is None:
            errors[(index, "application_id")] = "no such application"
        elif found.funded_at is None:
            errors[(index, "application_id")] = f"the application is {found.status}, not funded"
    if errors:
        raise InvalidEvents(errors)
    known: dict[str, str] = {}
    for chunk in _chunks(sorted(seen)):
        pairs = session.execute(
            select(LoanEvent.id, LoanEvent.payload_hash).where(LoanEvent.id.in_(chunk))
        )
        known.update((str(pair[0]), str(pair[1])) for pair in pairs)
    now = utcnow()
    fresh: list[LoanEventIn] = []
    for event in events:
        if event.id in known:
            if known[event.id] != seen[event.id]:
                raise EventConflict(f"event {event.id} was recorded with other content")
            continue
        known[event.id] = seen[event.id]
        fresh.append(event)
    session.add_all(
        LoanEvent(
            id=e.id,
            application_id=e.application_id,
            type=e.type,
            occurred_at=e.occurred_at,
            instalment=e.instalment,
            amount=e.amount,
            days_past_due=e.days_past_due,
            source=source,
            payload_hash=seen[e.id],
            received_at=now,
        )
        for e in fresh
    )
    session.flush()
    touched = sorted({e.application_id for e in fresh})
    loans = _replay_loans(session, touched, applications)
    return Recorded(len(fresh), len(events) - len(fresh), tuple(loans))


def _replay_loans(
    session: Session, app_ids: Sequence[str], applications: dict[str, Application]
) -> list[LoanServicing]:
    facts: dict[str, list[EventFacts]] = defaultdict(list)
    current: dict[str, LoanServicing] = {}
    for chunk in _chunks(app_ids):
        stored = session.scalars(select(LoanEvent).where(LoanEvent.application_id.in_(chunk)))
        for event in stored:
            facts[event.application_id].append(
                EventFacts(
                    event.id,
                    event.type,
                    event.occurred_at,
                    event.instalment,
                    event.amount,
                    event.days_past_due,
                )
            )
        rows = session.scalars(select(LoanServicing).where(LoanServicing.application_id.in_(chunk)))
        current.update({row.application_id: row for row in rows})
    now = utcnow()
    loans = []
    for app_id in app_ids:
        state = replay(facts[app_id])
        application = applications[app_id]
        assert application.funded_at is not None and state.last_event_at is not None
        row = current.get(app_id)
        if row is None:
            row = LoanServicing(
                application_id=app_id,
                prequalification_id=application.prequalification_id,
                partner_id=application.partner_id,
                environment=application.environment,
                funded_at=application.funded_at,
            )
            session.add(row)
        row.state = state.state
        row.days_past_due = state.days_past_due
        row.max_days_past_due = state.max_days_past_due
        row.first_60_at = state.first_60_at
        row.paid_instalments = state.paid_instalments
        row.paid_amount = state.paid_amount
        row.closed_at = state.closed_at
        row.last_event_at = state.last_event_at
        row.updated_at = now
        loans.append(row)
    session.flush()
    return loans
