"""Which commands ``gateway`` has: the core ones and each domain's ``cli.COMMANDS``.

Imports nothing from :mod:`gateway.app` (the app imports this to attach them).
"""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach every command group to ``app.cli``."""
    from gateway.cli.db import db_group
    from gateway.cli.serve import serve_command
    from gateway.domains import domain_modules

    for command in (db_group, serve_command):
        app.cli.add_command(command)
    for module in domain_modules("cli"):
        for command in module.COMMANDS:
            app.cli.add_command(command)
