"""Four-eyes approval requests: one user asks, a different one approves within 24 hours."""
