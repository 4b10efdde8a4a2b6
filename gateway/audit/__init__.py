"""Tamper-evident audit log of every decision and consent change."""
