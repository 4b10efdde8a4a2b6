"""``Idempotency-Key`` for every POST: replay, conflict, in-flight."""
