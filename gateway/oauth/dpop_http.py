"""DPoP over HTTP: proofs at the token endpoint and at every ``/v1`` call.

- Token endpoint: a ``DPoP`` header binds the new token to its key (the token
  carries ``cnf.jkt`` and ``token_type`` is ``DPoP``); a client configured with
  ``token_binding: dpop`` must send one. A bad proof is ``400`` with
  ``{"error": "invalid_dpop_proof"}`` or ``use_dpop_nonce`` (RFC 9449 §5, §8).
- Resource: a bound token is presented as ``Authorization: DPoP <token>`` with
  a fresh proof by the bound key naming this method, URL and token. Anything
  else is ``401`` with ``WWW-Authenticate: DPoP error="…"``; a bound token sent
  as a bearer token is refused, as is an unbound token of a client whose
  config says ``dpop``.
- Server nonces: with ``GATEWAY_DPOP_REQUIRE_NONCE`` every proof carries one;
  each DPoP response hands out a fresh one in ``DPoP-Nonce``.
"""

from __future__ import annotations

from typing import NoReturn

from flask import Flask, Response, current_app, g, jsonify, request

from gateway.api.problems import ProblemError
from gateway.clock import utcnow
from gateway.oauth import dpop
from gateway.sessions import get_database

ALGS = " ".join(dpop.ALGORITHMS)


def _settings_secret() -> tuple[str, bool]:
    settings = current_app.extensions["gateway.settings"]
    return settings.secret_key, bool(settings.dpop_require_nonce)


def challenge(error: str | None = None, description: str | None = None) -> str:
    """The ``WWW-Authenticate`` value of a DPoP refusal."""
    parts = [f'algs="{ALGS}"']
    if error:
        parts.insert(0, f'error="{error}"')
    if description:
        parts.insert(1, f'error_description="{description}"')
    return "DPoP " + ", ".join(parts)


def _urls() -> tuple[str, ...]:
    from gateway.oauth.server import issuer

    return (request.base_url, f"{issuer()}{request.path}")


def _proof(access_token: str | None) -> dpop.Proof:
    values = request.headers.getlist("DPoP")
    if len(values) != 1:
        raise dpop.DPoPError("send exactly one DPoP header")
    secret, require_nonce = _settings_secret()
    proof = dpop.verify_proof(
        values[0],
        method=request.method,
        urls=_urls(),
        access_token=access_token,
        nonce_secret=secret,
        require_nonce=require_nonce,
    )
    own = get_database().new_session()
    try:
        if not dpop.remember(own, proof, utcnow()):
            raise dpop.DPoPError("this proof was used before (jti)")
    finally:
        own.close()
    return proof


def token_endpoint_binding() -> Response | None:
    """At the token endpoint: verify a ``DPoP`` proof, if any, into ``g.dpop_jkt``.

    Returns:
        The error response for a bad proof, else ``None``.
    """
    g.pop("dpop_jkt", None)
    if "DPoP" not in request.headers:
        return None
    try:
        g.dpop_jkt = _proof(None).jkt
    except dpop.DPoPError as exc:
        response = jsonify({"error": exc.error, "error_description": exc.description})
        response.status_code = 400
        response.headers["Cache-Control"] = "no-store"
        return response
    return None


def resource_proof(token: str) -> dpop.Proof | dpop.DPoPError | None:
    """At a ``/v1`` call, before anything else reads the database: the request's proof.

    Its ``jti`` is recorded (committed) here, first, so a proof is spent even
    when the request then fails. ``None`` when the request has no ``DPoP`` header.
    """
    if "DPoP" not in request.headers:
        return None
    try:
        return _proof(token)
    except dpop.DPoPError as exc:
        return exc


def check_resource_request(
    scheme: str,
    jkt: str | None,
    required: bool,
    proof: dpop.Proof | dpop.DPoPError | None,
) -> None:
    """At a ``/v1`` call, after the token itself was found valid.

    Args:
        scheme: ``bearer`` or ``dpop`` (the Authorization scheme, lower case).
        jkt: the token's ``cnf.jkt``, if it is bound.
        required: the client's config says ``token_binding: dpop``.
        proof: what :func:`resource_proof` found.

    Raises:
        ProblemError: 401 with a DPoP challenge.
    """
    if jkt is None and scheme == "bearer" and not required:
        return
    if jkt is None:
        _refuse("invalid_token", "this client's tokens must be DPoP-bound: get a new token")
    if scheme != "dpop":
        _refuse("invalid_token", "this token is DPoP-bound: send it as Authorization: DPoP")
    if proof is None:
        _refuse("invalid_dpop_proof", "send a DPoP proof with the token")
    if isinstance(proof, dpop.DPoPError):
        _refuse(proof.error, proof.description)
    if proof.jkt != jkt:
        _refuse("invalid_dpop_proof", "the proof is signed by another key than the token's")


def _refuse(error: str, description: str) -> NoReturn:
    headers = {"WWW-Authenticate": challenge(error, description)}
    if error == "use_dpop_nonce":
        headers["DPoP-Nonce"] = dpop.new_nonce(_settings_secret()[0])
    code = "invalid_token" if error == "invalid_token" else error
    raise ProblemError(401, code, description, headers=headers)


def init_app(app: Flask) -> None:
    """Hand out a fresh server nonce with every answer to a DPoP request."""

    @app.after_request
    def _nonce(response: Response) -> Response:
        secret, require_nonce = _settings_secret()
        if require_nonce and "DPoP" in request.headers:
            response.headers.setdefault("DPoP-Nonce", dpop.new_nonce(secret))
        return response
