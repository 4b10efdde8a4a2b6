"""The console's pages: one module per noun, all registered on :data:`bp`."""

from __future__ import annotations

import importlib
import pkgutil
from types import FunctionType

from flask.blueprints import BlueprintSetupState

from gateway.ops.blueprint import bp

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def _accept_forms(state: BlueprintSetupState) -> None:
    """Console POSTs are HTML forms, not JSON (the app's body check lets them through)."""
    for endpoint, view in state.app.view_functions.items():
        if endpoint.startswith(f"{bp.name}.") and isinstance(view, FunctionType):
            view.accepts_form = True  # type: ignore[attr-defined]


bp.record(_accept_forms)

__all__ = ["bp"]
