"""The quickstart's checkout integration runs as written against a served gateway."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

QUICKSTART = Path(__file__).resolve().parents[2] / "docs" / "sdk" / "quickstart.md"


def checkout_block() -> str:
    """The quickstart's first ``python`` block: the checkout integration."""
    blocks = re.findall(r"```python\n(.*?)```", QUICKSTART.read_text(), flags=re.DOTALL)
    return str(blocks[0])


def test_the_integration_is_short() -> None:
    lines = [line for line in checkout_block().splitlines() if line.strip()]
    assert len(lines) <= 17  # imports, client, notice, consent, decision, offers


@pytest.mark.committing
def test_the_quickstart_checkout_integration_runs_as_written(
    served_gateway: str,
    sandbox_credentials: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("INSTALMENTS_CLIENT_ID", sandbox_credentials["client_id"])
    monkeypatch.setenv("INSTALMENTS_CLIENT_SECRET", sandbox_credentials["client_secret"])
    monkeypatch.setenv("INSTALMENTS_BASE_URL", served_gateway)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(checkout_block(), namespace)  # noqa: S102 - the documented code, verbatim
    printed = capsys.readouterr().out.splitlines()
    decision = namespace["decision"]
    assert decision.status == "approved"
    assert len(printed) == len(decision.offers) > 0
    tenor, monthly, apr, _cost = printed[0].split()
    assert int(tenor) in (3, 6, 12, 24) and "." in monthly and apr.startswith("0.")
    namespace["client"].close()
