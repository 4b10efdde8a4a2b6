"""The operations console (``/ops``): bank staff, roles, TOTP, four-eyes approvals."""
