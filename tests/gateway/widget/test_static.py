"""The widget's files: small, self-contained, and nothing a strict CSP would block."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

STATIC = Path(__file__).resolve().parents[3] / "gateway" / "widget" / "static"
SCRIPT = (STATIC / "instalments.js").read_text("utf-8")


def test_widget_script_is_at_most_30_kb() -> None:
    assert (STATIC / "instalments.js").stat().st_size <= 30 * 1024


def test_widget_script_uses_no_eval_html_parsing_or_inline_styles() -> None:
    for forbidden in (r"\beval\(", r"new Function\(", r"innerHTML", r"\.style\b", r"style="):
        assert re.search(forbidden, SCRIPT) is None, forbidden


def test_widget_script_loads_nothing_from_third_parties() -> None:
    assert re.findall(r"https?://", SCRIPT) == []


def test_script_and_stylesheet_are_served_with_their_types(client: FlaskClient) -> None:
    script = client.get("/widget/v1/instalments.js")
    assert script.status_code == 200
    assert script.mimetype == "text/javascript"
    assert "Instalments" in script.get_data(as_text=True)
    assert "max-age=300" in script.headers["Cache-Control"]
    stylesheet = client.get("/widget/v1/instalments.css")
    assert stylesheet.status_code == 200
    assert stylesheet.mimetype == "text/css"
