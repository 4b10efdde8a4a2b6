"""The HTTP layer: thin blueprints, marshmallow schemas, problem responses."""
