"""Python SDK for the instalments partner gateway.

::

    import instalments

    client = instalments.Client()  # INSTALMENTS_CLIENT_ID / _SECRET / _BASE_URL
    decision = client.prequalifications.create(consent_id=..., customer=..., scenario=...)

Importing the package is cheap: ``Client``, the exceptions and the types load
(with httpx and pydantic) on first use, so a CLI or a web worker that imports
``instalments`` but never calls it pays nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from . import sandbox, types, webhooks
    from ._client import AsyncClient, Client
    from ._decision_tokens import verify_decision_token
    from ._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        ConsentNotActiveError,
        ConsentRequiredError,
        DecisionTokenError,
        DecisionTokenMismatchError,
        ExposureLimitError,
        GoneError,
        IdempotencyConflictError,
        IdempotencyInFlightError,
        InstalmentsError,
        InternalServerError,
        NotFoundError,
        OfferAlreadyAcceptedError,
        OfferExpiredError,
        OfferTokenError,
        OfferTokenMismatchError,
        OfferVoidError,
        PermissionDeniedError,
        RateLimitError,
        ServiceUnavailableError,
        UnprocessableEntityError,
        WebhookVerificationError,
    )

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "ConsentNotActiveError",
    "ConsentRequiredError",
    "DecisionTokenError",
    "DecisionTokenMismatchError",
    "ExposureLimitError",
    "GoneError",
    "IdempotencyConflictError",
    "IdempotencyInFlightError",
    "InstalmentsError",
    "InternalServerError",
    "NotFoundError",
    "OfferAlreadyAcceptedError",
    "OfferExpiredError",
    "OfferTokenError",
    "OfferTokenMismatchError",
    "OfferVoidError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServiceUnavailableError",
    "UnprocessableEntityError",
    "WebhookVerificationError",
    "__version__",
    "sandbox",
    "types",
    "verify_decision_token",
    "webhooks",
]

_SUBMODULES = frozenset({"sandbox", "types", "webhooks"})
_CLIENTS = frozenset({"Client", "AsyncClient"})


def __getattr__(name: str) -> Any:
    """Load the public names on first access (PEP 562)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _CLIENTS:
        module = importlib.import_module(f"{__name__}._client")
    elif name == "verify_decision_token":
        module = importlib.import_module(f"{__name__}._decision_tokens")
    elif name in __all__:
        module = importlib.import_module(f"{__name__}._exceptions")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
