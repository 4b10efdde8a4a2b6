"""OAuth 2.0: client credentials, JWT access tokens, resource protection, rate limits."""
