"""``gateway audit``: verify the audit log's hash chains."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from gateway.audit.services import verify
from gateway.cli.errors import CommandFailed
from gateway.sessions import get_database

audit_group = AppGroup("audit", help="Tamper-evident audit log.")


@audit_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify_command(as_json: bool) -> None:
    """Walk every hash chain; name the first altered, deleted or reordered entry."""
    with get_database().new_session() as db:
        report = verify(db)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": report.ok,
                    "entries": report.entries,
                    "shards": report.shards,
                    "findings": [
                        {
                            "shard": f.shard,
                            "seq": f.seq,
                            "entry_id": f.entry_id,
                            "problem": f.problem,
                        }
                        for f in report.findings
                    ],
                }
            )
        )
    else:
        for finding in report.findings:
            click.echo(f"BROKEN {finding.describe()}")
        if report.ok:
            click.echo(f"audit log intact: {report.entries} entries in {report.shards} chains")
    if not report.ok:
        raise CommandFailed(f"audit log broken: {report.findings[0].describe()}")


COMMANDS = (audit_group,)
