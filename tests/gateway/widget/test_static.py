"""The widget's files: small, self-contained, and nothing a strict CSP would block."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

STATIC = Path(__file__).resolve().parents[3] / "gateway" / "widget" / "static"
SCRIPTS = ("instalments.js", "messages.js")


def test_each_script_is_at_most_30_kb() -> None:
    # A page loads one of them: the checkout the widget, product and cart pages the messaging.
    for name in SCRIPTS:
        assert (STATIC / name).stat().st_size <= 30 * 1024, name


def test_scripts_use_no_eval_html_parsing_or_inline_styles() -> None:
    for name in SCRIPTS:
        script = (STATIC / name).read_text("utf-8")
        for forbidden in (
            r"\beval\(",
            r"new Function\(",
            r"innerHTML",
            r"outerHTML",
            r"insertAdjacentHTML",
            r"\.style\b",
            r"style=",
        ):
            assert re.search(forbidden, script) is None, (name, forbidden)


def test_scripts_load_nothing_from_third_parties() -> None:
    for name in SCRIPTS:
        assert re.findall(r"https?://", (STATIC / name).read_text("utf-8")) == [], name


def test_script_and_stylesheet_are_served_with_their_types(client: FlaskClient) -> None:
    script = client.get("/widget/v1/instalments.js")
    assert script.status_code == 200
    assert script.mimetype == "text/javascript"
    assert "Instalments" in script.get_data(as_text=True)
    assert "max-age=300" in script.headers["Cache-Control"]
    messages = client.get("/widget/v1/messages.js")
    assert messages.status_code == 200 and messages.mimetype == "text/javascript"
    stylesheet = client.get("/widget/v1/instalments.css")
    assert stylesheet.status_code == 200
    assert stylesheet.mimetype == "text/css"
