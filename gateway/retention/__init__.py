"""Retention and deletion: each data category is kept for its period, then removed."""
