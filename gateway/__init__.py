"""The instalments partner gateway.

The application factory is :func:`gateway.app.create_app`. Importing this
package imports nothing else, so the Flask-free layers (``gateway.db``,
every ``*/types.py``) can be imported without Flask.
"""
