"""Funnel events from partner checkouts, and the operations funnel report."""
