"""Every HTML page has a CSP without unsafe-inline and cannot be framed."""

from __future__ import annotations

import re

from flask import Flask, render_template_string
from flask.testing import FlaskClient

from gateway.api.security_headers import framable


def _html_pages(app: Flask, client: FlaskClient) -> dict[str, object]:
    pages = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.arguments:
            continue
        response = client.get(rule.rule)
        if response.mimetype == "text/html":
            pages[rule.rule] = response
    return pages


def _directives(policy: str) -> dict[str, str]:
    return {d.split()[0]: d.strip() for d in policy.split(";") if d.strip()}


def test_every_html_page_has_a_strict_policy_and_refuses_framing(
    app: Flask, client: FlaskClient
) -> None:
    pages = _html_pages(app, client)
    assert "/docs" in pages
    for path, response in pages.items():
        policy = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
        directives = _directives(policy)
        assert "unsafe-inline" not in policy, path
        assert "unsafe-eval" not in policy, path
        assert directives["frame-ancestors"] == "frame-ancestors 'none'", path
        assert directives["default-src"] == "default-src 'none'", path
        assert response.headers["X-Frame-Options"] == "DENY", path  # type: ignore[attr-defined]


def test_docs_runs_nothing_inline_the_policy_does_not_allow(client: FlaskClient) -> None:
    response = client.get("/docs")
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    html = response.get_data(as_text=True)
    for tag in re.findall(r"<(?:style|script)\b[^>]*>", html):
        if " src=" in tag:
            continue  # from this origin ('self')
        assert nonce is not None and f'nonce="{nonce.group(1)}"' in tag, tag
    assert not re.search(r"\sstyle=", html), "inline style attributes need unsafe-inline"
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers need unsafe-inline"


def test_templates_get_a_fresh_nonce_per_request(app: Flask) -> None:
    @app.get("/_test/page")
    def page() -> str:
        return render_template_string('<style nonce="{{ csp_nonce() }}">p{}</style>')

    client = app.test_client()
    first, second = client.get("/_test/page"), client.get("/_test/page")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"])
    assert nonce is not None and f'nonce="{nonce.group(1)}"' in first.get_data(as_text=True)
    assert first.headers["Content-Security-Policy"] != second.headers["Content-Security-Policy"]


def test_api_responses_are_not_documents(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert (
        response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    )


def test_a_page_marked_framable_names_its_ancestors(app: Flask) -> None:
    @app.get("/_test/framed")
    @framable("https://shop.example")
    def framed() -> str:
        return "<!doctype html><p>framed</p>"

    response = app.test_client().get("/_test/framed")
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "frame-ancestors https://shop.example"
    assert "X-Frame-Options" not in response.headers
