"""``gateway reviews``: the human-review queue for bank staff (docs/reviews.md)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from gateway import clock
from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.config import Settings
from gateway.errors import DomainError, ValidationFailed
from gateway.reviews import services
from gateway.reviews.decisions import Decision
from gateway.reviews.dossier import dossier
from gateway.reviews.models import STATUSES
from gateway.reviews.presenters import case_json
from gateway.reviews.reasons import REASONS
from gateway.reviews.staff import decide_as_staff, staff_reviewer
from gateway.sessions import get_database

reviews_group = AppGroup("reviews", help="The human-review queue: list, show, claim, decide.")
_ALL_REASONS = sorted({code for catalogue in REASONS.values() for code in catalogue})


def _fail(exc: DomainError) -> click.ClickException:
    """A domain error as a one-line CLI error: bad input is exit 2, the rest exit 1."""
    detail = exc.detail
    if isinstance(exc, ValidationFailed):
        detail = "; ".join(f"--{k.replace('_', '-')}: {v}" for k, v in sorted(exc.errors.items()))
    if exc.kind in ("invalid", "not_found", "conflict"):
        return InvalidInput(f"{exc.code}: {detail}")
    return CommandFailed(f"{exc.code}: {detail}")


def _issuer() -> str:
    settings: Settings = current_app.extensions["gateway.settings"]
    return settings.issuer or "http://localhost"


def _print(data: Any, as_json: bool, line: str) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=str) if as_json else line)


@reviews_group.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES))
@click.option("--overdue", is_flag=True, help="Only pending cases past their due time.")
@click.option("--partner", "partner_id", help="Only this partner's cases.")
@click.option("--json", "as_json", is_flag=True)
def list_command(
    statuses: tuple[str, ...], overdue: bool, partner_id: str | None, as_json: bool
) -> None:
    """Review cases, the earliest due first."""
    now = clock.utcnow()
    with get_database().new_session() as db:
        rows = [
            case_json(c, now)
            for c in services.list_cases(
                db, statuses=statuses, overdue=overdue, partner_id=partner_id, now=now
            )
        ]
    if as_json:
        click.echo(json.dumps({"data": rows}, ensure_ascii=False))
        return
    for row in rows:
        flag = "OVERDUE" if row["overdue"] else ""
        click.echo(
            f"{row['id']}  {row['partner_id']}/{row['environment']}  {row['kind']:<16} "
            f"{row['status']:<9} due {row['due_at']}  {row['reviewer'] or '-'}  {flag}".rstrip()
        )
    click.echo(f"{len(rows)} case(s)")


@reviews_group.command("show")
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help="JSON (the default output is JSON too).")
def show_command(case_id: str, as_json: bool) -> None:
    """The dossier of a case: decision, inputs, factors, rules, affordability, consent, audit."""
    from gateway.scoring.registry import active_scorer

    now = clock.utcnow()
    with get_database().new_session() as db:
        try:
            case = services.get_case(db, case_id)
        except DomainError as exc:
            raise _fail(exc) from None
        document = dossier(db, case, now, active_scorer(db))
    click.echo(json.dumps(document, ensure_ascii=False, indent=None if as_json else 2, default=str))


@reviews_group.command("claim")
@click.argument("case_id")
@click.option(
    "--reviewer", required=True, help="Your console user's e-mail (a role holding reviews.decide)."
)
@click.option("--json", "as_json", is_flag=True)
def claim_command(case_id: str, reviewer: str, as_json: bool) -> None:
    """Take a case: it is in review by you until you decide it."""
    with get_database().new_session() as db:
        try:
            case = services.claim(db, case_id, staff_reviewer(db, reviewer))
            db.commit()
        except DomainError as exc:
            raise _fail(exc) from None
        row = case_json(case, clock.utcnow())
    _print(row, as_json, f"{row['id']} in review by {row['reviewer']}")


def _tenors(value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput("--tenors must be months separated by commas, e.g. 6,12") from None


def _amount(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise InvalidInput("--amount must be a decimal amount, e.g. 3999.00") from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("--amount must be a positive amount with at most two decimals")
    return amount


@reviews_group.command("decide")
@click.argument("case_id")
@click.option("--outcome", required=True, type=click.Choice(["approve", "uphold"]))
@click.option("--note", required=True, help="What you checked and why (stays inside the bank).")
@click.option(
    "--reason",
    "reasons",
    multiple=True,
    required=True,
    type=click.Choice(_ALL_REASONS),
    help="A reason code the customer is told (repeat for several).",
)
@click.option("--amount", help="Approve: the principal (default: the most affordable up to asked).")
@click.option("--tenors", help="Approve: months, e.g. 6,12 (default: every affordable tenor).")
@click.option(
    "--grade", help="Approve: the risk grade A-E prices follow (default: the decision's)."
)
@click.option(
    "--reviewer", required=True, help="Your console user's e-mail (a role holding reviews.decide)."
)
@click.option(
    "--second-reviewer",
    help="A second, different console reviewer (large approvals; or an approved review-overturn).",
)
@click.option("--json", "as_json", is_flag=True)
def decide_command(
    case_id: str,
    outcome: str,
    note: str,
    reasons: tuple[str, ...],
    amount: str | None,
    tenors: str | None,
    grade: str | None,
    reviewer: str,
    second_reviewer: str | None,
    as_json: bool,
) -> None:
    """Approve (new signed offers) or uphold (the decision stands); the partner hears back."""
    if outcome == "uphold" and (amount or tenors or grade):
        raise InvalidInput("--amount, --tenors and --grade are for --outcome approve only")
    decision = Decision(
        outcome="approve" if outcome == "approve" else "uphold",
        note=note,
        reason_codes=list(reasons),
        reviewer=reviewer,
        second_reviewer=second_reviewer,
        amount=_amount(amount),
        tenors=_tenors(tenors),
        grade=grade,
    )
    with get_database().new_session() as db:
        try:
            decided = decide_as_staff(db, case_id, decision, issuer=_issuer())
            db.commit()
        except DomainError as exc:
            db.rollback()
            raise _fail(exc) from None
        row = case_json(decided.case, clock.utcnow()) | {"offers": [o.id for o in decided.offers]}
    _print(
        row,
        as_json,
        f"{row['id']} {row['outcome']} by {row['reviewer']}"
        + (f": {len(row['offers'])} new offer(s)" if row["offers"] else ""),
    )


COMMANDS = (reviews_group,)
