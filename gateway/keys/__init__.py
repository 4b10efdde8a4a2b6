"""Signing keys: ES256 keys in the database, private halves encrypted at rest."""
