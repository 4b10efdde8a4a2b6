"""Customer consent: notices, per-purpose consent records, receipts, revocation."""
