"""Bank-side customer profiles, keyed by customer reference, and the synthetic population."""
