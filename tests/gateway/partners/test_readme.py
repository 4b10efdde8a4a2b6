"""partner_configs/README.md describes the shipped demo partners as their files say."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

CONFIGS = Path(__file__).resolve().parents[3] / "partner_configs"


def test_the_readme_table_matches_every_demo_partners_file() -> None:
    text = (CONFIGS / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| `(demo-[a-z-]+)` \| (\w+) \| (.+?) \| (.+?) \|$", text, re.M)
    table = {pid: (scenario, sandbox, live) for pid, scenario, sandbox, live in rows}
    files = sorted(CONFIGS.glob("demo-*.yaml"))
    assert sorted(table) == [f.stem for f in files]
    for file in files:
        config = yaml.safe_load(file.read_text("utf-8"))
        scenario, sandbox, live = table[config["id"]]
        assert scenario == config["scenario"]
        envs = config["environments"]
        assert sandbox == f"`{envs['sandbox']['token_endpoint_auth_method']}`"
        if "live" in envs:
            assert live == f"`{envs['live']['token_endpoint_auth_method']}`"
        else:
            assert "sandbox only" in live
