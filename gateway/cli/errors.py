"""The two ways a command fails: exit 1 (it ran and failed) and exit 2 (bad input)."""

from __future__ import annotations

import click


class CommandFailed(click.ClickException):
    """The command ran and failed (exit 1)."""

    exit_code = 1


class InvalidInput(click.ClickException):
    """The command's input is invalid (exit 2)."""

    exit_code = 2
