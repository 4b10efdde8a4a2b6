"""The ``gateway`` command line (DESIGN §6).

Exit codes: 0 success, 1 failure, 2 bad usage or invalid input — always with a
one-line reason on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
from flask import Flask
from flask.cli import FlaskGroup

from gateway.cli.errors import CommandFailed, InvalidInput

__all__ = ["CommandFailed", "InvalidInput", "cli", "main"]


def _create_app() -> Flask:
    from gateway.app import create_app

    return create_app()


class GatewayGroup(FlaskGroup):
    """Flask's group without Flask's own options and plugin commands."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.params = []

    def _load_plugin_commands(self) -> None:
        return


cli = GatewayGroup(
    name="gateway",
    help="Operate the instalments partner gateway.",
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point with one-line errors and stable exit codes."""
    args = list(argv) if argv is not None else sys.argv[1:]
    if args[:1] != ["serve"]:
        _run(args)
        return
    from gateway.cli.serve import metrics_dir_for_serve

    # Before the group imports the app, and through it prometheus-client.
    with metrics_dir_for_serve():
        _run(args)


def _run(args: list[str]) -> None:
    try:
        cli.main(
            args=args,
            prog_name="gateway",
            standalone_mode=False,
        )
    except click.UsageError as exc:
        click.echo(f"gateway: {exc.format_message()}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"gateway: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("gateway: aborted", err=True)
        sys.exit(1)
    except Exception as exc:
        from gateway.config import ConfigError

        reason = str(exc) if isinstance(exc, ConfigError) else type(exc).__name__
        click.echo(f"gateway: {reason}", err=True)
        sys.exit(1)
    sys.exit(0)
