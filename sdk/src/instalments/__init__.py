"""Python SDK for the instalments partner gateway."""

from ._version import __version__

__all__ = ["__version__"]
