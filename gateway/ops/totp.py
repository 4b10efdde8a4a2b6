"""``python -m gateway.ops.totp FILE``: print the current TOTP code of a saved console user.

For the demo admin that ``make demo`` writes to ``instance/ops-admin.json``
(a development convenience: real staff keep the secret in an authenticator app).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyotp


def main(argv: list[str]) -> int:
    """Print the code; exit 2 on bad usage."""
    if len(argv) != 1:
        print("usage: python -m gateway.ops.totp instance/ops-admin.json", file=sys.stderr)
        return 2
    secret = json.loads(Path(argv[0]).read_text())["totp_secret"]
    print(pyotp.TOTP(secret).now())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
