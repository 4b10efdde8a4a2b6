"""Webhooks: a transactional outbox, signed deliveries, retries, dead letters."""
