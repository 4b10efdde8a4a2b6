"""Every ``sh`` block of the onboarding guide and the SDK quickstart runs as written.

The blocks run in order in one bash session (``set -e``), as a reader would
type them, in a copy of the repository's tracked files (a fresh clone's
layout). The onboarding guide's ``.venv`` borrows this checkout's interpreter
and scripts (links, so ``make .venv/.installed`` is up to date instead of two
minutes of installs); the quickstart's ``pip install ./sdk`` goes into a fresh
virtual environment of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def sh_blocks(doc: Path) -> list[str]:
    """The ``sh`` fenced blocks of a Markdown file, in order."""
    found = re.findall(r"```sh\n(.*?)```", doc.read_text("utf-8"), re.S)
    assert found, doc
    return found


def clean_clone(tmp: Path) -> Path:
    """The tracked files of the repository, copied with their times (no .venv, no instance/)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    clone = tmp / "clone"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = clone / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return clone


def run(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in bash with ``set -e``; fail the test with its output."""
    result = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, (
        f"{script}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result


def _environment() -> dict[str, str]:
    keep = ("HOME", "LANG", "LC_ALL", "TMPDIR", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    return env


def borrowed_venv(clone: Path) -> None:
    """``clone/.venv``: links to this checkout's interpreter and scripts, never the venv itself.

    ``.installed`` is written after the copy, so ``make .venv/.installed`` is up
    to date and never reinstalls: a pip run through a linked venv would rewrite
    this checkout's scripts to point at the temporary clone.
    """
    bin_dir = clone / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for entry in (Path(sys.prefix) / "bin").iterdir():
        (bin_dir / entry.name).symlink_to(entry)
    (clone / ".venv" / ".installed").touch()


def test_every_onboarding_command_runs_as_written(tmp_path: Path) -> None:
    clone = clean_clone(tmp_path)
    borrowed_venv(clone)
    script = "\n".join(sh_blocks(ROOT / "docs" / "partners-onboarding.md"))
    result = run(script, clone, _environment())
    assert '"environment": "sandbox"' in result.stdout
    assert (clone / "instance" / "gateway.db").exists()
    audit = run(". .venv/bin/activate && gateway audit verify", clone, _environment())
    assert audit.stdout.strip()


def test_every_quickstart_install_command_runs_as_written(tmp_path: Path) -> None:
    clone = clean_clone(tmp_path)
    venv = tmp_path / "app-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = _environment()
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    env["VIRTUAL_ENV"] = str(venv)
    script = "\n".join(sh_blocks(ROOT / "docs" / "sdk" / "quickstart.md"))
    result = run(script, clone, env)
    assert re.search(r"^\d+\.\d+", result.stdout.strip().splitlines()[-1])
    installed = run("pip list --format=freeze", clone, env).stdout.lower()
    assert "instalments" in installed and "joserfc" in installed
    assert "flask" not in installed  # the SDK alone: httpx + pydantic (+ joserfc)
