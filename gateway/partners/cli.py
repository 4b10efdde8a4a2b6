"""``gateway partners validate | apply | list | show | suspend | resume``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from gateway.cli.errors import CommandFailed, InvalidInput
from gateway.errors import NotFound
from gateway.partners import services
from gateway.partners.loader import LoadedConfigs, load_directory
from gateway.sessions import get_database

partners_group = AppGroup("partners", help="The partner registry (partner_configs/).")

_DIR = click.Path(file_okay=False, path_type=Path)


def _load_or_fail(directory: Path) -> LoadedConfigs:
    loaded = load_directory(directory)
    if not loaded.ok:
        for problem in loaded.problems:
            click.echo(str(problem), err=True)
        raise InvalidInput(f"{len(loaded.problems)} problem(s) in {directory}")
    return loaded


@partners_group.command("validate")
@click.argument("directory", type=_DIR)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def validate_command(directory: Path, as_json: bool) -> None:
    """Check every config file in DIRECTORY; print each problem as file: field: reason."""
    loaded = load_directory(directory)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "valid": loaded.ok,
                    "partners": sorted(loaded.configs),
                    "problems": [vars(p) for p in loaded.problems],
                }
            )
        )
        if not loaded.ok:
            raise InvalidInput(f"{len(loaded.problems)} problem(s) in {directory}")
        return
    _load_or_fail(directory)
    click.echo(
        f"{len(loaded.configs)} partner config(s) valid: {', '.join(sorted(loaded.configs))}"
    )


@partners_group.command("apply")
@click.argument("directory", type=_DIR)
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def apply_command(directory: Path, dry_run: bool, as_json: bool) -> None:
    """Create or update partners from DIRECTORY (idempotent)."""
    loaded = _load_or_fail(directory)
    with get_database().new_session() as db:
        if dry_run:
            changes = services.plan(db, loaded.configs)
        else:
            changes = services.apply(db, loaded.configs, actor="cli")
            db.commit()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "dry_run": dry_run,
                    "changes": [
                        {"partner_id": c.partner_id, "action": c.action, "fields": list(c.fields)}
                        for c in changes
                    ],
                }
            )
        )
        return
    prefix = "would " if dry_run else ""
    for change in changes:
        click.echo(prefix + str(change))


def _summary(partner: services.Partner) -> dict[str, Any]:
    environments = ["sandbox"] + (["live"] if partner.config.environments.live else [])
    return {
        "id": partner.id,
        "status": partner.status,
        "scenario": partner.scenario,
        "display_name": partner.display_name.model_dump(by_alias=True),
        "environments": environments,
        "products": [p.code for p in partner.config.products],
    }


@partners_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(as_json: bool) -> None:
    """List partners with their status."""
    with get_database().new_session() as db:
        partners = services.list_partners(db)
    if as_json:
        click.echo(json.dumps({"data": [_summary(p) for p in partners]}, ensure_ascii=False))
        return
    for partner in partners:
        click.echo(
            f"{partner.id:<24} {partner.status:<10} {partner.scenario:<10} "
            f"{partner.display_name.en}"
        )


@partners_group.command("show")
@click.argument("partner_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_command(partner_id: str, as_json: bool) -> None:
    """Show one partner's status and applied configuration."""
    with get_database().new_session() as db:
        try:
            partner = services.get_partner(db, partner_id)
        except NotFound as exc:
            raise CommandFailed(exc.detail) from None
    data = {**_summary(partner), "config": services.config_json(partner.config)}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _set_suspended(partner_id: str, suspended: bool, as_json: bool) -> None:
    with get_database().new_session() as db:
        try:
            partner = services.set_suspended(db, partner_id, suspended, actor="cli")
        except NotFound as exc:
            raise CommandFailed(exc.detail) from None
        db.commit()
    if as_json:
        click.echo(json.dumps({"id": partner.id, "status": partner.status}))
    else:
        click.echo(f"{partner.id} is now {partner.status}")


@partners_group.command("suspend")
@click.argument("partner_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def suspend_command(partner_id: str, as_json: bool) -> None:
    """Suspend a partner: its tokens stop working on the next request."""
    _set_suspended(partner_id, True, as_json)


@partners_group.command("resume")
@click.argument("partner_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def resume_command(partner_id: str, as_json: bool) -> None:
    """Lift an operator's suspension."""
    _set_suspended(partner_id, False, as_json)


COMMANDS = (partners_group,)
