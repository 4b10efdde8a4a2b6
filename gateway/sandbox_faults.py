"""Sandbox fault injection: the persona that proves idempotent retries.

The sandbox customer ``+8613800000006`` makes the gateway commit its
decision and then answer 500 once, so a partner can watch its retry with the
same ``Idempotency-Key`` replay the committed answer instead of deciding twice.
"""

from __future__ import annotations

from flask import g


class InjectedFault(Exception):
    """Raised after commit on purpose (sandbox persona that proves idempotent retries)."""


def fail_after_commit() -> None:
    """Ask the operation to answer 500 *after* committing (sandbox fault persona)."""
    g.fail_after_commit = True


def raise_if_requested() -> None:
    """Raise :class:`InjectedFault` when the operation asked for it (after its commit)."""
    if g.pop("fail_after_commit", False):
        raise InjectedFault("sandbox fault injection: committed, now failing once")
