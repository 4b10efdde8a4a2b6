"""docs/resources.md has one table of sandbox personas, matching the gateway and the SDK."""

from __future__ import annotations

import re
from pathlib import Path

from instalments import sandbox

from gateway.prequal.sandbox import PERSONAS

DOC = Path(__file__).resolve().parents[3] / "docs" / "resources.md"
ROW = re.compile(r"^\| `(\+86138\d{8})` \| `([A-Z_]+)` \| (.+) \|$", re.M)


def test_one_table_lists_every_persona_once_with_its_sdk_name() -> None:
    text = DOC.read_text("utf-8")
    rows = ROW.findall(text)
    phones = [phone for phone, _, _ in rows]
    assert sorted(phones) == sorted(PERSONAS), "every gateway persona, each once"
    assert len(set(phones)) == len(phones)
    assert text.count("| phone | SDK name | outcome |") == 1, "one table"
    for phone, name, _ in rows:
        assert getattr(sandbox, name) == phone
        assert phone in sandbox.PERSONAS
