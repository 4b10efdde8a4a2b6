"""Experiments: A/B tests of offer presentation, assigned deterministically per customer."""
