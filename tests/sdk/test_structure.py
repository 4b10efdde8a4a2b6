"""The SDK's modules stay within the house size limit (split before 350 lines)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sdk" / "src" / "instalments"
MAX_LINES = 350


def test_the_sdk_package_is_where_the_test_looks() -> None:
    assert (PACKAGE / "__init__.py").is_file()


def test_no_sdk_module_is_over_the_size_limit() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in sorted(PACKAGE.rglob("*.py"))
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
