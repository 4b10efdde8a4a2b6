"""Sample partner configurations for tests: the shipped demo files, and variations."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

CONFIG_DIR = Path(__file__).resolve().parents[3] / "partner_configs"


def demo_config(partner_id: str = "demo-mall") -> dict[str, Any]:
    """The shipped demo config of ``partner_id`` as a plain dict (a fresh copy)."""
    data: dict[str, Any] = yaml.safe_load((CONFIG_DIR / f"{partner_id}.yaml").read_text())
    return copy.deepcopy(data)


def partner_config(partner_id: str, **environments: dict[str, Any]) -> dict[str, Any]:
    """A valid config for ``partner_id`` based on demo-mall, with environments replaced."""
    data = demo_config("demo-mall")
    data["id"] = partner_id
    if environments:
        data["environments"] = environments
    return data


def environment(method: str = "client_secret_basic", **extra: Any) -> dict[str, Any]:
    """One environment block with every scope."""
    block: dict[str, Any] = {
        "token_endpoint_auth_method": method,
        "scopes": [
            "offers:read",
            "consents:write",
            "prequalify",
            "applications:write",
            "events:write",
        ],
    }
    block.update(extra)
    return block


def write_configs(directory: Path, *configs: dict[str, Any]) -> Path:
    """Write each config to ``<id>.yaml`` in ``directory``; return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    for config in configs:
        (directory / f"{config['id']}.yaml").write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        )
    return directory
