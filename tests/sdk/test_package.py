"""The package: its public surface, what importing it costs, what installing it pulls in."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path

import instalments
import pytest
from instalments import sandbox

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "sdk"


def test_every_public_name_resolves_and_is_listed() -> None:
    for name in instalments.__all__:
        assert getattr(instalments, name) is not None, name
    assert set(instalments.__all__) <= set(dir(instalments))
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        instalments.Nope  # noqa: B018 - the attribute access is the test


def test_version_matches_the_distribution() -> None:
    assert instalments.__version__ == metadata.version("instalments")


def test_the_package_is_typed() -> None:
    assert (Path(instalments.__file__).parent / "py.typed").exists()


def test_sandbox_personas_are_the_designed_phones() -> None:
    assert {
        f"+861380000000{n}": sandbox.PERSONAS[f"+861380000000{n}"] for n in range(1, 9)
    } == sandbox.PERSONAS
    assert sandbox.FAILS_AFTER_COMMIT == "+8613800000006"
    assert sandbox.APPROVED_LOWER_LIMIT == "+8613800000004"
    assert sandbox.EXPOSURE_LIMITED == "+8613800000007"
    assert sandbox.VELOCITY_REFERRED == "+8613800000008"


def _fresh_python(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout


def test_importing_the_package_loads_neither_httpx_nor_the_gateway() -> None:
    loaded = json.loads(
        _fresh_python("import sys, json, instalments; print(json.dumps(sorted(sys.modules)))")
    )
    assert "httpx" not in loaded and "pydantic" not in loaded
    everything = json.loads(
        _fresh_python(
            "import sys, json, instalments, instalments.webhooks, instalments.sandbox\n"
            "instalments.Client; instalments.AsyncClient; instalments.types\n"
            "print(json.dumps(sorted(sys.modules)))"
        )
    )
    assert "httpx" in everything
    assert not [m for m in everything if m == "gateway" or m.startswith("gateway.")]


@pytest.mark.slow
def test_installing_the_sdk_pulls_in_only_httpx_pydantic_and_their_dependencies(
    tmp_path: Path,
) -> None:
    source = tmp_path / "sdk"  # a copy, so pip's build leaves nothing in the tree
    shutil.copytree(SDK, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
        check=True,
        timeout=600,
    )
    listing = subprocess.run(
        [python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    installed = {row["name"].lower().replace("_", "-") for row in json.loads(listing)}
    allowed = {"instalments", "pip", "setuptools", "wheel"}
    allowed |= _closure(python, ["httpx", "pydantic"])
    assert installed <= allowed, installed - allowed
    assert {"instalments", "httpx", "pydantic"} <= installed
    assert "joserfc" not in installed and "instalments-gateway" not in installed
    subprocess.run([python, "-c", "import instalments; instalments.Client"], check=True)


def _closure(python: Path, roots: list[str]) -> set[str]:
    """Distributions the roots require, transitively, as installed in that environment."""
    code = (
        "import json, re, sys\n"
        "from importlib import metadata\n"
        "seen, todo = set(), list(sys.argv[1:])\n"
        "while todo:\n"
        "    name = todo.pop()\n"
        "    if name in seen: continue\n"
        "    seen.add(name)\n"
        "    for req in metadata.requires(name) or []:\n"
        "        if 'extra ==' in req: continue\n"
        "        dep = re.split(r'[ ;<>=!~\\[(]', req, maxsplit=1)[0].lower().replace('_', '-')\n"
        "        try: metadata.version(dep)\n"
        "        except metadata.PackageNotFoundError: continue\n"
        "        todo.append(dep)\n"
        "print(json.dumps(sorted(seen)))\n"
    )
    out = subprocess.run(
        [python, "-c", code, *roots], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out))
