"""docs/pricing.md: its worked examples are run, so the figures on the page are true."""

from __future__ import annotations

import re
from pathlib import Path

PAGE = Path(__file__).parents[3] / "docs" / "pricing.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_the_pricing_page_has_worked_examples() -> None:
    assert len(python_blocks(PAGE.read_text(encoding="utf-8"))) >= 8


def test_every_worked_example_on_the_pricing_page_holds() -> None:
    namespace: dict[str, object] = {}
    for number, block in enumerate(python_blocks(PAGE.read_text(encoding="utf-8")), start=1):
        code = compile(block, f"docs/pricing.md block {number}", "exec")
        exec(code, namespace)  # noqa: S102 - our own documentation, run on purpose
