"""The ``gateway`` command line: groups, exit codes, one-line reasons."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner


def _gateway(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "GATEWAY_INSTANCE_PATH": str(cwd / "instance")},
        timeout=60,
        check=False,
    )


def test_help_lists_the_command_groups(tmp_path: Path) -> None:
    result = _gateway("--help", cwd=tmp_path)
    assert result.returncode == 0
    for group in ("db", "serve"):
        assert f"  {group} " in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ("no-such-command",),
        ("db", "no-such-subcommand"),
        ("serve", "--port", "not-a-port"),
        ("serve", "--workers", "0"),
        ("db", "upgrade", "--bogus"),
    ],
)
def test_bad_usage_exits_2_with_one_line_reason(tmp_path: Path, argv: tuple[str, ...]) -> None:
    result = _gateway(*argv, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("gateway: ")


@pytest.mark.committing
def test_db_upgrade_migrates_the_configured_database(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at" in result.output
