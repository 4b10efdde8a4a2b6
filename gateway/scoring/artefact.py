"""The model artefact: one JSON file, hashed over its canonical content.

Serving reads only this file (no pickle, no scikit-learn). The ``sha256`` is
computed over the canonical JSON (sorted keys, no whitespace, UTF-8) of every
key except ``sha256`` and ``version``; the version is ``<name>-<sha256[:12]>``,
so the same training data, spec and seed give the same version on any run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

FORMAT = "gateway.scorecard/1"
BUNDLED_DIR = Path(__file__).resolve().parent / "default_model"
_UNHASHED = ("sha256", "version")


class ArtefactInvalid(ValueError):
    """The file is not a usable artefact (unreadable, wrong format or hash mismatch)."""


def canonical_bytes(artefact: dict[str, Any]) -> bytes:
    """The bytes the hash is taken over."""
    content = {k: v for k, v in artefact.items() if k not in _UNHASHED}
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def seal(artefact: dict[str, Any]) -> dict[str, Any]:
    """Return ``artefact`` with its ``sha256`` and ``version`` set."""
    digest = hashlib.sha256(canonical_bytes(artefact)).hexdigest()
    sealed = {k: v for k, v in artefact.items() if k not in _UNHASHED}
    sealed["sha256"] = digest
    sealed["version"] = f"{artefact['name']}-{digest[:12]}"
    return sealed


def write_artefact(artefact: dict[str, Any], directory: Path) -> Path:
    """Write a sealed artefact as ``<directory>/<version>.json`` and return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{artefact['version']}.json"
    path.write_text(json.dumps(artefact, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def load_artefact(path: Path) -> dict[str, Any]:
    """Read an artefact and check its format and hash.

    Raises:
        ArtefactInvalid: unreadable, not an artefact, or its content does not
            match its ``sha256`` / ``version``.
    """
    try:
        artefact = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArtefactInvalid(f"{Path(path).name}: unreadable ({type(exc).__name__})") from exc
    if not isinstance(artefact, dict) or artefact.get("format") != FORMAT:
        raise ArtefactInvalid(f"{Path(path).name}: not a {FORMAT} artefact")
    digest = hashlib.sha256(canonical_bytes(artefact)).hexdigest()
    if artefact.get("sha256") != digest:
        raise ArtefactInvalid(f"{Path(path).name}: content does not match its sha256")
    if artefact.get("version") != f"{artefact.get('name')}-{digest[:12]}":
        raise ArtefactInvalid(f"{Path(path).name}: version does not match its content")
    return artefact


def find_artefacts(model_dir: Path) -> dict[str, Path]:
    """Every ``*.json`` artefact by version: ``model_dir`` first, then the bundled default.

    Unreadable files are skipped here; :func:`load_artefact` reports them.
    """
    found: dict[str, Path] = {}
    for directory in (Path(model_dir), BUNDLED_DIR):
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.json")):
            try:
                head = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(head, dict) and head.get("format") == FORMAT and "version" in head:
                found.setdefault(str(head["version"]), path)
    return found


def bundled_version() -> str:
    """Version of the bundled default model.

    Raises:
        ArtefactInvalid: the package ships no default model.
    """
    paths = sorted(BUNDLED_DIR.glob("*.json"))
    if not paths:
        raise ArtefactInvalid("no bundled default model")
    return str(load_artefact(paths[0])["version"])
